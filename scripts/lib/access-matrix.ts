// The access matrix as verdicts: for every group and account, whether a member can switch in (with and
// without MFA) and which representative actions they may then take, simulated on the synthesized policies;
// and the cells that read data in production accounts, which production access (triage) should not.
import { isProductionAccount } from '../../description/access';
import { accountAssignments, isoDuration, permissionSets, usesIamUsers, usesIdentityCenter } from '../../description/identity-center';
import type { Account, Organization } from '../../description/model';
import { iamRoleArn, iamUserArn, type Partition, s3BucketArn, serviceArn } from '../../naming/arn';
import { APPLICATION_ROLES, applicationRoleArn } from '../../catalog/application-roles';
import {
  assumeRoleRequest,
  type IamSimulator,
  type RequestPrincipal,
  roleSessionPrincipal,
  SIGNED_IN_WITH_MFA,
  type SignIn,
  userPrincipal,
  type Verdict,
} from './iam-simulator';
import type { NamedPolicy, SynthesizedIam, SynthesizedRole, SynthesizedUser } from './synthesized-iam';
import { crossAccountRoleName } from '../../naming/names';

interface ActionContext {
  readonly org: Organization;
  readonly account: Account;
}

interface SimulatedAction {
  readonly action: string;
  resource(context: ActionContext): string;
  readonly context?: Readonly<Record<string, string>>;
}

interface RepresentativeAction {
  readonly label: string;
  /** Allowed when any of them is. */
  readonly actions: readonly SimulatedAction[];
}

const regional =
  (service: string, resource: string) =>
  ({ org, account }: ActionContext) =>
    serviceArn(org.partition, service, org.homeRegion, account.id, resource);

/**
 * Reading the data an account holds, one action per kind of store (all three ways to read a table):
 * objects, tables, SQL through the RDS Data API, parameters, secrets, queues and streams. Left out:
 * CloudWatch Logs, which triage reads by design; kms:Decrypt, which a key's own policy decides (not
 * simulated here); query services such as Athena, which read through the caller's own s3:GetObject.
 */
const DATA_READING_ACTIONS: readonly SimulatedAction[] = [
  { action: 's3:GetObject', resource: ({ org, account }) => `${s3BucketArn(org.partition, `${org.name}-${account.name}-data`)}/report.csv` },
  { action: 'dynamodb:GetItem', resource: regional('dynamodb', 'table/orders') },
  { action: 'dynamodb:Query', resource: regional('dynamodb', 'table/orders') },
  { action: 'dynamodb:Scan', resource: regional('dynamodb', 'table/orders') },
  { action: 'rds-data:ExecuteStatement', resource: regional('rds', 'cluster:app') },
  { action: 'ssm:GetParameter', resource: regional('ssm', 'parameter/app/database-url') },
  { action: 'secretsmanager:GetSecretValue', resource: regional('secretsmanager', 'secret:app/database-AbCdEf') },
  { action: 'sqs:ReceiveMessage', resource: regional('sqs', 'orders') },
  { action: 'kinesis:GetRecords', resource: regional('kinesis', 'stream/events') },
];

const READ_DATA = 'read-data';

const single = (label: string, action: SimulatedAction): RepresentativeAction => ({ label, actions: [action] });

/** One kind of power per column, chosen so that the rungs of the pyramid differ in at least one column. */
const REPRESENTATIVE_ACTIONS: readonly RepresentativeAction[] = [
  single('list', { action: 'ec2:DescribeInstances', resource: () => '*' }),
  single('logs', { action: 'logs:FilterLogEvents', resource: regional('logs', 'log-group:/ecs/app') }),
  single('metrics', { action: 'cloudwatch:GetMetricData', resource: () => '*' }),
  { label: READ_DATA, actions: DATA_READING_ACTIONS },
  single('run', { action: 'ec2:RunInstances', resource: regional('ec2', 'instance/i-0123456789abcdef0') }),
  single('pass-app', {
    action: 'iam:PassRole',
    resource: ({ org, account }) => applicationRoleArn(org.partition, account.id, 'ec2Instance'),
    context: { 'iam:PassedToService': APPLICATION_ROLES.ec2Instance.service },
  }),
  single('iam', { action: 'iam:CreateRole', resource: ({ org, account }) => iamRoleArn(org.partition, account.id, 'any-new-role') }),
  single('bills', { action: 'ce:GetCostAndUsage', resource: () => '*' }),
];

