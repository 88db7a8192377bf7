// modules/identity: the cross-account roles people switch into, the identity account's groups and users,
// MFA, the permission policies behind the access matrix, the application roles.
import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { APPLICATION_ROLE_PATH } from '../../../catalog/application-roles';
import { attachedPolicies } from '../../../catalog/custom-policies';
import { ApplicationRoles } from '../../../modules/identity/application-roles';
import { CrossAccountRole, type CrossAccountRoleProps } from '../../../modules/identity/cross-account-role';
import { IamUser } from '../../../modules/identity/iam-user';
import { JobFunctionGroup } from '../../../modules/identity/job-function-group';
import { RequireMfaPolicy, requireMfaPolicy } from '../../../modules/identity/mfa-policies';
import { CisPasswordPolicy } from '../../../modules/identity/password-policy';
import { PermissionPolicies } from '../../../modules/identity/permission-policies';
import { switchRoleUrl } from '../../../modules/identity/switch-role-url';
import { policyOf, sidsOf, statementOf, synthScope } from '../synth-scope';

const IDENTITY = '111111111111';
const PROD = '333333333333';

describe('a cross-account role', () => {
  const PROPS: CrossAccountRoleProps = {
    partition: 'aws',
    roleName: 'cross-dev',
    description: 'dev in prod',
    identityAccountId: IDENTITY,
    memberTag: { key: 'group:dev', value: 'member' },
    mfaMaxAgeSeconds: 3600,
    maxSessionSeconds: 7200,
    policies: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
  };
  const out = synthScope((scope) => new CrossAccountRole(scope, 'cross-dev', PROPS));
  const role = out.one('aws_iam_role');

  it('trusts only tagged members of its group, IAM users of the identity account signed in with recent MFA', () => {
    expect(policyOf(role.assume_role_policy).Statement).toEqual([
      {
        Sid: 'GroupMembersWithRecentMfa',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${IDENTITY}:root` },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${IDENTITY}:user/*` },
          StringEquals: { 'aws:PrincipalTag/group:dev': 'member' },
          Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
        },
      },
    ]);
  });

  it("lasts at most the session limit and carries the cell's policies", () => {
    expect(role).toMatchObject({ name: 'cross-dev', description: 'dev in prod', max_session_duration: 7200 });
    expect(out.one('aws_iam_role_policy_attachment')).toEqual({
      role: out.reference('aws_iam_role', 'name'),
      policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
  });
});

