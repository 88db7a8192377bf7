// Identity, built for one account from the access matrix: with IAM users (identity.mode iam-users or both),
// in the identity account the groups, users and their policies, and in every account a row reaches the
// cross-<group> roles with the console links that switch into them; in every account the application
// roles. Identity Center's side is stacks/identity-center.ts.
import { TerraformOutput, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { assumableRoles, hoursToSeconds, identityPermissions } from '../description/access';
import { usesIamUsers } from '../description/identity-center';
import type { Account, Organization } from '../description/model';
import { pulledRepositoryArns } from '../description/sharing';
import { ApplicationRoles } from '../modules/identity/application-roles';
import { CrossAccountRole } from '../modules/identity/cross-account-role';
import { IamUser } from '../modules/identity/iam-user';
import { JobFunctionGroup } from '../modules/identity/job-function-group';
import { RequireMfaPolicy } from '../modules/identity/mfa-policies';
import { CisPasswordPolicy } from '../modules/identity/password-policy';
import { PermissionPolicies } from '../modules/identity/permission-policies';
import { switchRoleUrl } from '../modules/identity/switch-role-url';
import { groupMemberTag } from '../naming/names';

export function buildIdentity(stack: TerraformStack, org: Organization, account: Account): void {
  const scope = new Construct(stack, 'identity');
  if (usesIamUsers(org)) buildIamUsersAndRoles(stack, scope, org, account);
  new ApplicationRoles(scope, 'application-roles', { partition: org.partition, accountId: account.id, pullRepositoryArns: pulledRepositoryArns(org, account) });
}

function buildIamUsersAndRoles(stack: TerraformStack, scope: Construct, org: Organization, account: Account): void {
  const permissions = new PermissionPolicies(scope, 'permission-policies', { partition: org.partition, accountId: account.id });
  const identity = org.identity;
  const grants = org.crossAccountGrants;

  if (account === identity) {
    new CisPasswordPolicy(scope, 'password-policy');
    const groups = new Map(
      Object.keys(org.groups).map((group) => [
        group,
        new JobFunctionGroup(scope, `group-${group}`, {
          partition: org.partition,
          groupName: group,
          policies: permissions.policiesFor(identityPermissions(org, group)),
          assumableRoles: assumableRoles(org, group),
          existingName: account.adopt?.groups?.[group],
        }).group,
      ]),
    );
    const requireMfa = new RequireMfaPolicy(scope, 'require-mfa', { partition: org.partition, accountId: account.id });
    for (const [user, { groups: memberships }] of Object.entries(org.users)) {
      new IamUser(scope, `user-${user}`, {
        partition: org.partition,
        userName: user,
        accountId: account.id,
        groups: memberships.map((group) => groups.get(group)!),
        membershipTags: Object.fromEntries(memberships.map((group) => Object.values(groupMemberTag(group)))),
        policies: [requireMfa],
        existingName: account.adopt?.users?.[user],
      });
    }
    new TerraformOutput(stack, 'console-sign-in-url', { value: `https://${account.id}.signin.aws.amazon.com/console` });
  }

  const roles = grants.filter((grant) => grant.account === account);
  for (const grant of roles) {
    new CrossAccountRole(scope, `role-${grant.roleName}`, {
      partition: org.partition,
      roleName: grant.roleName,
      description: `Members of group ${grant.group} in ${identity.name} (${identity.id}) switch into ${account.name} with this role`,
      identityAccountId: identity.id,
      memberTag: groupMemberTag(grant.group),
      mfaMaxAgeSeconds: hoursToSeconds(org.mfaMaxAgeHours),
      maxSessionSeconds: hoursToSeconds(account.maxSessionHours),
      policies: permissions.policiesFor(grant.permissions),
    });
  }
  if (roles.length > 0) {
    new TerraformOutput(stack, 'switch-role-urls', {
      description: `Console links into the roles of ${account.name}, for users signed in to ${identity.name}`,
      value: Object.fromEntries(roles.map((grant) => [grant.roleName, switchRoleUrl(account.id, grant.roleName, `${account.name} as ${grant.group}`)])),
    });
  }
}
