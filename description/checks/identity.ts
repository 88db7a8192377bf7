// Groups, users and the access matrix refer to each other, to accounts and to policies by name; the roles
// organization.yaml names must not collide with those the project makes.
import { APPLICATION_ROLE_PATH, APPLICATION_ROLES } from '../../catalog/application-roles';
import { attachedPolicies, CUSTOM_POLICY_NAMES, isCustomPolicyName } from '../../catalog/custom-policies';
import { AWS_MANAGED_POLICIES, awsManagedPoliciesNamed, SERVICE_LINKED_ROLE_POLICY_PATH } from '../aws-managed-policies';
import { DEFAULT_IAM_QUOTAS, MANAGED_POLICIES_PER_GROUP } from '../../modules/synth-guardrails/limits';
import { closest, type Problems } from '../problems';
import { checkAccountReference, type DraftOrganization } from './draft';
import { crossAccountRoleName } from '../../naming/names';

/** IAM puts a user in at most this many groups. */
const MAX_GROUPS_PER_USER = 10;

export function checkIdentity(draft: DraftOrganization, problems: Problems): void {
  const { org, orgFilePath } = draft;
  const { groups, users, access, identityAccount } = org;
  const managedPoliciesPerRole = (org.iamQuotas ?? DEFAULT_IAM_QUOTAS).managedPoliciesPerRole;
  const groupNames = groups && Object.keys(groups);
  const checkGroup = (path: readonly PropertyKey[], group: string) => {
    if (groupNames && !groupNames.includes(group)) problems.add(orgFilePath, path, `names group "${group}", which is not in groups (${groupNames.join(', ')})`);
  };
  for (const [user, { groups: memberships }] of Object.entries(users ?? {})) {
    memberships.forEach((group, index) =>
      memberships.indexOf(group) < index
        ? problems.add(orgFilePath, ['users', user, 'groups', index], `lists "${group}" twice`)
        : checkGroup(['users', user, 'groups', index], group),
    );
    if (memberships.length > MAX_GROUPS_PER_USER) {
      problems.add(orgFilePath, ['users', user, 'groups'], `lists ${memberships.length} groups; IAM puts a user in at most ${MAX_GROUPS_PER_USER}`);
    }
  }
  checkCaseInsensitiveNames(draft, problems, 'users', Object.keys(users ?? {}), 'IAM user');
  for (const [group, row] of Object.entries(access ?? {})) {
    checkGroup(['access', group], group);
    for (const [account, permissions] of Object.entries(row)) {
      const path = ['access', group, account];
      checkAccountReference(draft, problems, path, account);
      permissions.forEach((permission, index) => {
        const problem = permissions.indexOf(permission) < index ? `lists "${permission}" twice` : permissionProblem(permission);
        if (problem) problems.add(orgFilePath, [...path, index], problem);
      });
      const { awsManaged, custom } = attachedPolicies(permissions);
      const attached = [...awsManaged, ...custom];
      // The identity account's cell attaches to the group itself, every other cell to a cross-<group> role.
      const [limit, fix] =
        account === identityAccount
          ? [
              MANAGED_POLICIES_PER_GROUP,
              `IAM attaches at most ${MANAGED_POLICIES_PER_GROUP} to a group, a fixed limit: list fewer policies (one broader AWS managed policy, such as PowerUserAccess, covers several)`,
            ]
          : [
              managedPoliciesPerRole,
              `IAM attaches at most ${managedPoliciesPerRole} to a role (iamQuotas.managedPoliciesPerRole): list fewer policies, or ask AWS to raise "Managed policies per role" (at most 20) in every account and set iamQuotas.managedPoliciesPerRole to match`,
            ];
      if (attached.length > limit) problems.add(orgFilePath, path, `attaches ${attached.length} managed policies (${attached.join(', ')}); ${fix}`);
    }
  }
  checkRoleNames(draft, problems);
  checkIdentityCenter(draft, problems);
}

