// The access matrix read as what it makes: the identity account's groups with their own permissions, and
// one cross-account role per non-empty cell elsewhere. Everything that builds, prints or checks access
// (stacks/identity.ts, aws-config, access-matrix, the tests) derives it here, so that they agree.
import { iamRoleArn, type Partition } from '../naming/arn';
import type { JobFunctionGroupProps } from '../modules/identity/job-function-group';
import type { Account, CrossAccountGrant, Organization } from './model';
import type { OrganizationFile } from './schema/organization';
import { crossAccountRoleName } from '../naming/names';

/** A group's own permissions in the identity account. */
export function identityPermissions(org: Organization, group: string): readonly string[] {
  return org.access[group]?.[org.identity.name] ?? [];
}

/** Every cross-account role the matrix makes, group by group; accounts without an id yet get theirs once they have one. */
export function resolveCrossAccountGrants(
  file: Pick<OrganizationFile, 'groups' | 'access'>,
  accounts: readonly Account[],
  identity: Account,
  partition: Partition,
): CrossAccountGrant[] {
  return Object.keys(file.groups).flatMap((group) =>
    Object.entries(file.access[group] ?? {}).flatMap(([accountName, permissions]) => {
      const account = accounts.find((candidate) => candidate.name === accountName);
      if (!account || account === identity || permissions.length === 0) return [];
      const roleName = crossAccountRoleName(group);
      return [{ group, account, roleName, roleArn: iamRoleArn(partition, account.id, roleName), permissions }];
    }),
  );
}

/**
 * The cross-<group> roles the group's members may assume, none when its row reaches no other account: in
 * the organization as a whole when
 * its id is known (adopted) and the row reaches every account of it but the identity account, none of them
 * pending or retired (a retired account may still hold its old role); otherwise the row's accounts by id.
 */
export function assumableRoles(org: Organization, group: string): JobFunctionGroupProps['assumableRoles'] {
  const reached = org.crossAccountGrants.filter((grant) => grant.group === group).map((grant) => grant.account);
  if (reached.length === 0) return undefined;
  const organizationId = org.awsOrganization.id;
  const wholeOrganization =
    organizationId !== undefined &&
    org.pendingAccounts.length === 0 &&
    org.retiredAccounts.length === 0 &&
    org.accounts.every((account) => account === org.identity || reached.includes(account));
  return {
    roleName: crossAccountRoleName(group),
    accounts: wholeOrganization ? { organizationId, exceptAccountId: org.identity.id } : { accountIds: reached.map((account) => account.id) },
  };
}

/** Whether the account holds production data: its environment is one of productionEnvironments. */
export function isProductionAccount(org: Organization, account: Account): boolean {
  return org.productionEnvironments.includes(account.environment);
}

/** The roles a user can switch into: those of all their groups. */
export function grantsOfUser(org: Organization, user: string): readonly CrossAccountGrant[] {
  const groups = org.users[user]?.groups ?? [];
  return org.crossAccountGrants.filter((grant) => groups.includes(grant.group));
}

export function hoursToSeconds(hours: number): number {
  return Math.round(hours * 3600);
}
