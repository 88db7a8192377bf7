// The access matrix as verdicts: for every group and account, whether a member can switch in (with and
// without MFA) and which representative actions they may then take, simulated on the synthesized policies.
import { crossAccountRoleName } from '../../description/access';
import type { Account, Organization } from '../../description/model';
import { iamUserArn } from '../../modules/common/arn';
import { APPLICATION_ROLES, applicationRoleArn } from '../../modules/identity/application-roles';
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

interface ActionContext {
  readonly org: Organization;
  readonly account: Account;
}

/** One action per kind of power, chosen so that the rungs of the pyramid differ in at least one column. */
export const REPRESENTATIVE_ACTIONS: readonly {
  readonly label: string;
  readonly action: string;
  resource(context: ActionContext): string;
  readonly context?: Readonly<Record<string, string>>;
}[] = [
  { label: 'list', action: 'ec2:DescribeInstances', resource: () => '*' },
  { label: 'logs', action: 'logs:FilterLogEvents', resource: ({ org, account }) => `arn:aws:logs:${org.homeRegion}:${account.id}:log-group:/ecs/app` },
  { label: 'metrics', action: 'cloudwatch:GetMetricData', resource: () => '*' },
  { label: 'read-data', action: 's3:GetObject', resource: ({ org, account }) => `arn:aws:s3:::${org.name}-${account.name}-data/report.csv` },
  { label: 'run', action: 'ec2:RunInstances', resource: ({ org, account }) => `arn:aws:ec2:${org.homeRegion}:${account.id}:instance/i-0123456789abcdef0` },
  {
    label: 'pass-app',
    action: 'iam:PassRole',
    resource: ({ account }) => applicationRoleArn(account.id, 'ec2Instance'),
    context: { 'iam:PassedToService': APPLICATION_ROLES.ec2Instance.service },
  },
  { label: 'iam', action: 'iam:CreateRole', resource: ({ account }) => `arn:aws:iam::${account.id}:role/any-new-role` },
  { label: 'bills', action: 'ce:GetCostAndUsage', resource: () => '*' },
];

export interface AccessMatrixRow {
  readonly group: string;
  readonly account: string;
  /** How members act there: signed in (identity account), through a role, or not at all. */
  readonly via: string;
  /** Whether members can switch into the role with and without MFA; undefined in the identity account. */
  readonly switchWithMfa?: Verdict;
  readonly switchWithoutMfa?: Verdict;
  readonly actions: Readonly<Record<string, Verdict>>;
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
export function memberAsPrincipal(iam: SynthesizedIam, accountId: string, group: string, signIn: SignIn): RequestPrincipal {
  const users = iam.users.filter((user) => user.accountId === accountId);
  const members = users.filter((user) => user.groups.includes(group));
  const key = (policy: NamedPolicy) => `${policy.name}:${JSON.stringify(policy.document)}`;
  const policies = (users[0]?.policies ?? []).filter((policy) => users.every((user) => user.policies.some((other) => key(other) === key(policy))));
  const carries = (user: SynthesizedUser, [tag, value]: [string, string]) => user.tags[tag] === value;
  const tags = Object.fromEntries(
    Object.entries(members[0]?.tags ?? {}).filter((tag) => members.every((member) => carries(member, tag)) && !users.some((user) => !members.includes(user) && carries(user, tag))),
  );
  const name = `member-of-${group}`;
  return userPrincipal({ name, accountId, arn: iamUserArn(accountId, name), policies, tags }, policiesOfGroups(iam, accountId, [group]), signIn);
}

export async function computeAccessMatrix(org: Organization, iam: SynthesizedIam, simulator: IamSimulator): Promise<AccessMatrixRow[]> {
  const identity = org.accounts.find((account) => account.name === org.identityAccount)!;
  const rows: AccessMatrixRow[] = [];
  for (const group of Object.keys(org.groups)) {
    const member = (signIn: SignIn) => memberAsPrincipal(iam, identity.id, group, signIn);
    for (const account of org.accounts) {
      const actionsAs = async (principal: RequestPrincipal | undefined) => {
        const verdicts: Record<string, Verdict> = {};
        for (const { label, action, resource, context } of REPRESENTATIVE_ACTIONS) {
          verdicts[label] = principal
            ? await simulator.evaluate({ principal, action, resource: resource({ org, account }), resourceAccountId: account.id, context })
            : 'denied';
        }
        return verdicts;
      };
      if (account === identity) {
        rows.push({ group, account: account.name, via: 'signed in', actions: await actionsAs(member(SIGNED_IN_WITH_MFA)) });
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
        actions: await actionsAs(switchWithMfa === 'allowed' ? roleSessionPrincipal(role!, `member-of-${group}`) : undefined),
      });
    }
  }
  return rows;
}

/** The verdict table as plain text, one row per group and account. */
export function formatAccessMatrix(org: Organization, rows: readonly AccessMatrixRow[]): string {
  const mark = (verdict: Verdict | undefined) => (verdict === undefined ? '' : verdict === 'allowed' ? 'allow' : 'deny');
  const header = ['group', 'account', 'via', 'switch', 'no-mfa', ...REPRESENTATIVE_ACTIONS.map((action) => action.label)];
  const table = [
    header,
    ...rows.map((row) => [
      row.group,
      row.account,
      row.via,
      mark(row.switchWithMfa),
      mark(row.switchWithoutMfa),
      ...REPRESENTATIVE_ACTIONS.map((action) => mark(row.actions[action.label])),
    ]),
  ];
  const widths = header.map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  // A blank line between groups: each block is one row of the description's matrix.
  const lines = table.flatMap((cells, index) => (index > 1 && cells[0] !== table[index - 1][0] ? ['', line(cells)] : [line(cells)]));
  const legend = [
    `Access matrix of ${org.name}: what a member of each group may do in each account, simulated with`,
    '@cloud-copilot/iam-simulate on the synthesized policies. Members sign in to the identity account',
    `(${org.identityAccount}) with MFA and switch into the other accounts through the "via" role`,
    '(switch); no-mfa is the same switch attempted with access keys and no MFA code.',
    '',
    ...REPRESENTATIVE_ACTIONS.map(({ label, action }) => `  ${label.padEnd(10)} ${action}`),
    '',
  ];
  return [...legend, ...lines].join('\n') + '\n';
}
