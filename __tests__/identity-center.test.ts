// IAM Identity Center (identity.mode): the same access matrix as permission sets and account assignments.
// iam-users synthesizes exactly what it did; both and identity-center plan offline, change nothing outside
// identity (the guardrail protecting Identity Center's roles and the organization's trusted access for it
// aside, both asserted); the permission sets' roles give the same pyramid as the cross-<group> roles under
// the simulator; the guardrail keeps member administrators off those roles' trust; aws-config and the
// access matrix speak Identity Center.
import { readFileSync } from 'node:fs';
import { accountAssignments, permissionSets } from '../description/identity-center';
import { computeAccessMatrix, findPermissionSetRole, formatAccessMatrix } from '../scripts/lib/access-matrix';
import { loadIamSimulator, type RequestPrincipal, roleSessionPrincipal } from '../scripts/lib/iam-simulator';
import { checkOffline } from '../scripts/lib/offline-plan';
import type { TerraformJson } from '../scripts/lib/synthesized';
import { readSynthesizedIam } from '../scripts/lib/synthesized-iam';
import { collectAccess, renderAccess } from '../scripts/lib/review/access';
import { DEFAULT_ORG, editedOrg, problemsOf, runNode, type Synthesized, synthesizeOrg } from './helpers';
import { serviceControlPoliciesOf } from './service-control-policies';
import { offlineCache, PLANNED_ORGS, synthesizedOrg } from './setup/planned';

const INSTANCE = { instanceArn: 'arn:aws:sso:::instance/ssoins-722325a1b2c3d4e5', identityStoreId: 'd-9067a1b2c3' };

const inMode = (mode: string, identityCenter: object = INSTANCE, edit: (file: any) => void = () => {}, source = DEFAULT_ORG) =>
  editedOrg(
    {
      'organization.yaml': (file) => {
        file.identity = { mode, identityCenter };
        edit(file);
      },
    },
    source,
  );

const jsonOf = (stacks: readonly { name: string; json?: TerraformJson }[]) =>
  new Map(stacks.flatMap(({ name, json }) => (json ? [[name, json] as const] : [])));

/** A stack's JSON without its identity resources (IAM users, groups and cross-<group> roles; Identity Center), nor the outputs that link to them. */
function withoutIdentity(json: TerraformJson): TerraformJson {
  const resource = Object.fromEntries(
    Object.entries(json.resource ?? {})
      .filter(([type]) => !/^aws_(ssoadmin|identitystore)_|^aws_organizations_delegated_administrator$/.test(type))
      .map(([type, byId]) => [
        type,
        Object.fromEntries(Object.entries(byId).filter(([id]) => !id.startsWith('identity_') || id.startsWith('identity_application-roles_'))),
      ])
      .filter(([, byId]) => Object.keys(byId).length > 0),
  );
  const output = Object.fromEntries(
    Object.entries(json.output ?? {}).filter(([name]) => !['switch-role-urls', 'console-sign-in-url', 'access-portal-url'].includes(name)),
  );
  const data = Object.fromEntries(Object.entries(json.data ?? {}).filter(([type]) => type !== 'aws_identitystore_group'));
  // cdktf's own metadata lists the outputs again.
  const { '//': _metadata, ...rest } = json as TerraformJson & { '//'?: unknown };
  return { ...rest, resource, output, data };
}