/** What identity.mode needs: an instance, users only where the project creates them, a delegated administrator that is a member account. */
function checkIdentityCenter(draft: DraftOrganization, problems: Problems): void {
  const { org, orgFilePath } = draft;
  if (!org.identity) return;
  const { mode, identityCenter } = org.identity;
  if (mode !== 'iam-users' && !identityCenter) {
    problems.add(
      orgFilePath,
      ['identity', 'identityCenter'],
      `is required when identity.mode is ${mode}: give the instanceArn and identityStoreId of your Identity Center instance`,
    );
  }
  if (!identityCenter) return;
  // In both mode, users are the IAM users still in service.
  if (identityCenter.identitySource === 'external-idp' && mode === 'identity-center') {
    for (const user of Object.keys(org.users ?? {})) {
      problems.add(
        orgFilePath,
        ['users', user],
        'is listed, but identityCenter.identitySource is external-idp: your IdP provisions the users (SCIM) and there are no IAM users in mode identity-center; remove it',
      );
    }
  }
  const delegated = identityCenter.delegatedAdministrator;
  if (delegated === undefined) return;
  checkAccountReference(draft, problems, ['identity', 'identityCenter', 'delegatedAdministrator'], delegated);
  const administrator = draft.accounts.find((account) => account.name === delegated);
  if (administrator && administrator.id === undefined && !administrator.unknownFields.has('id')) {
    problems.add(
      administrator.file,
      ['id'],
      `is missing: ${delegated} is Identity Center's delegated administrator, which must exist (create it first, then record its id)`,
    );
  }
  if (administrator?.retired)
    problems.add(administrator.file, ['retired'], `is true, but ${delegated} is Identity Center's delegated administrator: name another first`);
  if (delegated === org.managementAccount) {
    problems.add(
      orgFilePath,
      ['identity', 'identityCenter', 'delegatedAdministrator'],
      `is the management account, which administers Identity Center without delegation: leave it out`,
    );
  }
  // A delegated administrator cannot assign access to the management account.
  for (const [group, row] of Object.entries(org.access ?? {})) {
    if ((row[org.managementAccount ?? ''] ?? []).length > 0 && mode !== 'iam-users') {
      problems.add(
        orgFilePath,
        ['access', group, org.managementAccount!],
        `gives access to the management account, which Identity Center's delegated administrator (${delegated}) cannot assign: leave delegatedAdministrator out, or this cell`,
      );
    }
  }
}

/** IAM names are unique in an account regardless of case: Alice and alice would be one user. */
function checkCaseInsensitiveNames(draft: DraftOrganization, problems: Problems, field: string, names: readonly string[], what: string): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const first = seen.get(name.toLowerCase());
    if (first) problems.add(draft.orgFilePath, [field, name], `is the same ${what} as ${field}.${first}: IAM names must differ in more than case`);
    else seen.set(name.toLowerCase(), name);
  }
}

/**
 * The roles the project names from organization.yaml must not take the name of a role it makes itself:
 * role names are unique in an account, whatever their path and case.
 */
function checkRoleNames(draft: DraftOrganization, problems: Problems): void {
  const { deployRole, state, groups } = draft.org;
  const made = new Map<string, string>([
    ...Object.values(APPLICATION_ROLES).map(({ name }): [string, string] => [name.toLowerCase(), `the application role ${APPLICATION_ROLE_PATH}${name}`]),
    ...Object.keys(groups ?? {}).map((group): [string, string] => [crossAccountRoleName(group).toLowerCase(), `the role group ${group} switches into`]),
  ]);
  const named: [string[], string | undefined][] = [
    [['deployRole'], deployRole],
    [['state', 'stateRole'], state?.backend === 's3' ? state.stateRole : undefined],
  ];
  for (const [path, role] of named) {
    const clash = role && made.get(role.toLowerCase());
    if (clash) problems.add(draft.orgFilePath, path, `"${role}" is also the name of ${clash}: IAM role names are unique in an account`);
  }
  if (deployRole && state?.backend === 's3' && deployRole.toLowerCase() === state.stateRole.toLowerCase()) {
    problems.add(
      draft.orgFilePath,
      ['state', 'stateRole'],
      `"${state.stateRole}" is also the deployRole: the state role must be a role of its own, limited to the state`,
    );
  }
}

/** What is wrong with a permission name, if anything. */
function permissionProblem(permission: string): string | undefined {
  if (isCustomPolicyName(permission)) return undefined;
  if (permission.startsWith(SERVICE_LINKED_ROLE_POLICY_PATH) && AWS_MANAGED_POLICIES.has(permission)) {
    return `names "${permission}", the policy of a service-linked role, which IAM attaches to that role only`;
  }
  if (AWS_MANAGED_POLICIES.has(permission)) return undefined;
  const withPath = awsManagedPoliciesNamed(permission);
  const guess = withPath.length > 0 ? withPath.join('" or "') : closest(permission, [...CUSTOM_POLICY_NAMES, ...AWS_MANAGED_POLICIES]);
  return (
    `names policy "${permission}", which is neither an AWS managed policy nor one of the project's own (${CUSTOM_POLICY_NAMES.join(', ')})` +
    (guess ? `; did you mean "${guess}"?` : '')
  );
}
