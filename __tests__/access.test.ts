// Who can do what, as an IAM policy simulator (@cloud-copilot/iam-simulate) evaluates the synthesized
// policies of the planned organizations: the roles each group can switch into, with and without MFA; the
// pyramid of actions; escalation attempts that must fail; the application roles.
import { readFileSync } from 'node:fs';
import { loadOrganization } from '../description/load';
import type { Organization } from '../description/model';
import {
  type AccessMatrixRow,
  computeAccessMatrix,
  findRole,
  formatAccessMatrix,
  memberAsPrincipal,
  productionDataReads,
  userAsPrincipal,
} from '../scripts/lib/access-matrix';
import { AWS_MANAGED_POLICIES_FILE, extractManagedPolicyList, renderManagedPolicyList } from '../scripts/lib/aws-managed-policies';
import {
  assumeRoleRequest,
  type IamRequest,
  loadIamSimulator,
  type RequestPrincipal,
  roleSessionPrincipal,
  SIGNED_IN_WITH_MFA,
  type SignIn,
} from '../scripts/lib/iam-simulator';
import type { TerraformJson } from '../scripts/lib/synthesized';
import { readSynthesizedIam, type SynthesizedIam } from '../scripts/lib/synthesized-iam';
import { editedOrg, synthesizeOrg } from './helpers';
import { PLANNED_ORGS, plannedOrg } from './setup/planned';
import { crossAccountRoleName } from '../naming/names';

const simulator = loadIamSimulator();

function plannedIam(name: string): { org: Organization; iam: SynthesizedIam } {
  const stacks = [...plannedOrg(name)].map(([stack, { json }]) => ({ name: stack, json }));
  return { org: loadOrganization(PLANNED_ORGS[name]), iam: iamOf(stacks) };
}

function iamOf(stacks: readonly { name: string; json?: TerraformJson }[]): SynthesizedIam {
  return readSynthesizedIam(
    stacks.flatMap(({ name, json }) => (json ? [{ name, json }] : [])),
    (policy) => simulator.awsManagedPolicy(policy),
  );
}

/** Every data-reading action the read-data column simulates, in its order. */
const ALL_DATA_READS = [
  's3:GetObject',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'rds-data:ExecuteStatement',
  'ssm:GetParameter',
  'secretsmanager:GetSecretValue',
  'sqs:ReceiveMessage',
  'kinesis:GetRecords',
];