describe('a group of the identity account', () => {
  const groupOf = (assumableRoles?: ConstructorParameters<typeof JobFunctionGroup>[2]['assumableRoles']) =>
    synthScope(
      (scope) =>
        new JobFunctionGroup(scope, 'dev', {
          partition: 'aws',
          groupName: 'dev',
          policies: [{ arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' }],
          assumableRoles,
        }),
    );

  it('switches into its role in the listed accounts only, by account', () => {
    const out = groupOf({ roleName: 'cross-dev', accounts: { accountIds: [PROD, '222222222222'] } });
    expect(out.one('aws_iam_group')).toEqual({ name: 'dev' });
    expect(out.one('aws_iam_group_policy_attachment')).toEqual({
      group: out.reference('aws_iam_group', 'name'),
      policy_arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    });
    expect(statementOf(out.one('aws_iam_group_policy').policy, 'SwitchIntoTheRolesOfThisGroup')).toEqual({
      Sid: 'SwitchIntoTheRolesOfThisGroup',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: 'arn:aws:iam::*:role/cross-dev',
      Condition: { StringEquals: { 'aws:ResourceAccount': [PROD, '222222222222'] } },
    });
  });

  it('reaching every other member account, names the organization instead, its own account excepted', () => {
    const out = groupOf({ roleName: 'cross-dev', accounts: { organizationId: 'o-abcdef1234', exceptAccountId: IDENTITY } });
    expect(statementOf(out.one('aws_iam_group_policy').policy, 'SwitchIntoTheRolesOfThisGroup').Condition).toEqual({
      StringEquals: { 'aws:ResourceOrgID': 'o-abcdef1234' },
      StringNotEquals: { 'aws:ResourceAccount': IDENTITY },
    });
  });

  it('without roles elsewhere, switches into none', () => {
    expect(groupOf(undefined).all('aws_iam_group_policy')).toEqual([]);
  });
});

describe('an IAM user', () => {
  const out = synthScope((scope) => {
    const groups = ['dev', 'ops'].map((name) => new IamGroup(scope, name, { name }));
    const mfa = new RequireMfaPolicy(scope, 'require-mfa', { partition: 'aws', accountId: IDENTITY });
    new IamUser(scope, 'alice', {
      partition: 'aws',
      userName: 'alice',
      accountId: IDENTITY,
      groups,
      membershipTags: { 'group:dev': 'member', 'group:ops': 'member' },
      policies: [mfa],
    });
  });

  it('is tagged a member of each of its groups, and in them; no password or key is created', () => {
    expect(out.one('aws_iam_user')).toEqual({ name: 'alice', force_destroy: true, tags: { 'group:dev': 'member', 'group:ops': 'member' } });
    expect(out.one('aws_iam_user_group_membership').groups).toEqual(Object.keys(out.byId('aws_iam_group')).map((id) => `\${aws_iam_group.${id}.name}`));
    expect(out.all('aws_iam_user_login_profile')).toEqual([]);
    expect(out.all('aws_iam_access_key')).toEqual([]);
  });

  it('manages their own password, keys and MFA device, by literal ARN', () => {
    const policy = out.one('aws_iam_user_policy').policy;
    expect(statementOf(policy, 'ManageOwnPasswordAndAccessKeys').Resource).toBe(`arn:aws:iam::${IDENTITY}:user/alice`);
    expect(statementOf(policy, 'CreateOwnVirtualMfaDevice').Resource).toBe(`arn:aws:iam::${IDENTITY}:mfa/alice`);
    expect(policy).not.toContain('aws:username');
  });

  it('carries require-mfa, attached after the policy exists', () => {
    expect(out.one('aws_iam_user_policy_attachment')).toMatchObject({
      policy_arn: `arn:aws:iam::${IDENTITY}:policy/require-mfa`,
      depends_on: [`aws_iam_policy.${Object.keys(out.byId('aws_iam_policy'))[0]}`],
    });
  });
});

it('an existing user and group are taken over by their names, renamed in place', () => {
  const out = synthScope((scope) => {
    const group = new JobFunctionGroup(scope, 'dev', { partition: 'aws', groupName: 'dev', policies: [], existingName: 'developers' }).group;
    new IamUser(scope, 'alice', {
      partition: 'aws',
      userName: 'alice',
      accountId: IDENTITY,
      groups: [group],
      membershipTags: {},
      policies: [],
      existingName: 'alice.smith',
    });
  });
  const address = (type: string) => `${type}.${Object.keys(out.byId(type))[0]}`;
  expect(out.json.import).toEqual([
    { to: address('aws_iam_group'), id: 'developers' },
    { to: address('aws_iam_user'), id: 'alice.smith' },
  ]);
  expect([out.one('aws_iam_group').name, out.one('aws_iam_user').name]).toEqual(['dev', 'alice']);
});

describe('require-mfa', () => {
  const document = requireMfaPolicy('aws');
  const [withoutMfa, keysAlone, othersDevices] = document.Statement;

  it("denies all but setting up a password and one's own device until signed in with MFA, long-term keys included", () => {
    expect(withoutMfa).toMatchObject({ Effect: 'Deny', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } });
    expect(withoutMfa.NotAction).toEqual(expect.arrayContaining(['iam:ChangePassword', 'iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'sts:AssumeRole']));
    // Removing a device needs MFA: a stolen password alone must not swap the device.
    expect(withoutMfa.NotAction).not.toContain('iam:DeactivateMFADevice');
    expect(keysAlone).toMatchObject({ Effect: 'Deny', Condition: { Null: { 'aws:MultiFactorAuthPresent': 'true' } } });
    expect(othersDevices.NotResource).toEqual(['arn:aws:iam::*:mfa/${aws:username}', 'arn:aws:iam::*:user/${aws:username}']);
  });

  it('is a managed policy of that name whose policy variables survive Terraform', () => {
    const out = synthScope((scope) => new RequireMfaPolicy(scope, 'require-mfa', { partition: 'aws', accountId: IDENTITY }));
    expect(out.one('aws_iam_policy').name).toBe('require-mfa');
    expect(out.one('aws_iam_policy').policy).toContain('\\u0024{aws:username}');
    expect(sidsOf(out.one('aws_iam_policy').policy)).toEqual([
      'DenyAllButSettingUpMfaWithoutMfa',
      'DenyMfaDeviceChangesWithAccessKeysAlone',
      'DenyOthersMfaDevicesWithoutMfa',
    ]);
  });
});

describe('permission policies', () => {
  it("expand a cell's permissions into AWS managed policies and the project's own, each once", () => {
    expect(attachedPolicies(['triage', 'job-function/ViewOnlyAccess', 'ReadOnlyAccess', 'triage'])).toEqual({
      awsManaged: ['job-function/ViewOnlyAccess', 'ReadOnlyAccess'],
      custom: ['triage'],
    });
  });

  it('create a custom policy once in the account, however many cells use it, and attach it after', () => {
    const out = synthScope((scope) => {
      const policies = new PermissionPolicies(scope, 'policies', { partition: 'aws', accountId: PROD });
      expect(policies.policiesFor(['triage', 'ReadOnlyAccess']).map((policy) => policy.arn)).toEqual([
        'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
        `arn:aws:iam::${PROD}:policy/triage`,
      ]);
      policies.policiesFor(['triage']);
    });
    expect(out.one('aws_iam_policy').name).toBe('triage');
    expect(sidsOf(out.one('aws_iam_policy').policy)).toEqual(['ReadLogs', 'ReadMetricsAndAlarms']);
  });

  it('pass-application-roles hands each application role to its one service', () => {
    const out = synthScope((scope) => new PermissionPolicies(scope, 'policies', { partition: 'aws', accountId: PROD }).policiesFor(['pass-application-roles']));
    const policy = out.one('aws_iam_policy').policy;
    expect(statementOf(policy, 'PassInstanceRoleToEc2')).toMatchObject({
      Resource: [`arn:aws:iam::${PROD}:role/application/ec2-instance`],
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    });
    expect(statementOf(policy, 'PassTaskRolesToEcs')).toMatchObject({
      Resource: [`arn:aws:iam::${PROD}:role/application/ecs-task`, `arn:aws:iam::${PROD}:role/application/ecs-task-execution`],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
  });
});

describe('the application roles', () => {
  const rolesOf = (pullRepositoryArns: string[]) =>
    synthScope((scope) => new ApplicationRoles(scope, 'application-roles', { partition: 'aws', accountId: PROD, pullRepositoryArns }));
  const REPOSITORY = 'arn:aws:ecr:eu-west-1:444444444444:repository/app';
  const out = rolesOf([REPOSITORY]);
  const roles = Object.values(out.byId('aws_iam_role'));
  const role = (name: string) => roles.find((candidate) => candidate.name === name)!;

  it('live under the application path, each assumed by its one service; ECS tasks of this account only', () => {
    expect(roles.map((candidate) => [candidate.name, candidate.path, policyOf(candidate.assume_role_policy).Statement[0].Principal]).sort()).toEqual([
      ['ec2-instance', APPLICATION_ROLE_PATH, { Service: 'ec2.amazonaws.com' }],
      ['ecs-task', APPLICATION_ROLE_PATH, { Service: 'ecs-tasks.amazonaws.com' }],
      ['ecs-task-execution', APPLICATION_ROLE_PATH, { Service: 'ecs-tasks.amazonaws.com' }],
    ]);
    expect(policyOf(role('ecs-task').assume_role_policy).Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': PROD },
      ArnLike: { 'aws:SourceArn': `arn:aws:ecs:*:${PROD}:*` },
    });
    expect(out.one('aws_iam_instance_profile')).toMatchObject({ name: 'ec2-instance', path: APPLICATION_ROLE_PATH });
  });

  it('the instance and task execution roles pull the shared images and nothing else from ECR; without repositories, nothing', () => {
    const pulls = out.all('aws_iam_role_policy').filter((policy) => policy.name === 'pull-shared-images');
    expect(pulls).toHaveLength(2);
    for (const pull of pulls) expect(statementOf(pull.policy, 'PullImages').Resource).toEqual([REPOSITORY]);
    expect(
      rolesOf([])
        .all('aws_iam_role_policy')
        .map((policy) => policy.name),
    ).toEqual(['write-container-logs']);
  });
});

it('the password policy is as strong as CIS asks', () => {
  const out = synthScope((scope) => new CisPasswordPolicy(scope, 'password-policy'));
  expect(out.one('aws_iam_account_password_policy')).toMatchObject({
    minimum_password_length: 14,
    password_reuse_prevention: 24,
    max_password_age: 90,
    require_symbols: true,
    hard_expiry: false,
  });
});

it("a switch-role link names the account and role, its display name cut to the console's 64 characters", () => {
  const url = new URL(switchRoleUrl(PROD, 'cross-dev', `prod ${'x'.repeat(80)}`));
  expect([url.origin + url.pathname, url.searchParams.get('account'), url.searchParams.get('roleName'), url.searchParams.get('displayName')!.length]).toEqual([
    'https://signin.aws.amazon.com/switchrole',
    PROD,
    'cross-dev',
    64,
  ]);
});