/** Each column's label and the actions it simulates. */
const ACTION_COLUMNS: readonly { readonly label: string; readonly actions: readonly string[] }[] = REPRESENTATIVE_ACTIONS.map(({ label, actions }) => ({
  label,
  actions: actions.map(({ action }) => action),
}));

/** How people reach the accounts: IAM users switching into cross-<group> roles, or Identity Center's permission sets. */
export type AccessPath = 'iam-users' | 'identity-center';

/** The path the organization's people take: IAM users unless mode is identity-center (in both, IAM users are still the reference). */
export function accessPathOf(org: Organization): AccessPath {
  return usesIamUsers(org) ? 'iam-users' : 'identity-center';
}

export interface AccessMatrixRow {
  readonly group: string;
  readonly account: string;
  /** How members act there: signed in (identity account), through a role or a permission set, or not at all. */
  readonly via: string;
  /** Whether members can switch into the role with and without MFA; undefined in the identity account. */
  readonly switchWithMfa?: Verdict;
  readonly switchWithoutMfa?: Verdict;
  readonly actions: Readonly<Record<string, Verdict>>;
  /** The data-reading actions allowed, which the read-data column sums up. */
  readonly readsData: readonly string[];
}

/** A cell that reads data in an account whose environment is a production one. */
export interface ProductionDataRead {
  readonly group: string;
  readonly account: string;
  readonly actions: readonly string[];
}

export function findUser(iam: SynthesizedIam, accountId: string, name: string): SynthesizedUser {
  const user = iam.users.find((candidate) => candidate.accountId === accountId && candidate.name === name);
  if (!user) throw new Error(`no synthesized IAM user ${name} in ${accountId}`);
  return user;
}

export function findRole(iam: SynthesizedIam, accountId: string, name: string): SynthesizedRole | undefined {
  return iam.roles.find((role) => role.accountId === accountId && role.name === name);
}

function policiesOfGroups(iam: SynthesizedIam, accountId: string, groups: readonly string[]): NamedPolicy[] {
  return iam.groups.filter((group) => group.accountId === accountId && groups.includes(group.name)).flatMap((group) => group.policies);
}

/** A real user, with its own policies and all its groups'. */
export function userAsPrincipal(iam: SynthesizedIam, accountId: string, name: string, signIn: SignIn): RequestPrincipal {
  const user = findUser(iam, accountId, name);
  return userPrincipal(user, policiesOfGroups(iam, accountId, user.groups), signIn);
}

/**
 * A member of exactly one group, not any real user (who may belong to several): the group's policies, the
 * policies every user carries, and the tags that mark the group's members (all of them carry it, no one
 * else does).
 */
export function memberAsPrincipal(iam: SynthesizedIam, partition: Partition, accountId: string, group: string, signIn: SignIn): RequestPrincipal {
  const users = iam.users.filter((user) => user.accountId === accountId);
  const members = users.filter((user) => user.groups.includes(group));
  const key = (policy: NamedPolicy) => `${policy.name}:${JSON.stringify(policy.document)}`;
  const policies = (users[0]?.policies ?? []).filter((policy) => users.every((user) => user.policies.some((other) => key(other) === key(policy))));
  const carries = (user: SynthesizedUser, [tag, value]: [string, string]) => user.tags[tag] === value;
  const tags = Object.fromEntries(
    Object.entries(members[0]?.tags ?? {}).filter(
      (tag) => members.every((member) => carries(member, tag)) && !users.some((user) => !members.includes(user) && carries(user, tag)),
    ),
  );
  const name = `member-of-${group}`;
  return userPrincipal({ name, accountId, arn: iamUserArn(partition, accountId, name), policies, tags }, policiesOfGroups(iam, accountId, [group]), signIn);
}

/** The role a permission set has in an account it is assigned in (Identity Center names it AWSReservedSSO_<set>_<suffix>). */
export function findPermissionSetRole(iam: SynthesizedIam, accountId: string, permissionSet: string): SynthesizedRole | undefined {
  return iam.roles.find((role) => role.accountId === accountId && role.permissionSet === permissionSet);
}

