// Sharing as planned and as an IAM policy simulator (@cloud-copilot/iam-simulate) evaluates it: the
// repositories and their policies, launch permissions for every (AMI, consumer) pair and nowhere else, the
// AMI key; who can pull, push, launch and decrypt across accounts; and every bad sharing input refused.
import { loadOrganization } from '../description/load';
import type { Account, Organization } from '../description/model';
import { accountsNamed, projectKeyConsumers } from '../description/sharing';
import { findRole } from '../scripts/lib/access-matrix';
import { type IamRequest, loadIamSimulator, type RequestPrincipal, roleSessionPrincipal, servicePrincipal } from '../scripts/lib/iam-simulator';
import { readSynthesizedIam } from '../scripts/lib/synthesized-iam';
import { DEFAULT_ORG, editedOrg, problemsOf, synthesizeOrg } from './helpers';
import { PLANNED_ORGS, plannedOrg } from './setup/planned';

const simulator = loadIamSimulator();

function planned(name: string) {
  const org = loadOrganization(PLANNED_ORGS[name]);
  const stacks = plannedOrg(name);
  const iam = readSynthesizedIam(
    [...stacks].map(([stack, { json }]) => ({ name: stack, json })),
    (policy) => simulator.awsManagedPolicy(policy),
  );
  /** Planned values of every resource of `type`, with the stack it is in. */
  const resources = (type: string): Record<string, any>[] =>
    [...stacks].flatMap(([stack, { resources: all }]) => all.filter((resource) => resource.type === type).map((resource) => ({ stack, ...resource.values })));
  return { org, stacks, iam, resources, artifact: org.artifact };
}

const account = (org: Organization, name: string): Account => org.accounts.find((candidate) => candidate.name === name)!;

/** A principal of `accountId` whose own policies allow everything: only the resource policy can refuse it. */
const administratorOf = (accountId: string): RequestPrincipal => ({
  arn: `arn:aws:sts::${accountId}:assumed-role/administrator/session`,
  accountId,
  policies: [{ name: 'everything', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
  context: { 'aws:PrincipalArn': `arn:aws:iam::${accountId}:role/administrator`, 'aws:PrincipalAccount': accountId },
});

describe.each(Object.keys(PLANNED_ORGS))('sharing in the %s organization', (name) => {
  const { org, stacks, iam, resources, artifact } = planned(name);
  const others = org.accounts.filter((candidate) => candidate !== artifact);

  it('creates the repositories as described, in the artifact account only', () => {
    const repositories = resources('aws_ecr_repository');
    expect(repositories.map((repository) => [repository.stack, repository.name])).toEqual(
      org.sharing.ecr.map((repository) => [artifact.name, repository.name]),
    );
    for (const repository of org.sharing.ecr) {
      const planned = repositories.find((candidate) => candidate.name === repository.name)!;
      expect(planned).toMatchObject({
        image_tag_mutability: repository.imageTagMutability,
        image_scanning_configuration: [{ scan_on_push: repository.scanOnPush }],
        encryption_configuration: [{ encryption_type: repository.encryption }],
      });
      const lifecycle = JSON.parse(resources('aws_ecr_lifecycle_policy').find((policy) => policy.repository === repository.name)!.policy);
      expect(lifecycle.rules).toEqual([
        expect.objectContaining({
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: repository.keepImages },
          action: { type: 'expire' },
        }),
      ]);
    }
  });

  it('lets the consumer accounts and their Lambda functions pull each repository, and grants no more than pulling', () => {
    expect(iam.repositoryPolicies).toHaveLength(org.sharing.ecr.length);
    for (const repository of org.sharing.ecr) {
      const consumers = accountsNamed(org, repository.consumers).map((consumer) => consumer.id);
      const policy = iam.repositoryPolicies.find((candidate) => candidate.repositoryArn.endsWith(`:repository/${repository.name}`))!;
      expect(policy.accountId).toBe(artifact.id);
      expect(policy.document).toEqual({
        Version: '2012-10-17',
        Statement: [
          expect.objectContaining({ Principal: { AWS: consumers.map((id) => `arn:aws:iam::${id}:root`) } }),
          expect.objectContaining({
            Principal: { Service: 'lambda.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': consumers }, StringLike: { 'aws:SourceArn': `arn:aws:lambda:${org.homeRegion}:*:function:*` } },
          }),
        ],
      });
      for (const statement of (policy.document as { Statement: { Action: string[] }[] }).Statement) {
        expect(statement.Action).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
      }
    }
  });

  it('gives a launch permission for every (AMI, consumer) pair and nowhere else', () => {
    const pairs = resources('aws_ami_launch_permission').map((permission) => [permission.stack, permission.image_id, permission.account_id]);
    const expected = org.sharing.amis.flatMap((ami) => accountsNamed(org, ami.consumers).map((consumer) => [artifact.name, ami.id, consumer.id]));
    expect(pairs.sort()).toEqual(expected.sort());
    expect(pairs.length).toBeGreaterThan(0);
  });

  it('tells each consumer what it may pull and launch', () => {
    for (const consumer of others) {
      const repositories = org.sharing.ecr.filter((repository) => repository.consumers.includes(consumer.name));
      const amis = org.sharing.amis.filter((ami) => ami.consumers.includes(consumer.name));
      expect([consumer.name, stacks.get(consumer.name)!.json.output?.['shared-artifacts']?.value]).toEqual([
        consumer.name,
        repositories.length + amis.length === 0
          ? undefined
          : {
              repositories: Object.fromEntries(repositories.map((r) => [r.name, `${artifact.id}.dkr.ecr.${org.homeRegion}.amazonaws.com/${r.name}`])),
              amis: Object.fromEntries(amis.map((ami) => [ami.name, ami.id])),
            },
      ]);
    }
  });

  it("pulls across accounts only where both the puller's policy and the repository policy allow it", async () => {
    for (const repository of org.sharing.ecr) {
      const policy = iam.repositoryPolicies.find((candidate) => candidate.repositoryArn.endsWith(`:repository/${repository.name}`))!;
      const request = (principal: RequestPrincipal, action: string) => ({ principal, action, resource: policy.repositoryArn, resourceAccountId: artifact.id });
      const pull = (principal: RequestPrincipal, action = 'ecr:BatchGetImage') =>
        simulator.evaluate({ ...request(principal, action), resourcePolicy: policy.document });
      for (const other of others) {
        const consumes = repository.consumers.includes(other.name);
        const executionRole = roleSessionPrincipal(findRole(iam, other.id, 'ecs-task-execution')!, 'task');
        expect([repository.name, other.name, await pull(executionRole)]).toEqual([repository.name, other.name, consumes ? 'allowed' : 'denied']);
        // Cross-account, the identity policy alone is not enough, and an account's administrators cannot push.
        expect(await simulator.evaluate(request(executionRole, 'ecr:BatchGetImage'))).toBe('denied');
        expect(await pull(administratorOf(other.id))).toBe(consumes ? 'allowed' : 'denied');
        for (const push of ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:CompleteLayerUpload', 'ecr:BatchDeleteImage', 'ecr:SetRepositoryPolicy']) {
          expect([push, await pull(administratorOf(other.id), push)]).toEqual([push, 'denied']);
        }
        const lambda = (region: string) => servicePrincipal('lambda.amazonaws.com', `arn:aws:lambda:${region}:${other.id}:function:app`, other.id);
        expect([other.name, 'lambda', await pull(lambda(org.homeRegion))]).toEqual([other.name, 'lambda', consumes ? 'allowed' : 'denied']);
        expect(await pull(lambda('ap-south-1'))).toBe('denied');
      }
    }
  });
});

