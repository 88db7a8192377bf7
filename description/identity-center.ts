// The access matrix read as IAM Identity Center makes it: one permission set per distinct cell (the same
// permissions and session length), assigned to each group in exactly the accounts of its row, the identity
// account included (in Identity Center it is an account like the others). The stack, aws-config, the access
// matrix, the review and the tests all derive it here, so that they agree.
import { createHash } from 'node:crypto';
import { attachedPolicies, CUSTOM_POLICIES, type CustomPolicyName } from '../catalog/custom-policies';
import { documentSize, policyDocument, type PolicyDocument, type PolicyStatement } from '../catalog/policy-document';
import type { Partition } from '../naming/arn';
import { hoursToSeconds } from './access';
import type { Account, Organization } from './model';
import type { Problems } from './problems';

/** Identity Center's own limit on a permission set's name. */
const PERMISSION_SET_NAME_MAX = 32;

/**
 * A permission set's inline policy becomes the inline policy of its role in every account, where IAM takes
 * at most this many characters without whitespace (a fixed limit).
 */
export const PERMISSION_SET_INLINE_POLICY_MAX = 10240;

/** Where Identity Center puts the roles of permission sets in every account (a region segment may follow). */
export const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

/** The role a permission set makes in each account it is assigned in: AWSReservedSSO_<name>_<16 hex characters AWS picks>. */
export function ssoRoleNamePrefix(permissionSet: string): string {
  return `AWSReservedSSO_${permissionSet}_`;
}

export interface PermissionSet {
  readonly name: string;
  /** The cell's permissions, as the description lists them (sorted). */
  readonly permissions: readonly string[];
  readonly sessionHours: number;
  /** AWS managed policies (path/name) attached. */
  readonly awsManaged: readonly string[];
  /** The project's own policies, made inline (their statements for every account the set is assigned in). */
  readonly custom: readonly CustomPolicyName[];
  /** The inline policy, when the cell holds one of the project's own policies. */
  readonly inlinePolicy?: PolicyDocument;
  /** The accounts it is assigned in, in the organization's order. */
  readonly accounts: readonly Account[];
}

export interface AccountAssignment {
  readonly group: string;
  readonly account: Account;
  readonly permissionSet: string;
}

/** The access portal people sign in to: the identity store id is its default subdomain. */
export function accessPortalUrl(org: Organization): string {
  return `https://${org.identityCenter!.identityStoreId}.awsapps.com/start`;
}

export function usesIdentityCenter(org: Pick<Organization, 'identityMode'>): boolean {
  return org.identityMode !== 'iam-users';
}

export function usesIamUsers(org: Pick<Organization, 'identityMode'>): boolean {
  return org.identityMode !== 'identity-center';
}

/** Every non-empty cell of an account with an id, as group, account and its permissions. */
function cells(org: Organization): { group: string; account: Account; permissions: string[] }[] {
  return Object.keys(org.groups).flatMap((group) =>
    org.accounts.flatMap((account) => {
      const permissions = org.access[group]?.[account.name] ?? [];
      return permissions.length > 0 ? [{ group, account, permissions: [...permissions].sort() }] : [];
    }),
  );
}

const cellKey = (permissions: readonly string[], sessionHours: number) => JSON.stringify([permissions, sessionHours]);

/** Readable and stable: the policies' names and the session length, cut short with a hash of the whole when too long. */
function permissionSetName(permissions: readonly string[], sessionHours: number): string {
  const full = `${permissions.map((permission) => permission.slice(permission.lastIndexOf('/') + 1)).join('+')}-${sessionHours}h`;
  if (full.length <= PERMISSION_SET_NAME_MAX) return full;
  const hash = createHash('sha256').update(cellKey(permissions, sessionHours)).digest('hex').slice(0, 6);
  return `${full.slice(0, PERMISSION_SET_NAME_MAX - hash.length - 1)}-${hash}`;
}

/** The permission sets, in the order their first cell comes in the matrix. */
export function permissionSets(org: Organization): PermissionSet[] {
  const byKey = new Map<string, { permissions: string[]; sessionHours: number; accounts: Account[] }>();
  for (const { account, permissions } of cells(org)) {
    const key = cellKey(permissions, account.maxSessionHours);
    const set = byKey.get(key) ?? byKey.set(key, { permissions, sessionHours: account.maxSessionHours, accounts: [] }).get(key)!;
    if (!set.accounts.includes(account)) set.accounts.push(account);
  }
  return [...byKey.values()].map(({ permissions, sessionHours, accounts }) => {
    const { awsManaged, custom } = attachedPolicies(permissions);
    const ordered = org.accounts.filter((account) => accounts.includes(account));
    return {
      name: permissionSetName(permissions, sessionHours),
      permissions,
      sessionHours,
      awsManaged,
      custom,
      inlinePolicy: custom.length > 0 ? inlinePolicy(org.partition, custom, ordered) : undefined,
      accounts: ordered,
    };
  });
}

/**
 * The project's own policies as one document valid in every account of the set: each statement once, with
 * the resources it names in every account (pass-application-roles names each account's application roles).
 */
function inlinePolicy(partition: Partition, custom: readonly CustomPolicyName[], accounts: readonly Account[]): PolicyDocument {
  const merged = new Map<string, PolicyStatement>();
  for (const name of custom) {
    for (const account of accounts) {
      for (const statement of CUSTOM_POLICIES[name].document(partition, account.id).Statement) {
        const key = `${name}:${statement.Sid}`;
        const previous = merged.get(key);
        const resources = [...new Set([...[previous?.Resource ?? []].flat(), ...[statement.Resource ?? []].flat()])];
        merged.set(key, { ...statement, ...(statement.Resource === undefined ? {} : { Resource: resources.length === 1 ? resources[0] : resources }) });
      }
    }
  }
  return policyDocument(...merged.values());
}

/** Group x account -> permission set, exactly as the matrix says. */
export function accountAssignments(org: Organization): AccountAssignment[] {
  // A set's name is a function of its cell's permissions and session length: no need to build the sets.
  return cells(org).map(({ group, account, permissions }) => ({ group, account, permissionSet: permissionSetName(permissions, account.maxSessionHours) }));
}

/** ISO 8601, as Identity Center takes a session duration: whole hours and minutes. */
export function isoDuration(hours: number): string {
  const minutes = Math.round(hoursToSeconds(hours) / 60);
  return `PT${Math.floor(minutes / 60)}H${minutes % 60 ? `${minutes % 60}M` : ''}`;
}

/** The permission sets AWS would refuse: an inline policy over the limit. */
export function checkPermissionSetQuotas(org: Organization, orgFile: string, problems: Problems): void {
  if (!usesIdentityCenter(org)) return;
  for (const set of permissionSets(org)) {
    if (!set.inlinePolicy) continue;
    const size = documentSize(JSON.stringify(set.inlinePolicy), 'characters without whitespace');
    if (size <= PERMISSION_SET_INLINE_POLICY_MAX) continue;
    const group = accountAssignments(org).find((assignment) => assignment.permissionSet === set.name)!.group;
    problems.add(
      orgFile,
      ['access', group],
      `makes permission set ${set.name} (${set.permissions.join(', ')} in ${set.accounts.length} accounts) with an inline policy of ${size} characters; ` +
        `IAM takes at most ${PERMISSION_SET_INLINE_POLICY_MAX} in the role it makes in each account, a fixed limit: grant ${set.custom.join(', ')} in fewer accounts with the same session length`,
    );
  }
}