export async function computeAccessMatrix(
  org: Organization,
  iam: SynthesizedIam,
  simulator: IamSimulator,
  path: AccessPath = accessPathOf(org),
): Promise<AccessMatrixRow[]> {
  const identity = org.accounts.find((account) => account.name === org.identity.name)!;
  const rows: AccessMatrixRow[] = [];
  const assignments = accountAssignments(org);
  for (const group of Object.keys(org.groups)) {
    const member = (signIn: SignIn) => memberAsPrincipal(iam, org.partition, identity.id, group, signIn);
    for (const account of org.accounts) {
      const verdictsAs = async (principal: RequestPrincipal | undefined) => {
        const allowed: Record<string, string[]> = {};
        for (const { label, actions } of REPRESENTATIVE_ACTIONS) {
          allowed[label] = [];
          if (!principal) continue;
          for (const { action, resource, context } of actions) {
            const request = { principal, action, resource: resource({ org, account }), resourceAccountId: account.id, context };
            if ((await simulator.evaluate(request)) === 'allowed') allowed[label].push(action);
          }
        }
        const verdict = (actions: readonly string[]): Verdict => (actions.length > 0 ? 'allowed' : 'denied');
        return { actions: Object.fromEntries(Object.entries(allowed).map(([label, actions]) => [label, verdict(actions)])), readsData: allowed[READ_DATA] };
      };
      if (path === 'identity-center') {
        // Members of the assigned group reach the account through the access portal, MFA being Identity Center's sign-in.
        const assigned = assignments.find((assignment) => assignment.group === group && assignment.account === account)?.permissionSet;
        const role = assigned === undefined ? undefined : findPermissionSetRole(iam, account.id, assigned);
        rows.push({
          group,
          account: account.name,
          via: assigned ?? '-',
          switchWithMfa: role ? 'allowed' : 'denied',
          ...(await verdictsAs(role && roleSessionPrincipal(role, `member-of-${group}`))),
        });
        continue;
      }
      if (account === identity) {
        rows.push({ group, account: account.name, via: 'signed in', ...(await verdictsAs(member(SIGNED_IN_WITH_MFA))) });
        continue;
      }
      const role = findRole(iam, account.id, crossAccountRoleName(group));
      const switchWith = async (signIn: SignIn): Promise<Verdict> => (role ? simulator.evaluate(assumeRoleRequest(member(signIn), role)) : 'denied');
      const switchWithMfa = await switchWith(SIGNED_IN_WITH_MFA);
      rows.push({
        group,
        account: account.name,
        via: switchWithMfa === 'allowed' ? role!.name : '-',
        switchWithMfa,
        switchWithoutMfa: await switchWith('access-key'),
        ...(await verdictsAs(switchWithMfa === 'allowed' ? roleSessionPrincipal(role!, `member-of-${group}`) : undefined)),
      });
    }
  }
  return rows;
}

/** The accounts whose environment is a production one, by name. */
export function productionAccounts(org: Organization): string[] {
  return org.accounts.filter((account) => isProductionAccount(org, account)).map((account) => account.name);
}

/** The cells that read data in a production account: production access is for triage, which reads none. */
export function productionDataReads(org: Organization, rows: readonly AccessMatrixRow[]): ProductionDataRead[] {
  const production = productionAccounts(org);
  return rows
    .filter((row) => production.includes(row.account) && row.readsData.length > 0)
    .map(({ group, account, readsData }) => ({ group, account, actions: readsData }));
}

/** What both the access matrix and the review say of production data: a headline, then one line per flagged cell. */
export function describeProductionDataReads(production: readonly string[], reads: readonly ProductionDataRead[]): { headline: string; cells: string[] } {
  const cells = reads.map((read) => `${read.group} in ${read.account}: ${read.actions.join(', ')}`);
  if (production.length === 0)
    return { headline: "No account's environment is among productionEnvironments: no cell is checked for reading production data.", cells };
  const accounts = `production account${production.length === 1 ? '' : 's'} (${production.join(', ')})`;
  if (reads.length === 0) return { headline: `No cell reads data in the ${accounts}.`, cells };
  const count = reads.length === 1 ? '1 cell reads' : `${reads.length} cells read`;
  return { headline: `${count} data in the ${accounts}, where access is meant for triage: review them.`, cells };
}

/**
 * The verdict table, header first, one row per group and account: what the command prints and the review
 * shows. A dot is a denial, so that the allowed cells stand out; allow! in read-data: the cell reads data in a
 * production account.
 */
