// Isolation against an insider with a stolen key: each way in that a key, a broad policy in one account,
// tags, policy versions or shared artifacts would open, attempted on the synthesized policies with the IAM
// simulator (identity policies, the service control policies over the caller's account, resource
// policies), denied; next to it, the legitimate path still allowed.
import type { SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import { loadOrganization } from '../description/load';
import type { Account, Organization, PendingAccount } from '../description/model';
import { findRole, memberAsPrincipal, userAsPrincipal } from '../scripts/lib/access-matrix';
import { assumeRoleRequest, loadIamSimulator, type RequestPrincipal, roleSessionPrincipal, servicePrincipal, SIGNED_IN_WITH_MFA, type SignIn, type Verdict } from '../scripts/lib/iam-simulator';
import { readSynthesizedIam } from '../scripts/lib/synthesized-iam';
import type { TerraformJson } from '../scripts/lib/synthesized';
import { editedOrg, synthesizeOrg } from './helpers';
import { serviceControlPoliciesOf } from './service-control-policies';
import { PLANNED_ORGS, plannedOrg } from './setup/planned';
import { amiKeyAliasName, crossAccountRoleName, flowLogBucketName, logArchiveBucketName, organizationTrailName } from '../naming/names';

const simulator = loadIamSimulator();
const ADMINISTRATOR_ACCESS = { name: 'AdministratorAccess', document: simulator.awsManagedPolicy('AdministratorAccess') };

/** The organization as synthesized, with a way to evaluate any request as AWS would across its accounts. */
function organizationUnderTest(org: Organization, stacks: ReadonlyMap<string, TerraformJson>) {
  const iam = readSynthesizedIam(
    [...stacks].map(([name, json]) => ({ name, json })),
    (policy) => simulator.awsManagedPolicy(policy),
  );
  const management = stacks.get(org.management.name)!;
  const every: readonly (PendingAccount & { id: string })[] = [...org.accounts, ...org.retiredAccounts];
  const scpsOf = (accountId: string): SimulationOrgPolicies[] => {
    const account = every.find((candidate) => candidate.id === accountId)!;
    return account.name === org.management.name ? [] : serviceControlPoliciesOf(management, org, account);
  };
  const named = (name: string): Account => [...org.accounts, ...org.retiredAccounts].find((account) => account.name === name)!;
  return {
    org,
    iam,
    identity: org.identity,
    named,
    /** What AWS answers `principal` asking for `action` on `resource`, SCPs of its account included. */
    async attempt(
      principal: RequestPrincipal,
      action: string,
      resource: string,
      options: { resourceAccountId?: string; resourcePolicy?: unknown; context?: Record<string, string | string[]> } = {},
    ): Promise<Verdict> {
      return simulator.evaluate({
        principal,
        action,
        resource,
        resourceAccountId: options.resourceAccountId ?? principal.accountId,
        resourcePolicy: options.resourcePolicy,
        context: { 'aws:RequestedRegion': org.homeRegion, ...options.context },
        serviceControlPolicies: scpsOf(principal.accountId),
      });
    },
    /** Switching into a role, with the SCPs of the caller's account. */
    async switchInto(principal: RequestPrincipal, accountId: string, roleName: string): Promise<Verdict> {
      const role = findRole(iam, accountId, roleName);
      if (!role) return 'denied';
      return simulator.evaluate({ ...assumeRoleRequest(principal, role), context: { 'aws:RequestedRegion': org.homeRegion }, serviceControlPolicies: scpsOf(principal.accountId) });
    },
    /** A member of `group` acting in `account`: signed in to the identity account, or in its cross-<group> role elsewhere. */
    member(group: string, account: Account, signIn: SignIn = SIGNED_IN_WITH_MFA): RequestPrincipal {
      if (account.id === org.identity.id) return memberAsPrincipal(iam, account.id, group, signIn);
      const role = findRole(iam, account.id, crossAccountRoleName(group));
      if (!role) throw new Error(`${group} has no role in ${account.name}`);
      return roleSessionPrincipal(role, `member-of-${group}`);
    },
    /** Terraform in `account`, through the deploy role. */
    deployRole(account: Account): RequestPrincipal {
      return roleAs(account, org.deployRole, [ADMINISTRATOR_ACCESS]);
    },
    /** An IAM user of the identity account with AdministratorAccess and every user's policies, as an administrator there could make. */
    administratorUser(userName: string): RequestPrincipal {
      const identityId = org.identity.id;
      const someone = iam.users.find((candidate) => candidate.accountId === identityId)!;
      const arn = `arn:aws:iam::${identityId}:user/${userName}`;
      return {
        arn,
        accountId: identityId,
        policies: [...someone.policies.filter((policy) => policy.name === 'require-mfa'), ADMINISTRATOR_ACCESS],
        context: { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': identityId, 'aws:username': userName, 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' },
      };
    },
    /** A role of `account` named `roleName` with AdministratorAccess, as an account administrator could make. */
    administratorRole(account: Account, roleName = 'administrator'): RequestPrincipal {
      return roleAs(account, roleName, [ADMINISTRATOR_ACCESS]);
    },
  };
}

function roleAs(account: Account, roleName: string, policies: RequestPrincipal['policies']): RequestPrincipal {
  const arn = `arn:aws:iam::${account.id}:role/${roleName}`;
  return {
    arn: `arn:aws:sts::${account.id}:assumed-role/${roleName}/session`,
    accountId: account.id,
    policies,
    context: { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': account.id, 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' },
  };
}

function planned(name: string) {
  const org = loadOrganization(PLANNED_ORGS[name]);
  return organizationUnderTest(org, new Map([...plannedOrg(name)].map(([stack, { json }]) => [stack, json])));
}

async function synthesized(orgDir: string) {
  const { org, stacks } = await synthesizeOrg(orgDir);
  return organizationUnderTest(org, new Map(stacks.filter((stack) => stack.json).map((stack) => [stack.name, stack.json!])));
}

/** Per organization: a user who administers the identity account (or the broadest one there), a developer group, an administrator group. */
const CAST = {
  default: { identityUser: 'dave', otherUser: 'erin', developers: 'dev', administrators: 'ops', prod: 'prod', nonProd: 'qa' },
  'five-accounts': { identityUser: 'ben', otherUser: 'cho', developers: 'developers', administrators: 'sre', prod: 'production', nonProd: 'staging' },
} as const;

describe.each(Object.keys(CAST) as (keyof typeof CAST)[])('the %s organization against an insider', (name) => {
  const cast = CAST[name];
  const world = planned(name);
  const { org, identity } = world;
  const user = (userName: string, signIn: SignIn) => userAsPrincipal(world.iam, identity.id, userName, signIn);
  const userArn = (userName: string) => `arn:aws:iam::${identity.id}:user/${userName}`;
  const mfaArn = (userName: string) => `arn:aws:iam::${identity.id}:mfa/${userName}`;

  describe('MFA devices', () => {
    const me = cast.identityUser;

    it.each([
      ['iam:CreateVirtualMFADevice', mfaArn(me)],
      ['iam:EnableMFADevice', userArn(me)],
      ['iam:ResyncMFADevice', userArn(me)],
      ['iam:DeleteVirtualMFADevice', mfaArn(me)],
    ])('with long-term access keys alone, %s on one\'s own user is denied', async (action, resource) => {
      expect(await world.attempt(user(me, 'access-key'), action, resource)).toBe('denied');
    });

    it('a console sign-in without MFA enrols its own first device, and no one else\'s', async () => {
      const console = user(me, 'password-without-mfa');
      expect(await world.attempt(console, 'iam:CreateVirtualMFADevice', mfaArn(me))).toBe('allowed');
      expect(await world.attempt(console, 'iam:EnableMFADevice', userArn(me))).toBe('allowed');
      expect(await world.attempt(console, 'iam:EnableMFADevice', userArn(cast.otherUser))).toBe('denied');
      expect(await world.attempt(console, 'iam:CreateVirtualMFADevice', mfaArn(cast.otherUser))).toBe('denied');
    });

    it('with MFA, a user manages their own devices and keys', async () => {
      const signedIn = user(me, SIGNED_IN_WITH_MFA);
      expect(await world.attempt(signedIn, 'iam:EnableMFADevice', userArn(me))).toBe('allowed');
      expect(await world.attempt(signedIn, 'iam:CreateAccessKey', userArn(me))).toBe('allowed');
    });

    it('stolen keys without MFA switch into no role', async () => {
      for (const account of org.accounts.filter((candidate) => candidate !== identity)) {
        expect([account.name, await world.switchInto(user(me, 'access-key'), account.id, crossAccountRoleName(cast.administrators))]).toEqual([account.name, 'denied']);
      }
    });
  });

  describe('group membership in the identity account', () => {
    const admin = () => world.administratorUser('mallory');

    it('nobody tags a user into a group, joins one, or gives a user permissions; the deploy role does', async () => {
      const attempts: [string, string, Record<string, string | string[]>][] = [
        ['iam:TagUser', userArn(cast.identityUser), { 'aws:TagKeys': ['group:billing'], 'aws:RequestTag/group:billing': 'member' }],
        ['iam:UntagUser', userArn(cast.otherUser), { 'aws:TagKeys': [`group:${cast.developers}`] }],
        ['iam:CreateUser', userArn('mallory'), { 'aws:TagKeys': [`group:${cast.administrators}`], [`aws:RequestTag/group:${cast.administrators}`]: 'member' }],
        ['iam:AddUserToGroup', `arn:aws:iam::${identity.id}:group/${cast.administrators}`, {}],
        ['iam:PutUserPolicy', userArn(cast.identityUser), {}],
        ['iam:AttachGroupPolicy', `arn:aws:iam::${identity.id}:group/${cast.developers}`, {}],
      ];
      for (const [action, resource, context] of attempts) {
        expect([action, await world.attempt(admin(), action, resource, { context })]).toEqual([action, 'denied']);
        expect([action, await world.attempt(world.deployRole(identity), action, resource, { context })]).toEqual([action, 'allowed']);
      }
    });

    it('nobody takes over another user\'s credentials (key, password, MFA device)', async () => {
      for (const action of ['iam:CreateAccessKey', 'iam:UpdateLoginProfile', 'iam:CreateLoginProfile', 'iam:DeactivateMFADevice', 'iam:EnableMFADevice']) {
        for (const administrator of [admin(), world.administratorRole(identity)]) {
          expect([action, administrator.arn, await world.attempt(administrator, action, userArn(cast.otherUser))]).toEqual([action, administrator.arn, 'denied']);
        }
        expect([action, await world.attempt(admin(), action, userArn('mallory'))]).toEqual([action, 'allowed']);
      }
      expect(await world.attempt(world.deployRole(identity), 'iam:CreateLoginProfile', userArn(cast.otherUser))).toBe('allowed');
    });

    it('an administrator of the identity account still creates users without group tags and roles', async () => {
      const administrator = world.administratorRole(identity);
      expect(await world.attempt(administrator, 'iam:CreateUser', userArn('service-user'), { context: { 'aws:TagKeys': ['team'] } })).toBe('allowed');
      expect(await world.attempt(administrator, 'iam:CreateRole', `arn:aws:iam::${identity.id}:role/build-runner`)).toBe('allowed');
    });
  });

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

    it('the AMI key\'s policy, state and alias, when the project creates one, are the deploy role\'s', async () => {
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

    it('consumers still pull, with their own account\'s guardrails', async () => {
      const repository = org.sharing.ecr[0];
      const consumer = world.named(repository.consumers[0]);
      const puller = roleSessionPrincipal(findRole(world.iam, consumer.id, 'ecs-task-execution')!, 'task');
      const policy = world.iam.repositoryPolicies.find((candidate) => candidate.repositoryArn.endsWith(`/${repository.name}`))!;
      const arn = `arn:aws:ecr:${org.homeRegion}:${artifact.id}:repository/${repository.name}`;
      expect(await world.attempt(puller, 'ecr:BatchGetImage', arn, { resourceAccountId: artifact.id, resourcePolicy: policy.document })).toBe('allowed');
    });
  });

  describe('platform roles, their policies and the application roles', () => {
    const prod = () => world.named(cast.prod);

    it('an administrator of prod cannot widen a role through its policy or profile; the deploy role can', async () => {
      const account = prod();
      const administrator = world.member(cast.administrators, account);
      for (const [action, resource] of [
        ['iam:CreatePolicyVersion', `arn:aws:iam::${account.id}:policy/triage`],
        ['iam:SetDefaultPolicyVersion', `arn:aws:iam::${account.id}:policy/triage`],
        ['iam:PutRolePolicy', `arn:aws:iam::${account.id}:role/application/ec2-instance`],
        ['iam:AttachRolePolicy', `arn:aws:iam::${account.id}:role/application/ecs-task`],
        ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${account.id}:role/application/ecs-task-execution`],
        ['iam:AddRoleToInstanceProfile', `arn:aws:iam::${account.id}:instance-profile/application/ec2-instance`],
        ['iam:RemoveRoleFromInstanceProfile', `arn:aws:iam::${account.id}:instance-profile/application/ec2-instance`],
        ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${account.id}:role/${crossAccountRoleName(cast.developers)}`],
      ]) {
        expect([action, resource, await world.attempt(administrator, action, resource)]).toEqual([action, resource, 'denied']);
        expect([action, resource, await world.attempt(world.deployRole(account), action, resource)]).toEqual([action, resource, 'allowed']);
      }
    });

    it('the administrator still manages the account\'s own policies and roles', async () => {
      const account = prod();
      const administrator = world.member(cast.administrators, account);
      expect(await world.attempt(administrator, 'iam:CreatePolicyVersion', `arn:aws:iam::${account.id}:policy/webapp-permissions`)).toBe('allowed');
      expect(await world.attempt(administrator, 'iam:PutRolePolicy', `arn:aws:iam::${account.id}:role/webapp-task`)).toBe('allowed');
    });
  });

  describe('IAM users outside the identity account', () => {
    it.each(['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile'])('an administrator of every other member account cannot %s; the deploy role can', async (action) => {
      for (const account of org.accounts.filter((candidate) => candidate !== identity && candidate.name !== org.management.name)) {
        const resource = `arn:aws:iam::${account.id}:user/backdoor`;
        expect([account.name, await world.attempt(world.administratorRole(account), action, resource)]).toEqual([account.name, 'denied']);
        expect([account.name, await world.attempt(world.deployRole(account), action, resource)]).toEqual([account.name, 'allowed']);
      }
    });
  });

  describe('the account baseline', () => {
    it('is planned in every account: no public S3, AMI or snapshot, encrypted volumes', () => {
      for (const account of org.accounts) {
        const types = new Map(plannedOrg(name).get(account.name)!.resources.map((resource) => [resource.type, resource.values]));
        expect([account.name, types.get('aws_ec2_image_block_public_access')?.state, types.get('aws_ebs_snapshot_block_public_access')?.state]).toEqual([
          account.name,
          'block-new-sharing',
          'block-all-sharing',
        ]);
        expect(types.get('aws_ebs_encryption_by_default')?.enabled).toBe(true);
      }
    });

    it('cannot be switched off, nor flow logs erased, by an administrator of a member account; the deploy role can', async () => {
      const account = world.named(cast.nonProd);
      const bucket = `arn:aws:s3:::${flowLogBucketName(org.name, account.id)}`;
      for (const [action, resource] of [
        ['s3:PutAccountPublicAccessBlock', '*'],
        ['ec2:DisableEbsEncryptionByDefault', '*'],
        ['ec2:DisableImageBlockPublicAccess', '*'],
        ['ec2:DisableSnapshotBlockPublicAccess', '*'],
        ['ec2:DeleteFlowLogs', `arn:aws:ec2:${org.homeRegion}:${account.id}:vpc-flow-log/fl-0123456789abcdef0`],
        ['s3:DeleteObject', `${bucket}/AWSLogs/${account.id}/vpcflowlogs/log.gz`],
        ['s3:PutLifecycleConfiguration', bucket],
        ['s3:PutBucketPolicy', bucket],
      ]) {
        expect([action, await world.attempt(world.member(cast.administrators, account), action, resource)]).toEqual([action, 'denied']);
        expect([action, await world.attempt(world.deployRole(account), action, resource)]).toEqual([action, 'allowed']);
      }
    });
  });
  describe('the audit trail', () => {
    const archive = () => org.logArchive;
    const trail = (accountId: string) => `arn:aws:cloudtrail:${org.homeRegion}:${accountId}:trail/${organizationTrailName(org.name)}`;
    const logBucket = () => `arn:aws:s3:::${logArchiveBucketName(org.name, org.logArchive.id)}`;
    const archivePolicy = () =>
      plannedOrg(name)
        .get(archive().name)!
        .resources.filter((resource) => resource.type === 'aws_s3_bucket_policy')
        .map((resource) => JSON.parse(resource.values.policy))
        .find((document) => document.Statement.some((statement: any) => statement.Sid === 'CloudTrailWrite'));

    it.each(['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'])(
      'an administrator of a member account cannot %s on the organization trail; the deploy role can',
      async (action) => {
        const management = world.named(org.management.name);
        for (const account of org.accounts.filter((candidate) => candidate !== management)) {
          // The organization trail as the member sees it, and as it is in the management account.
          for (const resource of [trail(account.id), trail(management.id)]) {
            expect([account.name, resource, await world.attempt(world.administratorRole(account), action, resource, { resourceAccountId: account.id })]).toEqual([account.name, resource, 'denied']);
          }
        }
        expect(await world.attempt(world.deployRole(management), action, trail(management.id))).toBe('allowed');
        // Only this trail: a trail of the member's own stays the administrator's.
        const member = world.named(cast.nonProd);
        expect(await world.attempt(world.administratorRole(member), action, `arn:aws:cloudtrail:${org.homeRegion}:${member.id}:trail/team-trail`)).toBe('allowed');
      },
    );

    it('nobody but the deploy role deletes log objects or changes the log bucket, administrators of the log archive account included', async () => {
      const account = archive();
      const onLogs = { resourceAccountId: account.id, resourcePolicy: archivePolicy() };
      const object = `${logBucket()}/AWSLogs/${account.id}/CloudTrail/${org.homeRegion}/2026/11/28/log.json.gz`;
      for (const [action, resource] of [
        ['s3:DeleteObject', object],
        ['s3:DeleteObjectVersion', object],
        ['s3:PutLifecycleConfiguration', logBucket()],
        ['s3:PutBucketPolicy', logBucket()],
        ['s3:DeleteBucket', logBucket()],
      ]) {
        expect([action, await world.attempt(world.administratorRole(account), action, resource, onLogs)]).toEqual([action, 'denied']);
        expect([action, await world.attempt(world.deployRole(account), action, resource, onLogs)]).toEqual([action, 'allowed']);
      }
      // An administrator still reads the logs.
      expect(await world.attempt(world.administratorRole(account), 's3:GetObject', object, onLogs)).toBe('allowed');
    });

    it('where GuardDuty and Security Hub are on, an administrator of a member account cannot switch them off or leave them; the deploy role can', async () => {
      const attempts = [
        ...(org.audit.guardDuty ? ['guardduty:DeleteDetector', 'guardduty:UpdateDetector', 'guardduty:DisassociateFromAdministratorAccount'] : []),
        ...(org.audit.securityHub ? ['securityhub:DisableSecurityHub', 'securityhub:DisassociateFromAdministratorAccount', 'securityhub:BatchDisableStandards'] : []),
      ];
      expect(attempts.length > 0).toBe(name === 'five-accounts');
      for (const account of org.accounts.filter((candidate) => candidate.name !== org.management.name)) {
        // Leaving GuardDuty's administrator names no resource.
        const resource = (action: string) =>
          action === 'guardduty:DisassociateFromAdministratorAccount'
            ? '*'
            : action.startsWith('guardduty')
              ? `arn:aws:guardduty:${org.homeRegion}:${account.id}:detector/0123456789abcdef0123456789abcdef`
              : `arn:aws:securityhub:${org.homeRegion}:${account.id}:hub/default`;
        for (const action of attempts) {
          expect([account.name, action, await world.attempt(world.administratorRole(account), action, resource(action))]).toEqual([account.name, action, 'denied']);
          expect([account.name, action, await world.attempt(world.deployRole(account), action, resource(action))]).toEqual([account.name, action, 'allowed']);
        }
      }
      // Looking at GuardDuty stays the administrators'.
      const member = world.named(cast.nonProd);
      if (org.audit.guardDuty) {
        expect(await world.attempt(world.administratorRole(member), 'guardduty:ListDetectors', '*')).toBe('allowed');
      }
    });

    it('only the organization trail writes logs: CloudTrail for another trail cannot', async () => {
      const account = archive();
      const cloudTrail = (sourceArn: string) => {
        const service = servicePrincipal('cloudtrail.amazonaws.com', sourceArn, org.management.id);
        return { ...service, context: { ...service.context, 's3:x-amz-acl': 'bucket-owner-full-control' } };
      };
      const object = `${logBucket()}/AWSLogs/${account.id}/CloudTrail/${org.homeRegion}/2026/11/28/log.json.gz`;
      const onLogs = { resourceAccountId: account.id, resourcePolicy: archivePolicy() };
      expect(await world.attempt(cloudTrail(trail(org.management.id)), 's3:PutObject', object, onLogs)).toBe('allowed');
      expect(await world.attempt(cloudTrail(`arn:aws:cloudtrail:${org.homeRegion}:999999999999:trail/other`), 's3:PutObject', object, onLogs)).toBe('denied');
    });
  });
});

