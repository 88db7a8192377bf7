// Isolation against an insider with a stolen key, shared artifacts: what the artifact account's repositories,
// AMIs and AMI key hold and who they are shared with stay Terraform's (and the publishers'), attempted with
// the IAM simulator on the synthesized policies (__tests__/insider.ts); consumers still pull.
import { findRole } from '../scripts/lib/access-matrix';
import { roleSessionPrincipal } from '../scripts/lib/iam-simulator';
import { editedOrg } from './helpers';
import { INSIDER_ORGS, insiderScene, synthesized } from './insider';
import { amiKeyAliasName } from '../naming/names';

describe.each(INSIDER_ORGS)('the %s organization against an insider', (name) => {
  const { cast, world, org } = insiderScene(name);

  describe('shared artifacts in the artifact account', () => {
    const artifact = org.artifact;
    const developer = () => world.member(cast.developers, artifact);
    const repositories = org.sharing.ecr.map((repository) => `arn:aws:ecr:${org.homeRegion}:${artifact.id}:repository/${repository.name}`);
    const image = `arn:aws:ec2:${org.homeRegion}::image/${org.sharing.amis[0].id}`;

    it.each([
      ['ecr:PutImageTagMutability'],
      ['ecr:SetRepositoryPolicy'],
      ['ecr:DeleteRepositoryPolicy'],
      ['ecr:PutLifecyclePolicy'],
      ['ecr:DeleteRepository'],
      ['ecr:BatchDeleteImage'],
    ])('a developer there cannot %s on a shared repository; the deploy role can', async (action) => {
      for (const repository of repositories) {
        expect(await world.attempt(developer(), action, repository)).toBe('denied');
        expect(await world.attempt(world.deployRole(artifact), action, repository)).toBe('allowed');
      }
    });

    it('a developer there cannot share, unshare or remove an AMI, nor share a snapshot; the deploy role can', async () => {
      for (const [action, resource] of [
        ['ec2:ModifyImageAttribute', image],
        ['ec2:ModifyImageAttribute', `arn:aws:ec2:${org.homeRegion}::image/ami-0fedcba9876543210`],
        ['ec2:DeregisterImage', image],
        ['ec2:ModifySnapshotAttribute', `arn:aws:ec2:${org.homeRegion}::snapshot/snap-0123456789abcdef0`],
      ]) {
        expect([action, resource, await world.attempt(developer(), action, resource)]).toEqual([action, resource, 'denied']);
        expect([action, resource, await world.attempt(world.deployRole(artifact), action, resource)]).toEqual([action, resource, 'allowed']);
      }
    });

    it('still pushes new images and builds AMIs (no publisher roles are named)', async () => {
      for (const repository of repositories) expect(await world.attempt(developer(), 'ecr:PutImage', repository)).toBe('allowed');
      expect(await world.attempt(developer(), 'ec2:CreateImage', `arn:aws:ec2:${org.homeRegion}::image/*`)).toBe('allowed');
    });

    it("the AMI key's policy, state and alias, when the project creates one, are the deploy role's", async () => {
      const keys = world.iam.keyPolicies.filter((policy) => policy.accountId === artifact.id);
      expect(keys).toHaveLength(org.sharing.amiKey ? 1 : 0);
      if (!org.sharing.amiKey) return;
      const key = `arn:aws:kms:${org.homeRegion}:${artifact.id}:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
      const alias = `alias/${amiKeyAliasName(org.name)}`;
      // The key policy lets the artifact account's own IAM policies decide (and the guardrail).
      const onTheKey = { context: { 'kms:ResourceAliases': [alias] }, resourcePolicy: keys[0].document };
      for (const action of ['kms:PutKeyPolicy', 'kms:DisableKey', 'kms:ScheduleKeyDeletion']) {
        expect([action, await world.attempt(developer(), action, key, onTheKey)]).toEqual([action, 'denied']);
        expect([action, await world.attempt(world.deployRole(artifact), action, key, onTheKey)]).toEqual([action, 'allowed']);
      }
      expect(await world.attempt(developer(), 'kms:DeleteAlias', `arn:aws:kms:${org.homeRegion}:${artifact.id}:${alias}`)).toBe('denied');
    });

    it("consumers still pull, with their own account's guardrails", async () => {
      const repository = org.sharing.ecr[0];
      const consumer = world.named(repository.consumers[0]);
      const puller = roleSessionPrincipal(findRole(world.iam, consumer.id, 'ecs-task-execution')!, 'task');
      const policy = world.iam.repositoryPolicies.find((candidate) => candidate.repositoryArn.endsWith(`/${repository.name}`))!;
      const arn = `arn:aws:ecr:${org.homeRegion}:${artifact.id}:repository/${repository.name}`;
      expect(await world.attempt(puller, 'ecr:BatchGetImage', arn, { resourceAccountId: artifact.id, resourcePolicy: policy.document })).toBe('allowed');
    });
  });
});

describe('publisher roles', () => {
  it('are, with the deploy role, the only ones that push to the shared repositories', async () => {
    const world = await synthesized(editedOrg({ 'organization.yaml': (file) => (file.sharing.publisherRoles = ['ci-publisher']) }));
    const artifact = world.org.artifact;
    const repository = `arn:aws:ecr:${world.org.homeRegion}:${artifact.id}:repository/webapp`;
    expect(await world.attempt(world.member('dev', artifact), 'ecr:PutImage', repository)).toBe('denied');
    expect(await world.attempt(world.administratorRole(artifact, 'ci-publisher'), 'ecr:PutImage', repository)).toBe('allowed');
    expect(await world.attempt(world.administratorRole(artifact, 'ci-publisher'), 'ecr:BatchDeleteImage', repository)).toBe('allowed');
    expect(await world.attempt(world.deployRole(artifact), 'ecr:PutImage', repository)).toBe('allowed');
  });
});