describe.each(Object.keys(PLANNED_ORGS))('in the %s organization', (name) => {
  const { org, iam } = plannedIam(name);
  const identity = org.identity;
  const maxAge = org.mfaMaxAgeHours * 3600;

  it('a member of each group can switch into exactly the roles of its row, and only with a recent MFA sign-in', async () => {
    const crossRoles = iam.roles.filter((role) => role.name.startsWith('cross-'));
    expect(crossRoles).toHaveLength(org.crossAccountGrants.length);
    const assumable = (group: string, signIn: SignIn) =>
      Promise.all(
        crossRoles.map(async (role) => [
          role.arn,
          await simulator.evaluate(assumeRoleRequest(memberAsPrincipal(iam, org.partition, identity.id, group, signIn), role)),
        ]),
      );
    for (const group of Object.keys(org.groups)) {
      const row = org.crossAccountGrants.filter((grant) => grant.group === group).map((grant) => grant.roleArn);
      const withMfa = await assumable(group, SIGNED_IN_WITH_MFA);
      expect([
        group,
        withMfa
          .filter(([, verdict]) => verdict === 'allowed')
          .map(([arn]) => arn)
          .sort(),
      ]).toEqual([group, [...row].sort()]);
      for (const signIn of ['access-key', 'password-without-mfa', { mfaAgeSeconds: maxAge + 60 }] as SignIn[]) {
        expect([group, signIn, (await assumable(group, signIn)).filter(([, verdict]) => verdict === 'allowed')]).toEqual([group, signIn, []]);
      }
    }
  });

  it("a group's assume-role policy reaches its role in the accounts of its row only: not in another member account, not outside the organization", async () => {
    const FOREIGN = '999999999999';
    // A role that trusts the identity account whole, and the group's assume-role policy alone (its own
    // permissions there, PowerUserAccess say, may allow sts:AssumeRole anywhere: trust policies stop that).
    const trustingIdentity = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${identity.id}:root` }, Action: 'sts:AssumeRole' }],
    };
    for (const group of Object.keys(org.groups)) {
      const principal = memberAsPrincipal(iam, org.partition, identity.id, group, SIGNED_IN_WITH_MFA);
      const member = { ...principal, policies: principal.policies.filter((policy) => policy.name === 'assume-cross-account-roles') };
      const row = new Set(org.crossAccountGrants.filter((grant) => grant.group === group).map((grant) => grant.account.id));
      for (const accountId of [...org.accounts.map((account) => account.id), FOREIGN]) {
        for (const roleName of [crossAccountRoleName(group), 'cross-other']) {
          const verdict = await simulator.evaluate({
            principal: member,
            action: 'sts:AssumeRole',
            resource: `arn:aws:iam::${accountId}:role/${roleName}`,
            resourceAccountId: accountId,
            resourceOrganizationId: accountId === FOREIGN ? 'o-foreign0000' : org.awsOrganization.id,
            resourcePolicy: trustingIdentity,
          });
          const expected = row.has(accountId) && roleName === crossAccountRoleName(group) ? 'allowed' : 'denied';
          expect([group, accountId, roleName, verdict]).toEqual([group, accountId, roleName, expected]);
        }
      }
    }
  });

  it("no principal outside the identity account's users can switch into a cross-account role", async () => {
    const role = iam.roles.find((candidate) => candidate.name.startsWith('cross-'))!;
    const roleOfIdentityAccount: RequestPrincipal = {
      arn: `arn:aws:sts::${identity.id}:assumed-role/ec2-instance/i-0123456789abcdef0`,
      accountId: identity.id,
      policies: [{ name: 'anything', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
      context: {
        'aws:PrincipalArn': `arn:aws:iam::${identity.id}:role/application/ec2-instance`,
        'aws:MultiFactorAuthPresent': 'true',
        'aws:MultiFactorAuthAge': '1',
      },
    };
    expect(await simulator.evaluate(assumeRoleRequest(roleOfIdentityAccount, role))).toBe('denied');
  });
});

describe("the default organization's access matrix", () => {
  const { org, iam } = plannedIam('default');
  let rows: AccessMatrixRow[];
  beforeAll(async () => {
    rows = await computeAccessMatrix(org, iam, simulator);
  });
  const verdicts = (group: string, label: string) =>
    Object.fromEntries(rows.filter((row) => row.group === group).map((row) => [row.account, row.actions[label]]));

  it('is the pyramid: developers change dev, read data in qa, only look in prod; ops administer everywhere', () => {
    expect(verdicts('dev', 'run')).toEqual({ management: 'denied', dev: 'allowed', qa: 'denied', prod: 'denied' });
    expect(verdicts('dev', 'read-data')).toEqual({ management: 'denied', dev: 'allowed', qa: 'allowed', prod: 'denied' });
    expect(verdicts('dev', 'logs')).toEqual({ management: 'denied', dev: 'allowed', qa: 'allowed', prod: 'allowed' });
    expect(verdicts('dev-leads', 'run')).toEqual({ management: 'denied', dev: 'allowed', qa: 'allowed', prod: 'denied' });
    expect(verdicts('qa', 'run')).toEqual({ management: 'denied', dev: 'denied', qa: 'allowed', prod: 'denied' });
    expect(verdicts('ops', 'iam')).toEqual({ management: 'denied', dev: 'allowed', qa: 'allowed', prod: 'allowed' });
    expect(verdicts('billing', 'bills')).toEqual({ management: 'allowed', dev: 'allowed', qa: 'denied', prod: 'denied' });
    expect(verdicts('billing', 'list')).toEqual({ management: 'denied', dev: 'denied', qa: 'denied', prod: 'denied' });
  });

  it('lets only ops, administrators, read data in prod: leads triage there like everyone else', () => {
    expect(verdicts('dev-leads', 'read-data')).toEqual({ management: 'denied', dev: 'allowed', qa: 'allowed', prod: 'denied' });
    expect(productionDataReads(org, rows)).toEqual([{ group: 'ops', account: 'prod', actions: ALL_DATA_READS }]);
  });

  it('flags a production account by its environment, as productionEnvironments lists them', () => {
    const qaIsProduction = loadOrganization(editedOrg({ 'organization.yaml': (file: any) => (file.productionEnvironments = ['qa']) }));
    expect(productionDataReads(qaIsProduction, rows).map((read) => `${read.group} in ${read.account}`)).toEqual([
      'dev in qa',
      'dev-leads in qa',
      'qa in qa',
      'ops in qa',
    ]);
    const noProduction = loadOrganization(editedOrg({ 'organization.yaml': (file: any) => (file.productionEnvironments = []) }));
    expect(productionDataReads(noProduction, rows)).toEqual([]);
    expect(formatAccessMatrix(noProduction, rows)).toContain("No account's environment is among productionEnvironments");
  });

  it('is what `npm run access-matrix` prints (review the snapshot when access changes)', () => {
    expect(formatAccessMatrix(org, rows)).toMatchSnapshot();
  });
});

describe('reading data in production', () => {
  it('is flagged for leads given ReadOnlyAccess in prod, with the data-reading actions it allows', async () => {
    const { org, stacks } = await synthesizeOrg(editedOrg({ 'organization.yaml': (file: any) => (file.access['dev-leads'].prod = ['ReadOnlyAccess']) }));
    const rows = await computeAccessMatrix(org, iamOf(stacks), simulator);
    const readOnly = ['s3:GetObject', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'ssm:GetParameter', 'sqs:ReceiveMessage', 'kinesis:GetRecords'];
    expect(productionDataReads(org, rows)).toEqual([
      { group: 'dev-leads', account: 'prod', actions: readOnly },
      { group: 'ops', account: 'prod', actions: ALL_DATA_READS },
    ]);
    const text = formatAccessMatrix(org, rows);
    expect(text).toContain(
      `2 cells read data in the production account (prod), where access is meant for triage: review them.\n  dev-leads in prod: ${readOnly.join(', ')}\n`,
    );
    expect(text).toMatch(/^dev-leads +prod +cross-dev-leads +allow +· +allow +allow +allow +allow! /m);
  });

  it('is flagged in the five-accounts organization for sre, administrators in production, and not for triage nor audit', async () => {
    const { org, iam } = plannedIam('five-accounts');
    const reads = productionDataReads(org, await computeAccessMatrix(org, iam, simulator));
    expect(reads).toEqual([{ group: 'sre', account: 'production', actions: ALL_DATA_READS }]);
  });
});

describe('escalation attempts in the default organization fail', () => {
  const { org, iam } = plannedIam('default');
  const dev = org.identity.id;
  const evaluate = (request: Omit<IamRequest, 'resourceAccountId'> & { resourceAccountId?: string }) =>
    simulator.evaluate({ resourceAccountId: dev, ...request });
  const bob = userAsPrincipal(iam, dev, 'bob', SIGNED_IN_WITH_MFA);
  const alice = userAsPrincipal(iam, dev, 'alice', SIGNED_IN_WITH_MFA);

  it.each([
    ['join dev-leads', 'iam:AddUserToGroup', `arn:aws:iam::${dev}:group/dev-leads`],
    ['attach a policy to his group', 'iam:AttachGroupPolicy', `arn:aws:iam::${dev}:group/dev`],
    ["write his group's inline policy", 'iam:PutGroupPolicy', `arn:aws:iam::${dev}:group/dev`],
    ['give himself an inline policy', 'iam:PutUserPolicy', `arn:aws:iam::${dev}:user/bob`],
    ['create access keys for another user', 'iam:CreateAccessKey', `arn:aws:iam::${dev}:user/alice`],
    ["set another user's password", 'iam:UpdateLoginProfile', `arn:aws:iam::${dev}:user/alice`],
    ["deactivate another user's MFA", 'iam:DeactivateMFADevice', `arn:aws:iam::${dev}:user/alice`],
    ["register an MFA device under another user's name", 'iam:CreateVirtualMFADevice', `arn:aws:iam::${dev}:mfa/alice`],
    ['tag himself a member of ops', 'iam:TagUser', `arn:aws:iam::${dev}:user/bob`],
  ])('a developer cannot %s', async (_label, action, resource) => {
    expect(await evaluate({ principal: bob, action, resource })).toBe('denied');
  });

  it('a developer manages his own credentials, and without MFA nothing else', async () => {
    const withoutMfa = userAsPrincipal(iam, dev, 'bob', 'password-without-mfa');
    expect(await evaluate({ principal: bob, action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${dev}:user/bob` })).toBe('allowed');
    expect(await evaluate({ principal: withoutMfa, action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${dev}:user/bob` })).toBe('denied');
    expect(await evaluate({ principal: withoutMfa, action: 'iam:ChangePassword', resource: `arn:aws:iam::${dev}:user/bob` })).toBe('allowed');
    expect(await evaluate({ principal: withoutMfa, action: 'iam:CreateVirtualMFADevice', resource: `arn:aws:iam::${dev}:mfa/bob` })).toBe('allowed');
    expect(await evaluate({ principal: withoutMfa, action: 'iam:EnableMFADevice', resource: `arn:aws:iam::${dev}:user/bob` })).toBe('allowed');
    expect(await evaluate({ principal: withoutMfa, action: 'ec2:DescribeInstances', resource: '*' })).toBe('denied');
    expect(await evaluate({ principal: userAsPrincipal(iam, dev, 'bob', 'access-key'), action: 's3:ListAllMyBuckets', resource: '*' })).toBe('denied');
    expect(await evaluate({ principal: bob, action: 's3:ListAllMyBuckets', resource: '*' })).toBe('allowed');
  });

  it.each([
    ['cross-ops', 'prod'],
    ['cross-dev-leads', 'qa'],
    ['cross-billing', 'management'],
  ])('a developer cannot assume %s in %s, outside his row', async (roleName, accountName) => {
    const account = org.accounts.find((candidate) => candidate.name === accountName)!;
    const role = findRole(iam, account.id, roleName)!;
    expect(role).toBeDefined();
    expect(await simulator.evaluate(assumeRoleRequest(bob, role))).toBe('denied');
  });

  it('a lead, also a developer, can assume the roles of both rows', async () => {
    const qa = org.accounts.find((candidate) => candidate.name === 'qa')!.id;
    for (const roleName of ['cross-dev', 'cross-dev-leads'])
      expect(await simulator.evaluate(assumeRoleRequest(alice, findRole(iam, qa, roleName)!))).toBe('allowed');
  });

  const pass = (principal: RequestPrincipal, role: string, service: string) =>
    evaluate({ principal, action: 'iam:PassRole', resource: `arn:aws:iam::${dev}:role/${role}`, context: { 'iam:PassedToService': service } });

  it('a lead passes the application roles to their own service only', async () => {
    expect(await pass(alice, 'application/ec2-instance', 'ec2.amazonaws.com')).toBe('allowed');
    expect(await pass(alice, 'application/ecs-task', 'ecs-tasks.amazonaws.com')).toBe('allowed');
    expect(await pass(alice, 'application/ecs-task-execution', 'ecs-tasks.amazonaws.com')).toBe('allowed');
    expect(await pass(alice, 'application/ecs-task', 'ec2.amazonaws.com')).toBe('denied');
    expect(await pass(alice, 'application/ec2-instance', 'lambda.amazonaws.com')).toBe('denied');
  });

  it.each([['OrganizationAccountAccessRole'], ['cross-dev'], ['some-admin-role']])('a lead cannot pass %s, which is not an application role', async (role) => {
    expect(await pass(alice, role, 'ec2.amazonaws.com')).toBe('denied');
  });

  it('a developer cannot pass even an application role', async () => {
    expect(await pass(bob, 'application/ec2-instance', 'ec2.amazonaws.com')).toBe('denied');
  });
});

describe('the application roles', () => {
  const { org, iam } = plannedIam('default');
  const account = (name: string) => org.accounts.find((candidate) => candidate.name === name)!.id;
  const dev = account('dev');
  const repository = (name: string) => `arn:aws:ecr:us-east-1:${dev}:repository/${name}`;
  const session = (accountName: string, role: string) => roleSessionPrincipal(findRole(iam, account(accountName), role)!, 'task');
  // The real policy of the shared repository. For "not-shared", the same policy stands in for a repository
  // shared with the account but absent from the roles' policies: only the roles' own policies refuse it.
  const webapp = iam.repositoryPolicies.find((policy) => policy.repositoryArn === repository('webapp'))!.document;

  it.each([['qa'], ['prod'], ['dev']])('in %s, get a registry token and pull the shared images, and nothing else from ECR', async (accountName) => {
    for (const role of ['ecs-task-execution', 'ec2-instance']) {
      const principal = session(accountName, role);
      const onRepository = (action: string, name: string) =>
        simulator.evaluate({ principal, action, resource: repository(name), resourceAccountId: dev, resourcePolicy: webapp });
      // The token is the caller's own, for any registry its policies then let it read.
      expect(await simulator.evaluate({ principal, action: 'ecr:GetAuthorizationToken', resource: '*', resourceAccountId: account(accountName) })).toBe(
        'allowed',
      );
      expect(await onRepository('ecr:BatchGetImage', 'webapp')).toBe('allowed');
      expect(await onRepository('ecr:GetDownloadUrlForLayer', 'webapp')).toBe('allowed');
      expect(await onRepository('ecr:BatchGetImage', 'not-shared')).toBe('denied');
      expect(await onRepository('ecr:PutImage', 'webapp')).toBe('denied');
      expect(await onRepository('ecr:DeleteRepository', 'webapp')).toBe('denied');
    }
  });

  it('in management, which consumes nothing, pull nothing', async () => {
    const principal = session('management', 'ecs-task-execution');
    const management = account('management');
    expect(await simulator.evaluate({ principal, action: 'ecr:GetAuthorizationToken', resource: '*', resourceAccountId: management })).toBe('denied');
    expect(
      await simulator.evaluate({ principal, action: 'ecr:BatchGetImage', resource: repository('webapp'), resourceAccountId: dev, resourcePolicy: webapp }),
    ).toBe('denied');
  });

  it('the task execution role writes ECS task logs of its own account only', async () => {
    const principal = session('qa', 'ecs-task-execution');
    const qa = account('qa');
    const write = (group: string) =>
      simulator.evaluate({
        principal,
        action: 'logs:PutLogEvents',
        resource: `arn:aws:logs:us-east-1:${qa}:log-group:${group}:log-stream:x`,
        resourceAccountId: qa,
      });
    expect(await write('/ecs/webapp')).toBe('allowed');
    expect(await write('/aws/lambda/other')).toBe('denied');
  });
});

it("description/aws-managed-policy-names.json lists the installed package's policies (run `npm run aws-managed-policies` after updating it)", () => {
  expect(readFileSync(AWS_MANAGED_POLICIES_FILE, 'utf8')).toBe(renderManagedPolicyList(extractManagedPolicyList()));
});