describe('the Terraform state of the default organization', () => {
  const world = planned('default');
  const { org } = world;
  const management = world.named(org.management.name);
  const bootstrap = plannedOrg('default').get('bootstrap')!;
  const resources = (type: string) => bootstrap.resources.filter((resource) => resource.type === type).map((resource) => resource.values);
  const state = org.state.backend === 's3' ? org.state : undefined;
  /** The bucket policy holding the statement `sid` (the bucket itself is known after apply only). */
  const policyWith = (sid: string) =>
    resources('aws_s3_bucket_policy')
      .map((policy) => JSON.parse(policy.policy))
      .find((document) => document.Statement.some((statement: any) => statement.Sid === sid));
  const bucketPolicy = policyWith('OnlyStateAndDeployRolesTouchState');
  const stateObject = `arn:aws:s3:::${state!.bucket}/${state!.keyPrefix}/prod.tfstate`;
  const onState = (principal: RequestPrincipal, action: string) => world.attempt(principal, action, stateObject, { resourcePolicy: bucketPolicy });

  it('is read and written by the state role and the deploy role only, whatever S3 rights others hold', async () => {
    const stateRole = roleSessionPrincipal(findRole(world.iam, management.id, state!.stateRole)!, 'backend');
    for (const action of ['s3:GetObject', 's3:PutObject']) {
      expect([action, await onState(stateRole, action)]).toEqual([action, 'allowed']);
      expect([action, await onState(world.deployRole(management), action)]).toEqual([action, 'allowed']);
      expect([action, await onState(world.administratorRole(management), action)]).toEqual([action, 'denied']);
    }
    // ReadOnlyAccess reads every object of its account: not this one.
    expect(await onState(world.member('ops', management), 's3:GetObject')).toBe('denied');
  });

  it('logs every request on state to a bucket only S3 log delivery writes to', () => {
    expect(resources('aws_s3_bucket_logging')).toEqual([expect.objectContaining({ target_bucket: state!.accessLogBucket })]);
    expect(policyWith('StateBucketLogDelivery').Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${state!.accessLogBucket}/*`,
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${state!.bucket}` }, StringEquals: { 'aws:SourceAccount': management.id } },
      }),
    );
  });

  it('the deploy and state roles trust the management account by default, and only the deployers the description names', async () => {
    const trusts = (values: Record<string, any>[]) => values.filter((role) => [org.deployRole, state!.stateRole].includes(role.name)).map((role) => JSON.parse(role.assume_role_policy).Statement[0].Principal);
    expect(trusts(resources('aws_iam_role'))).toEqual([{ AWS: [`arn:aws:iam::${management.id}:root`] }, { AWS: [`arn:aws:iam::${management.id}:root`] }]);

    const ci = `arn:aws:iam::${management.id}:role/ci-deployer`;
    const named = await synthesized(editedOrg({ 'organization.yaml': (file) => (file.deployers = [ci]) }));
    const bootstrapIam = named.iam.roles.filter((role) => role.accountId === management.id && [org.deployRole, state!.stateRole].includes(role.name));
    expect(bootstrapIam).toHaveLength(2);
    for (const role of bootstrapIam) {
      expect(await named.switchInto(named.administratorRole(management, 'ci-deployer'), management.id, role.name)).toBe('allowed');
      expect(await named.switchInto(named.administratorRole(management, 'another-administrator'), management.id, role.name)).toBe('denied');
    }
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

describe('a retired account', () => {
  const retire = editedOrg({ 'qa.yaml': (file) => (file.retired = true) });

  it('moves to the retired accounts\' OU, where nothing but the deploy role acts, and nobody switches in', async () => {
    const world = await synthesized(retire);
    const qa = world.named('qa');
    expect(qa.ou).toBe('Suspended');
    const sessionInQa = world.administratorRole(qa, crossAccountRoleName('ops'));
    for (const [action, resource] of [
      ['s3:GetObject', 'arn:aws:s3:::qa-data/report.csv'],
      ['ec2:RunInstances', `arn:aws:ec2:us-east-1:${qa.id}:instance/*`],
      ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${qa.id}:role/${crossAccountRoleName('ops')}`],
    ]) {
      expect([action, await world.attempt(sessionInQa, action, resource)]).toEqual([action, 'denied']);
      expect([action, await world.attempt(world.deployRole(qa), action, resource)]).toEqual([action, 'allowed']);
    }
    // dave (ops) holds AdministratorAccess in the identity account, and qa's cross-ops role, forgotten by Terraform, still trusts him.
    const dave = userAsPrincipal(world.iam, world.identity.id, 'dave', SIGNED_IN_WITH_MFA);
    const inService = planned('default');
    const crossOps = findRole(inService.iam, qa.id, 'cross-ops')!;
    const switchToQa = (into: typeof world) => into.attempt(dave, 'sts:AssumeRole', crossOps.arn, { resourceAccountId: qa.id, resourcePolicy: crossOps.trustPolicy });
    expect(await switchToQa(inService)).toBe('allowed');
    expect(await switchToQa(world)).toBe('denied');
    expect(await world.switchInto(dave, world.named('prod').id, 'cross-ops')).toBe('allowed');
  });

  it('stays a member account, moved, not forgotten nor destroyed', async () => {
    const { stack } = await synthesizeOrg(retire);
    const management = stack('management');
    const [address, account] = Object.entries(management.resource!.aws_organizations_account).find(([, candidate]) => candidate.name === 'qa')!;
    expect(account.parent_id).toMatch(/^\$\{aws_organizations_organizational_unit\.organization_ou-Suspended_\w+\.id\}$/);
    expect(account.lifecycle).toMatchObject({ prevent_destroy: true });
    expect(JSON.stringify(management.removed ?? [])).not.toContain(address);
  });
});
