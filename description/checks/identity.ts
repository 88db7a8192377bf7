// Groups, users and the access matrix refer to each other, to accounts and to policies by name.
import { attachedPolicies, CUSTOM_POLICY_NAMES, isCustomPolicyName } from '../../modules/identity/custom-policies';
import { AWS_MANAGED_POLICIES, awsManagedPoliciesNamed, SERVICE_LINKED_ROLE_POLICY_PATH } from '../aws-managed-policies';
import { closest, type Problems } from '../problems';
import { checkAccountReference, type DraftOrganization } from './draft';

/** IAM's default quota of managed policies attached to one role or group. */
const MAX_ATTACHED_POLICIES = 10;
/** IAM puts a user in at most this many groups. */
const MAX_GROUPS_PER_USER = 10;

export function checkIdentity(draft: DraftOrganization, problems: Problems): void {
  const { org, orgFilePath } = draft;
  if (!org) return;
  const groups = Object.keys(org.groups);
  const checkGroup = (path: readonly PropertyKey[], group: string) => {
    if (!groups.includes(group)) problems.add(orgFilePath, path, `names group "${group}", which is not in groups (${groups.join(', ')})`);
  };
  for (const [user, { groups: memberships }] of Object.entries(org.users)) {
    memberships.forEach((group, index) =>
      memberships.indexOf(group) < index ? problems.add(orgFilePath, ['users', user, 'groups', index], `lists "${group}" twice`) : checkGroup(['users', user, 'groups', index], group),
    );
    if (memberships.length > MAX_GROUPS_PER_USER) {
      problems.add(orgFilePath, ['users', user, 'groups'], `lists ${memberships.length} groups; IAM puts a user in at most ${MAX_GROUPS_PER_USER}`);
    }
  }
  for (const [group, row] of Object.entries(org.access)) {
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
      if (attached.length > MAX_ATTACHED_POLICIES) {
        problems.add(
          orgFilePath,
          path,
          `attaches ${attached.length} managed policies (${attached.join(', ')}); IAM attaches at most ${MAX_ATTACHED_POLICIES} to a role or group unless the quota is raised`,
        );
      }
    }
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