export function accessMatrixTable(rows: readonly AccessMatrixRow[], flagged: readonly ProductionDataRead[]): string[][] {
  const mark = (verdict: Verdict | undefined) => (verdict === undefined ? '' : verdict === 'allowed' ? 'allow' : '·');
  const markCell = (row: AccessMatrixRow, label: string) =>
    `${mark(row.actions[label])}${label === READ_DATA && flagged.some((read) => read.group === row.group && read.account === row.account) ? '!' : ''}`;
  return [
    ['group', 'account', 'via', 'switch', 'no-mfa', ...ACTION_COLUMNS.map((column) => column.label)],
    ...rows.map((row) => [
      row.group,
      row.account,
      row.via,
      mark(row.switchWithMfa),
      mark(row.switchWithoutMfa),
      ...ACTION_COLUMNS.map((column) => markCell(row, column.label)),
    ]),
  ];
}

/** The columns' legend: each label and the actions it simulates, each action as `show` writes it. */
export function actionColumnsLegend(show: (action: string) => string = (action) => action): { label: string; actions: string }[] {
  return ACTION_COLUMNS.map(({ label, actions }) => ({ label, actions: `${actions.length > 1 ? 'any of ' : ''}${actions.map(show).join(', ')}` }));
}

/** The permission sets and their assignments, one line each: what Identity Center holds. */
export function describePermissionSets(org: Organization): string[] {
  const assignments = accountAssignments(org);
  return permissionSets(org).map((set) => {
    const assigned = assignments
      .filter((assignment) => assignment.permissionSet === set.name)
      .map((assignment) => `${assignment.group} in ${assignment.account.name}`);
    return `${set.name}: ${set.permissions.join(', ')}, sessions ${isoDuration(set.sessionHours)}; assigned to ${assigned.join(', ')}`;
  });
}

/** The verdict table as plain text, one row per group and account. */
export function formatAccessMatrix(org: Organization, rows: readonly AccessMatrixRow[], path: AccessPath = accessPathOf(org)): string {
  const production = productionAccounts(org);
  const flagged = productionDataReads(org, rows);
  const table = accessMatrixTable(rows, flagged);
  const header = table[0];
  const widths = header.map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  // A blank line between groups: each block is one row of the description's matrix.
  const lines = table.flatMap((cells, index) => (index > 1 && cells[0] !== table[index - 1][0] ? ['', line(cells)] : [line(cells)]));
  const how =
    path === 'iam-users'
      ? [
          'Members sign in to the identity account',
          `(${org.identity.name}) with MFA and switch into the other accounts through the "via" role`,
          '(switch); no-mfa is the same switch attempted with access keys and no MFA code. A dot: denied.',
        ]
      : [
          'Members sign in to IAM Identity Center',
          'and reach each account through the role of the "via" permission set assigned to their group',
          'there (switch), AWSReservedSSO_<permission set>_<suffix>. A dot: denied.',
        ];
  const legend = [
    `Access matrix of ${org.name}${path === 'identity-center' ? ' through IAM Identity Center' : ''}: what a member of each group may do in each account, simulated with`,
    `@cloud-copilot/iam-simulate on the synthesized policies. ${how[0]}`,
    ...how.slice(1),
    '',
    ...actionColumnsLegend().flatMap(({ label, actions }) => wrap(actions, 88).map((text, index) => `  ${(index ? '' : label).padEnd(10)} ${text}`)),
    '',
  ];
  const { headline, cells } = describeProductionDataReads(production, flagged);
  const summary = [headline, ...cells.map((cell) => `  ${cell}`), ...(cells.length ? ['(allow! in read-data marks them below)'] : []), ''];
  const sets = usesIdentityCenter(org)
    ? ['Permission sets of IAM Identity Center and their assignments:', ...describePermissionSets(org).map((line) => `  ${line}`), '']
    : [];
  return [...legend, ...summary, ...sets, ...lines].join('\n') + '\n';
}

/** `text` in lines of at most `width` characters, broken after commas. */
function wrap(text: string, width: number): string[] {
  return text
    .split(/(?<=, )/)
    .reduce<string[]>((lines, word) => {
      const last = lines.length - 1;
      if (last >= 0 && (lines[last] + word).trimEnd().length <= width) lines[last] += word;
      else lines.push(word);
      return lines;
    }, [])
    .map((line) => line.trimEnd());
}