describe('the default organization', () => {
  const { org, iam, resources } = planned('default');

  it("lets qa's ECS task execution role pull webapp from dev, and not management's", async () => {
    const webapp = iam.repositoryPolicies.find((policy) => policy.repositoryArn.endsWith(':repository/webapp'))!;
    const pull = (accountName: string) =>
      simulator.evaluate({
        principal: roleSessionPrincipal(findRole(iam, account(org, accountName).id, 'ecs-task-execution')!, 'task'),
        action: 'ecr:BatchGetImage',
        resource: webapp.repositoryArn,
        resourceAccountId: account(org, 'dev').id,
        resourcePolicy: webapp.document,
      });
    expect(await pull('qa')).toBe('allowed');
    expect(await pull('prod')).toBe('allowed');
    expect(await pull('management')).toBe('denied');
  });

  it('creates no AMI key: its AMI is not encrypted', () => {
    expect(org.sharing.amiKey).toBe(false);
    expect(resources('aws_kms_key')).toEqual([]);
  });
});

describe('the AMI key of the five-accounts organization', () => {
  const { org, stacks, iam, resources, artifact } = planned('five-accounts');
  const [key] = resources('aws_kms_key');
  const keyArn = `arn:aws:kms:${org.homeRegion}:${artifact.id}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const viaEc2 = { 'kms:ViaService': `ec2.${org.homeRegion}.amazonaws.com` };
  const autoScalingRole = (accountId: string) => `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
  const grantOperations = [
    'Encrypt',
    'Decrypt',
    'ReEncryptFrom',
    'ReEncryptTo',
    'GenerateDataKey',
    'GenerateDataKeyWithoutPlaintext',
    'DescribeKey',
    'CreateGrant',
  ];
  const onKey = (principal: RequestPrincipal, action: string, context: IamRequest['context'] = {}) =>
    simulator.evaluate({ principal, action, resource: keyArn, resourceAccountId: artifact.id, resourcePolicy: iam.keyPolicies[0].document, context });
  const staging = account(org, 'staging');
  const sre = roleSessionPrincipal(findRole(iam, staging.id, 'cross-sre')!, 'ben');

  it("is one key in the artifact account, rotated, kept from any plan's destroy, with an alias", () => {
    expect(resources('aws_kms_key')).toHaveLength(1);
    expect(key).toMatchObject({ stack: 'build', enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(Object.values(stacks.get('build')!.json.resource!.aws_kms_key)[0].lifecycle).toEqual({ prevent_destroy: true });
    expect(resources('aws_kms_alias').map((alias) => [alias.stack, alias.name])).toEqual([['build', 'alias/acme/shared-amis']]);
    expect(projectKeyConsumers(org).map((consumer) => consumer.name)).toEqual(['production', 'staging']);
  });

  it('lets a consumer launch with it through EC2, and not decrypt with it outside an AWS service', async () => {
    for (const action of ['kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey']) {
      expect([action, await onKey(sre, action, viaEc2)]).toEqual([action, 'allowed']);
      expect([action, await onKey(sre, action)]).toEqual([action, 'denied']);
    }
    expect(await onKey(sre, 'kms:Decrypt', { 'kms:ViaService': `s3.${org.homeRegion}.amazonaws.com` })).toBe('denied');
  });

  it('lets a consumer create grants for AWS resources, and the one grant Auto Scaling needs for its own role only', async () => {
    expect(await onKey(sre, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' })).toBe('allowed');
    const grant = (grantee: string, operations = grantOperations) =>
      onKey(sre, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false', 'kms:GranteePrincipal': grantee, 'kms:GrantOperations': operations });
    expect(await grant(autoScalingRole(staging.id))).toBe('allowed');
    expect(await grant(`${autoScalingRole(staging.id)}_custom`)).toBe('allowed');
    expect(await grant(autoScalingRole(staging.id), [...grantOperations, 'RetireGrant'])).toBe('denied');
    expect(await grant(autoScalingRole(account(org, 'production').id))).toBe('denied');
    expect(await grant(`arn:aws:iam::${staging.id}:role/application/ec2-instance`)).toBe('denied');
    expect(await onKey(sre, 'kms:ScheduleKeyDeletion')).toBe('denied');
  });

  it('lets no account that launches none of its AMIs use it', async () => {
    const identity = administratorOf(account(org, 'identity').id);
    expect(await onKey(identity, 'kms:Decrypt', viaEc2)).toBe('denied');
    expect(await onKey(identity, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' })).toBe('denied');
  });

  it('outputs what image builds and consumer administrators need', () => {
    const json = stacks.get('build')!.json;
    const keyAddress = `aws_kms_key.${Object.keys(json.resource!.aws_kms_key)[0]}`;
    const output = json.output!['ami-key'].value as Record<string, any>;
    expect(output.arn).toBe(`\${${keyAddress}.arn}`);
    expect(output.autoScalingGrantCommands).toEqual({
      production: expect.stringContaining(`--grantee-principal ${autoScalingRole(account(org, 'production').id)} `),
      staging:
        `aws kms create-grant --region eu-west-1 --key-id \${${keyAddress}.arn} --grantee-principal ${autoScalingRole(staging.id)} ` +
        `--operations ${grantOperations.join(' ')}`,
    });
  });
});

describe('the AMI key, synthesized for other descriptions', () => {
  it('is created before any AMI uses it when asked, letting no other account use it yet', async () => {
    const { stack } = await synthesizeOrg(editedOrg({ 'organization.yaml': (org) => (org.sharing.amiKey = true) }));
    const keys = Object.values(stack('dev').resource!.aws_kms_key);
    expect(keys).toHaveLength(1);
    expect(JSON.parse(keys[0].policy as string).Statement).toEqual([
      { Sid: 'ArtifactAccountIam', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:*', Resource: '*' },
    ]);
  });

  it("is not created for an AMI on a key of its own: that key's policy is its owner's", async () => {
    const keyArn = 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { org, stack } = await synthesizeOrg(editedOrg({ 'organization.yaml': (org) => (org.sharing.amis[0].kmsKey = keyArn) }));
    expect(org.sharing.amiKey).toBe(false);
    expect(stack('dev').resource!.aws_kms_key).toBeUndefined();
    expect(
      Object.values(stack('dev').resource!.aws_ami_launch_permission)
        .map((permission) => permission.account_id)
        .sort(),
    ).toEqual(['333333333333', '444444444444']);
  });
});

describe('bad sharing input', () => {
  const orgFile = (edit: (org: any) => void) => editedOrg({ 'organization.yaml': edit });
  const ami = (fields: object) => orgFile((org) => Object.assign(org.sharing.amis[0], fields));
  const managed =
    'is an AWS managed key: an AMI encrypted with it cannot be shared, because only its own account can use an AWS managed key and its key policy cannot be changed. ' +
    'Copy the AMI re-encrypted with a customer managed key (kmsKey: project, the key this project creates) and share the copy';

  it.each([
    ['an AMI on the AWS managed EBS key, by alias', ami({ kmsKey: 'alias/aws/ebs' }), [`organization.yaml: sharing.amis[0].kmsKey "alias/aws/ebs" ${managed}`]],
    [
      'an AMI on the AWS managed EBS key, as written in the console',
      ami({ kmsKey: 'aws/ebs' }),
      [`organization.yaml: sharing.amis[0].kmsKey "aws/ebs" ${managed}`],
    ],
    [
      'an AMI on the AWS managed EBS key, by alias ARN',
      ami({ kmsKey: 'arn:aws:kms:us-east-1:222222222222:alias/aws/ebs' }),
      [`organization.yaml: sharing.amis[0].kmsKey "arn:aws:kms:us-east-1:222222222222:alias/aws/ebs" ${managed}`],
    ],
    [
      "a key that is neither the project's nor a key ARN",
      ami({ kmsKey: 'alias/my-key' }),
      ['organization.yaml: sharing.amis[0].kmsKey "alias/my-key" is neither "project" nor a KMS key ARN (arn:aws:kms:<region>:<account id>:key/<key id>)'],
    ],
    [
      'a key of another region',
      ami({ kmsKey: 'arn:aws:kms:us-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab' }),
      [
        'organization.yaml: sharing.amis[0].kmsKey "arn:aws:kms:us-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab" is a key of us-west-2, ' +
          'but the AMIs are shared in homeRegion "us-east-1": an AMI\'s snapshots use a key of its own region',
      ],
    ],
    [
      'a key of an account outside the organization',
      ami({ kmsKey: 'arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab' }),
      [
        'organization.yaml: sharing.amis[0].kmsKey "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab" is a key of account 999999999999, ' +
          'which is not in the organization: shared artifacts stay within it',
      ],
    ],
    [
      'the project key refused while an AMI uses it',
      orgFile((org) => ((org.sharing.amiKey = false), (org.sharing.amis[0].kmsKey = 'project'))),
      ['organization.yaml: sharing.amis[0].kmsKey is "project", but sharing.amiKey is false: the project creates no AMI key'],
    ],
    [
      'a repository shared twice',
      orgFile((org) => org.sharing.ecr.push({ name: 'webapp', keepImages: 5 })),
      ['organization.yaml: sharing.ecr[1].name "webapp" is already shared by sharing.ecr[0]'],
    ],
    [
      'an AMI shared twice under two names',
      orgFile((org) => org.sharing.amis.push({ name: 'base-again', id: org.sharing.amis[0].id })),
      ['organization.yaml: sharing.amis[1].id "ami-0123456789abcdef0" is already shared by sharing.amis[0]'],
    ],
    ['a consumer listed twice', ami({ consumers: ['qa', 'qa'] }), ['organization.yaml: sharing.amis[0].consumers[1] lists "qa" twice']],
    [
      'a consumer that is not an account',
      orgFile((org) => (org.sharing.ecr[0].consumers = ['staging'])),
      ['organization.yaml: sharing.ecr[0].consumers[0] names account "staging", which has no file (known: dev, management, prod, qa)'],
    ],
    [
      'a repository name ECR refuses',
      orgFile((org) => (org.sharing.ecr[0].name = 'WebApp')),
      ['organization.yaml: sharing.ecr[0].name "WebApp" is not a valid ECR repository name (lowercase letters, digits and ._- separators, namespaces with /)'],
    ],
    [
      'a lifecycle that keeps nothing',
      orgFile((org) => (org.sharing.ecr[0].keepImages = 0)),
      ['organization.yaml: sharing.ecr[0].keepImages is 0, expected at least 1'],
    ],
  ])('%s', (_label, dir, expected) => {
    expect(problemsOf(dir)).toEqual(expected);
  });

  it('accepts the project key and key ARNs of the organization in the home region', () => {
    for (const kmsKey of [
      'project',
      'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws:kms:us-east-1:222222222222:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    ]) {
      expect(loadOrganization(editedOrg({ 'organization.yaml': (org) => (org.sharing.amis[0].kmsKey = kmsKey) })).sharing.amis[0].kmsKey).toBe(kmsKey);
    }
    expect(loadOrganization(DEFAULT_ORG).sharing.amis[0].kmsKey).toBeUndefined();
  });
});
