// IAM Identity Center, built from the same groups, users and access matrix as the IAM users: in the stack
// of the account that administers it (the management account, or the delegated administrator the
// description names), the groups (and users), one permission set per distinct cell, and the account
// assignments group x account. The management stack registers the delegated administrator.
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';
import { SsoadminAccountAssignment } from '@cdktf/provider-aws/lib/ssoadmin-account-assignment';
import { type ITerraformDependable, TerraformOutput, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { accessPortalUrl, accountAssignments, isoDuration, permissionSets, usesIdentityCenter } from '../description/identity-center';
import type { Account, Organization } from '../description/model';
import { IdentityStoreGroups } from '../modules/identity/identity-store';
import { PermissionSet } from '../modules/identity/permission-set';
import type { AccountProviders } from './conventions';

/** The service principal of IAM Identity Center, whose trusted access and delegated administrator the organization holds. */
export const IDENTITY_CENTER_SERVICE = 'sso.amazonaws.com';

/** In the management stack: the delegated administrator of Identity Center, when the description names one. */
export function buildIdentityCenterDelegation(stack: TerraformStack, org: Organization, organization: ITerraformDependable): void {
  const administrator = usesIdentityCenter(org) ? org.identityCenter!.administrator : org.management;
  if (administrator === org.management) return;
  new OrganizationsDelegatedAdministrator(stack, 'identity-center-delegated-administrator', {
    accountId: administrator.id,
    servicePrincipal: IDENTITY_CENTER_SERVICE,
    dependsOn: [organization],
  });
}

export function buildIdentityCenter(stack: TerraformStack, org: Organization, account: Account, providers: AccountProviders): void {
  if (!usesIdentityCenter(org) || org.identityCenter!.administrator !== account) return;
  const { instanceArn, identityStoreId, identitySource, region } = org.identityCenter!;
  const provider = providers.for(account, region);
  const scope = new Construct(stack, 'identity-center');
  const store = new IdentityStoreGroups(scope, 'identity-store', {
    identityStoreId,
    provider,
    groups: Object.fromEntries(Object.entries(org.groups).map(([group, { description }]) => [group, description])),
    users:
      identitySource === 'external-idp'
        ? undefined
        : Object.entries(org.users).map(([user, { groups, givenName, familyName, email }]) => ({
            userName: user,
            displayName: givenName && familyName ? `${givenName} ${familyName}` : user,
            givenName: givenName ?? user,
            familyName: familyName ?? user,
            email,
            groups,
          })),
  });
  const sets = new Map(
    permissionSets(org).map((set) => [
      set.name,
      new PermissionSet(scope, `permission-set-${set.name}`, {
        instanceArn,
        provider,
        name: set.name,
        description: `${set.permissions.join(', ')}; sessions of ${set.sessionHours} h`,
        sessionDuration: isoDuration(set.sessionHours),
        partition: org.partition,
        awsManagedPolicies: set.awsManaged,
        inlinePolicy: set.inlinePolicy,
      }).permissionSet,
    ]),
  );
  for (const assignment of accountAssignments(org)) {
    const permissionSet = sets.get(assignment.permissionSet)!;
    new SsoadminAccountAssignment(scope, `assign-${assignment.group}-${assignment.account.name}`, {
      provider,
      instanceArn,
      permissionSetArn: permissionSet.arn,
      principalType: 'GROUP',
      principalId: store.groupIds.get(assignment.group)!,
      targetType: 'AWS_ACCOUNT',
      targetId: assignment.account.id,
    });
  }
  new TerraformOutput(stack, 'access-portal-url', { value: accessPortalUrl(org), description: 'Where people sign in with IAM Identity Center' });
}