/** Resources that differ between two synthesized organizations, identity left out: "stack type.id". */
function changedOutsideIdentity(before: Map<string, TerraformJson>, after: Map<string, TerraformJson>): string[] {
  expect([...after.keys()]).toEqual([...before.keys()]);
  return [...before].flatMap(([stack, json]) => {
    const [a, b] = [withoutIdentity(json), withoutIdentity(after.get(stack)!)];
    const { resource: ra, ...restA } = a;
    const { resource: rb, ...restB } = b;
    expect([stack, restB]).toEqual([stack, restA]);
    const keys = new Set([...Object.entries(ra ?? {}), ...Object.entries(rb ?? {})].flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`)));
    return [...keys]
      .filter((key) => {
        const [type, id] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
        return JSON.stringify(ra?.[type]?.[id]) !== JSON.stringify(rb?.[type]?.[id]);
      })
      .map((key) => `${stack} ${key.replace(/_[0-9A-F]{8}$/, '')}`);
  });
}

describe('identity.mode iam-users', () => {
  it.each(Object.keys(PLANNED_ORGS))('synthesizes the %s organization exactly as without identity, an instance named or not', async (name) => {
    const { stacks } = await synthesizeOrg(
      inMode('iam-users', INSTANCE, () => {}, PLANNED_ORGS[name]),
      { warn: () => {} },
    );
    expect(jsonOf(stacks)).toEqual(jsonOf(synthesizedOrg(name)));
  });
});

describe('switching the default organization from iam-users to both to identity-center', () => {
  let iamUsers: Map<string, TerraformJson>;
  let both: Synthesized;
  let center: Synthesized;
  beforeAll(async () => {
    iamUsers = jsonOf(synthesizedOrg('default'));
    // Both with an external IdP (users are then the IAM users alone), identity-center with the directory.
    both = await synthesizeOrg(inMode('both', { ...INSTANCE, identitySource: 'external-idp' }));
    center = await synthesizeOrg(
      inMode('identity-center', INSTANCE, (file) => Object.assign(file.users.alice, { givenName: 'Alice', familyName: 'Liddell', email: 'alice@example.com' })),
    );
  });
  const resources = (synthesized: Synthesized, stack: string, type: string) =>
    Object.values(synthesized.stack(stack).resource?.[type] ?? {}) as Record<string, any>[];

  it("to both: outside identity, only Identity Center's trusted access and the guardrail over its roles change", () => {
    expect(changedOutsideIdentity(iamUsers, jsonOf(both.stacks))).toEqual([
      'management aws_organizations_organization.organization',
      'management aws_organizations_policy.guardrail-denyLeavingOrganization_policy',
    ]);
    expect(resources(both, 'management', 'aws_organizations_organization')[0].aws_service_access_principals).toContain('sso.amazonaws.com');
    const guardrails = JSON.parse(
      resources(both, 'management', 'aws_organizations_policy').find((policy) => policy.content.includes('ProtectPlatformRoles'))!.content,
    );
    expect(guardrails.Statement.find((statement: any) => statement.Sid === 'ProtectPlatformRoles').Resource).toContain(
      'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*',
    );
    expect(guardrails.Statement.find((statement: any) => statement.Sid === 'ProtectIdentityCenterSamlProvider').Resource).toBe(
      'arn:aws:iam::*:saml-provider/AWSSSO_*',
    );
  });

  it('to identity-center: nothing outside identity changes, and the IAM users, groups and cross-<group> roles go', () => {
    expect(changedOutsideIdentity(jsonOf(both.stacks), jsonOf(center.stacks))).toEqual([]);
    for (const stack of ['management', 'dev', 'qa', 'prod']) {
      const types = Object.keys(center.stack(stack).resource ?? {});
      expect([stack, types.filter((type) => /^aws_iam_(user|group|account_password_policy)/.test(type))]).toEqual([stack, []]);
      expect([stack, resources(center, stack, 'aws_iam_role').filter((role) => role.name.startsWith('cross-'))]).toEqual([stack, []]);
      expect([stack, resources(both, stack, 'aws_iam_role').filter((role) => role.name.startsWith('cross-')).length > 0]).toEqual([stack, stack !== 'dev']);
    }
  });

  it('builds one permission set per distinct cell, sessions from the account (prod shorter), and assigns group x account exactly as the matrix', () => {
    const sets = resources(center, 'management', 'aws_ssoadmin_permission_set');
    expect(Object.fromEntries(sets.map((set) => [set.name, set.session_duration]))).toEqual({
      'PowerUserAccess-4h': 'PT4H',
      'triage-1h': 'PT1H',
      'ReadOnlyAccess-4h': 'PT4H',
      'PowerUserAccess+pass-appl-e1ff2c': 'PT4H',
      'AdministratorAccess-4h': 'PT4H',
      'AdministratorAccess-1h': 'PT1H',
      'Billing-4h': 'PT4H',
      'AWSBillingReadOnlyAccess-4h': 'PT4H',
    });
    const matrix = Object.entries(center.org.access).flatMap(([group, row]) => Object.keys(row).map((account) => `${group} in ${account}`));
    const assigned = accountAssignments(center.org).map((assignment) => `${assignment.group} in ${assignment.account.name}`);
    expect([...assigned].sort()).toEqual([...matrix].sort());
    expect(resources(center, 'management', 'aws_ssoadmin_account_assignment')).toHaveLength(matrix.length);
    const inline = resources(center, 'management', 'aws_ssoadmin_permission_set_inline_policy').map((policy) =>
      JSON.parse(policy.inline_policy).Statement.map((s: any) => s.Sid),
    );
    expect(inline).toEqual([
      ['PassInstanceRoleToEc2', 'PassTaskRolesToEcs', 'ListInstanceProfiles'],
      ['ReadLogs', 'ReadMetricsAndAlarms'],
    ]);
    expect(
      resources(center, 'management', 'aws_identitystore_group')
        .map((group) => group.display_name)
        .sort(),
    ).toEqual(Object.keys(center.org.groups).sort());
    expect(resources(center, 'management', 'aws_identitystore_user').find((user) => user.user_name === 'alice')).toMatchObject({
      display_name: 'Alice Liddell',
      name: { given_name: 'Alice', family_name: 'Liddell' },
      emails: { value: 'alice@example.com', primary: true },
    });
    expect(resources(center, 'management', 'aws_identitystore_group_membership')).toHaveLength(6);
  });

  it('plans offline: management in both (groups from an external IdP, looked up), management and dev in identity-center', async () => {
    const planned = async (synthesized: Synthesized, only: string[]) => {
      const results = await checkOffline({ outdir: synthesized.outdir, planJson: true, cache: offlineCache(), concurrency: 1, only });
      for (const result of results) expect([result.stack, result.ok, result.error]).toEqual([result.stack, true, undefined]);
      return new Map(results.map((result) => [result.stack, JSON.parse(readFileSync(result.planFile!, 'utf8'))]));
    };
    const [bothPlans, centerPlans] = await Promise.all([planned(both, ['management']), planned(center, ['management', 'dev'])]);
    const planned_ = (plan: any, type: string) => plan.resource_changes.filter((change: any) => change.type === type).map((change: any) => change.change.after);
    for (const plan of [bothPlans.get('management'), centerPlans.get('management')]) {
      expect(planned_(plan, 'aws_ssoadmin_permission_set').map((set: any) => set.name)).toHaveLength(8);
      expect(
        planned_(plan, 'aws_ssoadmin_account_assignment')
          .filter((assignment: any) => assignment.target_id === '444444444444')
          .map((a: any) => a.principal_type),
      ).toEqual(['GROUP', 'GROUP', 'GROUP', 'GROUP']);
      expect(planned_(plan, 'aws_ssoadmin_managed_policy_attachment').map((attachment: any) => attachment.managed_policy_arn)).toContain(
        'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      );
    }
    expect(planned_(centerPlans.get('dev'), 'aws_iam_user')).toEqual([]);
    expect(
      planned_(centerPlans.get('dev'), 'aws_iam_role')
        .map((role: any) => role.name)
        .sort(),
    ).toEqual(['ec2-instance', 'ecs-task', 'ecs-task-execution']);
  });

  describe('under the simulator', () => {
    const simulator = loadIamSimulator();
    const iamOf = (synthesized: Synthesized) =>
      readSynthesizedIam(
        [...jsonOf(synthesized.stacks)].map(([name, json]) => ({ name, json })),
        (policy) => simulator.awsManagedPolicy(policy),
      );

    it("each permission set's role is in exactly the accounts it is assigned in, named AWSReservedSSO_<set>_<suffix>", () => {
      const roles = iamOf(center).roles.filter((role) => role.permissionSet);
      const expected = permissionSets(center.org).flatMap((set) => set.accounts.map((account) => `${set.name} in ${account.name}`));
      expect(roles.map((role) => `${role.permissionSet} in ${center.org.accounts.find((account) => account.id === role.accountId)!.name}`).sort()).toEqual(
        expected.sort(),
      );
      for (const role of roles)
        expect(role.arn).toMatch(
          new RegExp(`^arn:aws:iam::\\d{12}:role/aws-reserved/sso\\.amazonaws\\.com/AWSReservedSSO_${role.permissionSet!.replace('+', '\\+')}_[0-9a-f]{16}$`),
        );
    });

    it('gives the same pyramid as the cross-<group> roles: every group, account and action alike', async () => {
      const iam = iamOf(both);
      const [throughRoles, throughPermissionSets] = [
        await computeAccessMatrix(both.org, iam, simulator, 'iam-users'),
        await computeAccessMatrix(both.org, iam, simulator, 'identity-center'),
      ];
      const verdicts = (rows: typeof throughRoles) => rows.map((row) => [row.group, row.account, row.actions, row.readsData]);
      expect(verdicts(throughPermissionSets)).toEqual(verdicts(throughRoles));
      expect(throughPermissionSets.map((row) => [row.group, row.account, row.switchWithMfa === 'allowed'])).toEqual(
        throughRoles.map((row) => [row.group, row.account, row.via !== '-']),
      );
      const verdict = (group: string, label: string) =>
        Object.fromEntries(throughPermissionSets.filter((row) => row.group === group).map((row) => [row.account, row.actions[label]]));
      expect(verdict('dev', 'run')).toEqual({ management: 'denied', dev: 'allowed', qa: 'denied', prod: 'denied' });
      expect(verdict('dev', 'read-data')).toEqual({ management: 'denied', dev: 'allowed', qa: 'allowed', prod: 'denied' });
      expect(verdict('dev-leads', 'pass-app')).toEqual({ management: 'denied', dev: 'allowed', qa: 'denied', prod: 'denied' });
      expect(verdict('ops', 'iam')).toEqual({ management: 'denied', dev: 'allowed', qa: 'allowed', prod: 'allowed' });
      expect(verdict('billing', 'bills')).toEqual({ management: 'allowed', dev: 'allowed', qa: 'denied', prod: 'denied' });
      const text = formatAccessMatrix(both.org, throughPermissionSets, 'identity-center');
      expect(text).toContain('  triage-1h: triage, sessions PT1H; assigned to dev in prod, dev-leads in prod, qa in prod\n');
      expect(text).toMatch(/^ops +prod +AdministratorAccess-1h +allow +allow /m);
    });

    it("a member administrator cannot change a permission set's role nor replace the SAML provider it trusts; the deploy role changes the provider, and the administrator keeps their own", async () => {
      const { org } = center;
      const iam = iamOf(center);
      const prod = org.accounts.find((account) => account.name === 'prod')!;
      const scps = serviceControlPoliciesOf(center.stack('management'), org, prod);
      const administrator = roleSessionPrincipal(findPermissionSetRole(iam, prod.id, 'AdministratorAccess-1h')!, 'dave');
      const triageRole = findPermissionSetRole(iam, prod.id, 'triage-1h')!;
      const deployRole: RequestPrincipal = {
        arn: `arn:aws:sts::${prod.id}:assumed-role/${org.deployRole}/terraform`,
        accountId: prod.id,
        policies: [{ name: 'AdministratorAccess', document: simulator.awsManagedPolicy('AdministratorAccess') }],
        context: { 'aws:PrincipalArn': `arn:aws:iam::${prod.id}:role/${org.deployRole}` },
      };
      const attempt = (principal: RequestPrincipal, action: string, resource: string) =>
        simulator.evaluate({
          principal,
          action,
          resource,
          resourceAccountId: prod.id,
          context: { 'aws:RequestedRegion': org.homeRegion },
          serviceControlPolicies: scps,
        });
      // IAM itself lets only Identity Center change roles under /aws-reserved/ (the simulator knows it); the guardrail denies them too.
      for (const action of ['iam:UpdateAssumeRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePolicy']) {
        expect([action, await attempt(administrator, action, triageRole.arn), await attempt(deployRole, action, triageRole.arn)]).toEqual([
          action,
          'denied',
          'denied',
        ]);
      }
      // The provider is an ordinary IAM resource: replaced, it would let its new IdP sign in as any permission set's role.
      const samlProvider = `arn:aws:iam::${prod.id}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
      for (const action of ['iam:UpdateSAMLProvider', 'iam:DeleteSAMLProvider']) {
        expect([action, await attempt(administrator, action, samlProvider)]).toEqual([action, 'denied']);
        expect([action, await attempt(deployRole, action, samlProvider)]).toEqual([action, 'allowed']);
      }
      expect(await attempt(administrator, 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${prod.id}:role/webapp-task`)).toBe('allowed');
      expect(await attempt(administrator, 'iam:UpdateSAMLProvider', `arn:aws:iam::${prod.id}:saml-provider/team-idp`)).toBe('allowed');
    });
  });

  it("the review's access section shows the permission sets and their assignments", async () => {
    const text = renderAccess(
      await collectAccess(
        { org: center.org, stacks: center.stacks.map(({ name, json }) => ({ name, json })) as never, retired: [] },
        { skipped: 'not simulated here' },
      ),
    );
    expect(text).toContain('People sign in to IAM Identity Center (https://d-9067a1b2c3.awsapps.com/start), with no IAM user');
    expect(text).toContain('| `triage-1h` | job-function/ViewOnlyAccess, triage | 1 h | dev in prod, dev-leads in prod, qa in prod |');
  });

  it("aws-config writes an sso-session and a profile per account and permission set of the user's groups", () => {
    const result = runNode('scripts/aws-config.ts', ['alice'], { ORG_DIR: center.org.dir });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('mfa_serial');
    expect(result.stdout).toContain(
      [
        '[sso-session webomates]',
        'sso_start_url = https://d-9067a1b2c3.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
      ].join('\n'),
    );
    expect(result.stdout).toContain(
      [
        '[profile webomates-prod-dev-leads]',
        'sso_session = webomates',
        'sso_account_id = 444444444444',
        'sso_role_name = triage-1h',
        'region = us-east-1',
      ].join('\n'),
    );
    expect(result.stdout.match(/^\[profile .*$/gm)).toHaveLength(6);
    // While both exist, the Identity Center profiles take -sso.
    expect(runNode('scripts/aws-config.ts', ['alice'], { ORG_DIR: both.org.dir }).stdout).toContain('[profile webomates-prod-dev-leads-sso]');
  });
});

describe('users from an external IdP, and a delegated administrator', () => {
  it('finds the groups by display name, creates no user, and aws-config takes a group', async () => {
    const dir = inMode('identity-center', { ...INSTANCE, identitySource: 'external-idp' }, (file) => delete file.users);
    const { stack, org } = await synthesizeOrg(dir);
    const management = stack('management');
    const lookups = Object.values(management.data?.aws_identitystore_group ?? {}).map((group: any) => group.alternate_identifier.unique_attribute);
    expect(lookups.sort((a, b) => a.attribute_value.localeCompare(b.attribute_value))).toEqual(
      Object.keys(org.groups)
        .sort()
        .map((group) => ({ attribute_path: 'DisplayName', attribute_value: group })),
    );
    expect(Object.keys(management.resource ?? {}).filter((type) => type.startsWith('aws_identitystore_'))).toEqual([]);
    const result = runNode('scripts/aws-config.ts', ['qa'], { ORG_DIR: dir });
    expect(result.stdout.match(/^sso_role_name = .*$/gm)).toEqual([
      'sso_role_name = ReadOnlyAccess-4h',
      'sso_role_name = triage-1h',
      'sso_role_name = PowerUserAccess-4h',
    ]);
  });

  it("builds Identity Center in the delegated administrator's stack, which the management stack registers", async () => {
    const dir = inMode('identity-center', { ...INSTANCE, delegatedAdministrator: 'qa' }, (file) => {
      delete file.access.ops.management;
      delete file.access.billing.management;
    });
    const { stack } = await synthesizeOrg(dir);
    expect(Object.values(stack('management').resource!.aws_organizations_delegated_administrator)).toEqual([
      expect.objectContaining({ account_id: '333333333333', service_principal: 'sso.amazonaws.com' }),
    ]);
    expect(Object.keys(stack('management').resource!).filter((type) => type.startsWith('aws_ssoadmin_'))).toEqual([]);
    expect(Object.keys(stack('qa').resource!.aws_ssoadmin_permission_set)).toHaveLength(7);
  });

  it.each([
    [
      'no instance',
      (file: any) => (file.identity = { mode: 'both' }),
      [
        'organization.yaml: identity.identityCenter is required when identity.mode is both: give the instanceArn and identityStoreId of your Identity Center instance',
      ],
    ],
    [
      'a delegated administrator given a management account cell',
      (file: any) => (file.identity = { mode: 'identity-center', identityCenter: { ...INSTANCE, delegatedAdministrator: 'qa' } }),
      [
        "organization.yaml: access.ops.management gives access to the management account, which Identity Center's delegated administrator (qa) cannot assign: leave delegatedAdministrator out, or this cell",
        "organization.yaml: access.billing.management gives access to the management account, which Identity Center's delegated administrator (qa) cannot assign: leave delegatedAdministrator out, or this cell",
      ],
    ],
  ])('refuses %s', (_label, edit, expected) => {
    expect(problemsOf(editedOrg({ 'organization.yaml': edit }))).toEqual(expected);
  });

  it('refuses a delegated administrator that does not exist yet', () => {
    const dir = editedOrg({
      'organization.yaml': (file) => {
        file.identity = { mode: 'identity-center', identityCenter: { ...INSTANCE, delegatedAdministrator: 'qa' } };
        for (const row of Object.values(file.access) as Record<string, unknown>[]) delete row.management;
      },
      'qa.yaml': (file) => delete file.id,
    });
    expect(problemsOf(dir)).toEqual([
      "qa.yaml: id is missing: qa is Identity Center's delegated administrator, which must exist (create it first, then record its id)",
    ]);
  });
});
