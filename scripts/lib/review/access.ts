// 2. Access: the group x account matrix (role, attached policies, session limit and MFA, read from the
// synthesized roles; or the permission set, with IAM Identity Center), the permission sets and their
// assignments, the users and the roles they reach, the console links that switch into each role,
// and what a member of each group may do where as the IAM simulator evaluates the synthesized policies
// (skipped, and said so, without the simulator's devDependencies), led by a warning for every cell that
// reads data in a production account.
import { grantsOfUser, identityPermissions } from '../../../description/access';
import { accessPortalUrl, accountAssignments, permissionSets, usesIamUsers, usesIdentityCenter } from '../../../description/identity-center';
import { attachedPolicies } from '../../../catalog/custom-policies';
import { switchRoleUrl } from '../../../modules/identity/switch-role-url';
import {
  accessMatrixTable,
  actionColumnsLegend,
  type AccessMatrixRow,
  computeAccessMatrix,
  describeProductionDataReads,
  type ProductionDataRead,
  productionAccounts,
  productionDataReads,
} from '../access-matrix';
import type { IamSimulator } from '../iam-simulator';
import { readSynthesizedIam } from '../synthesized-iam';
import type { TerraformJson } from '../synthesized';
import type { ReviewInputs } from './inputs';
import { blocks, code, link, listing, table } from './markdown';

export interface AccessCell {
  readonly group: string;
  readonly account: string;
  /** "signed in" in the identity account, else the role members switch into. */
  readonly via: string;
  /** The policies attached, AWS managed ones by path/name. */
  readonly policies: readonly string[];
  /** Of a role: its longest session, and the MFA its trust policy requires, as synthesized. */
  readonly sessionHours?: number;
  readonly mfa?: string;
  readonly switchRoleUrl?: string;
}

export interface SimulatedVerdicts {
  readonly rows: readonly AccessMatrixRow[];
  /** The accounts whose environment is a production one, and the cells that read data there. */
  readonly productionAccounts: readonly string[];
  readonly productionDataReads: readonly ProductionDataRead[];
}

export interface PermissionSetData {
  readonly name: string;
  readonly policies: readonly string[];
  readonly sessionHours: number;
  /** "<group> in <account>", as the matrix assigns it. */
  readonly assignedTo: readonly string[];
}

export interface AccessData {
  readonly identityAccount: string;
  readonly signInUrl: string;
  /** Whether people have IAM users (identity.mode iam-users or both); the cells are then the IAM path's. */
  readonly iamUsers: boolean;
  /** With IAM Identity Center: its access portal and permission sets. */
  readonly identityCenter?: { readonly portalUrl: string; readonly permissionSets: readonly PermissionSetData[] };
  /** Column order: every account with a stack. */
  readonly accounts: readonly string[];
  readonly groups: readonly { readonly name: string; readonly description: string; readonly members: readonly string[] }[];
  readonly users: readonly { readonly name: string; readonly groups: readonly string[]; readonly roles: readonly string[] }[];
  readonly cells: readonly AccessCell[];
  readonly verdicts: SimulatedVerdicts | { readonly skipped: string };
}

/** The IAM simulator, or why the verdicts are left out. */
export type SimulatorOrReason = { readonly simulator: IamSimulator } | { readonly skipped: string };

export async function collectAccess(inputs: ReviewInputs, simulation: SimulatorOrReason): Promise<AccessData> {
  const { org } = inputs;
  const identity = org.identity;
  const json = (stack: string) => inputs.stacks.find((candidate) => candidate.name === stack)?.json;
  const attached = (permissions: readonly string[]) => {
    const { awsManaged, custom } = attachedPolicies(permissions);
    return [...awsManaged, ...custom];
  };
  const roleCells = org.crossAccountGrants.map((grant): AccessCell => {
    const role = synthesizedRole(json(grant.account.name), grant.roleName);
    return {
      group: grant.group,
      account: grant.account.name,
      via: grant.roleName,
      policies: attached(grant.permissions),
      sessionHours: role && role.maxSessionSeconds / 3600,
      mfa: role && mfaRequirement(role.trustPolicy),
      switchRoleUrl: switchRoleUrl(grant.account.id, grant.roleName, `${grant.account.name} as ${grant.group}`),
    };
  });
  const identityCells = Object.keys(org.groups).flatMap((group): AccessCell[] => {
    const permissions = identityPermissions(org, group);
    return permissions.length ? [{ group, account: identity.name, via: 'signed in', policies: attached(permissions) }] : [];
  });
  const sets = usesIdentityCenter(org) ? permissionSets(org) : [];
  const assignments = usesIdentityCenter(org) ? accountAssignments(org) : [];
  const permissionSetCells = assignments.map((assignment): AccessCell => {
    const set = sets.find((candidate) => candidate.name === assignment.permissionSet)!;
    return { group: assignment.group, account: assignment.account.name, via: set.name, policies: attached(set.permissions), sessionHours: set.sessionHours };
  });
  let verdicts: AccessData['verdicts'];
  if ('simulator' in simulation) {
    const { simulator } = simulation;
    const iam = readSynthesizedIam(
      inputs.stacks.map(({ name, json: stackJson }) => ({ name, json: stackJson })),
      (policy) => simulator.awsManagedPolicy(policy),
    );
    const rows = await computeAccessMatrix(org, iam, simulator);
    verdicts = { rows, productionAccounts: productionAccounts(org), productionDataReads: productionDataReads(org, rows) };
  } else {
    verdicts = { skipped: simulation.skipped };
  }
  return {
    identityAccount: identity.name,
    signInUrl: `https://${identity.id}.signin.aws.amazon.com/console`,
    iamUsers: usesIamUsers(org),
    identityCenter: usesIdentityCenter(org)
      ? {
          portalUrl: accessPortalUrl(org),
          permissionSets: sets.map((set) => ({
            name: set.name,
            policies: attached(set.permissions),
            sessionHours: set.sessionHours,
            assignedTo: assignments
              .filter((assignment) => assignment.permissionSet === set.name)
              .map((assignment) => `${assignment.group} in ${assignment.account.name}`),
          })),
        }
      : undefined,
    accounts: org.accounts.map((account) => account.name),
    groups: Object.entries(org.groups).map(([name, { description }]) => ({
      name,
      description,
      members: Object.keys(org.users).filter((user) => org.users[user].groups.includes(name)),
    })),
    users: Object.entries(org.users).map(([name, { groups }]) => ({
      name,
      groups,
      roles: grantsOfUser(org, name).map((grant) => `${grant.roleName} in ${grant.account.name}`),
    })),
    cells: usesIamUsers(org) ? [...identityCells, ...roleCells] : permissionSetCells,
    verdicts,
  };
}

interface SynthesizedRoleSettings {
  readonly maxSessionSeconds: number;
  readonly trustPolicy: unknown;
}

function synthesizedRole(json: TerraformJson | undefined, name: string): SynthesizedRoleSettings | undefined {
  const role = Object.values(json?.resource?.aws_iam_role ?? {}).find((candidate) => candidate.name === name);
  // IAM's default session length is an hour.
  return role && { maxSessionSeconds: Number(role.max_session_duration ?? 3600), trustPolicy: JSON.parse(String(role.assume_role_policy)) };
}

/** What the trust policy asks of the caller's MFA, in words. */
function mfaRequirement(trustPolicy: unknown): string {
  const statements = ((trustPolicy as { Statement?: unknown[] }).Statement ?? []) as { Effect?: string; Condition?: Record<string, Record<string, string>> }[];
  const allows = statements.filter((statement) => statement.Effect === 'Allow');
  const required = allows.length > 0 && allows.every((statement) => statement.Condition?.Bool?.['aws:MultiFactorAuthPresent'] === 'true');
  if (!required) return 'no MFA required';
  const ages = allows.map((statement) => Number(statement.Condition?.NumericLessThan?.['aws:MultiFactorAuthAge']));
  return ages.every(Number.isFinite) ? `MFA at most ${Math.max(...ages) / 3600} h old` : 'MFA, of any age';
}

export function renderAccess(data: AccessData): string {
  const cellOf = (group: string, account: string) => data.cells.find((cell) => cell.group === group && cell.account === account);
  const roles = data.cells.filter((cell) => cell.via !== 'signed in');
  const mfas = [...new Set(roles.map((cell) => cell.mfa))];
  const sessionsOf = (account: string) => [...new Set(roles.filter((cell) => cell.account === account).map((cell) => cell.sessionHours))];
  const header = data.accounts.map((account) => {
    const sessions = sessionsOf(account);
    if (account === data.identityAccount && data.iamUsers) return `${account} (users sign in)`;
    return sessions.length === 1 ? `${account} (sessions ${sessions[0]} h)` : account;
  });
  const matrix = table(
    ['group', 'members', ...header],
    data.groups.map((group) => [
      `**${group.name}**`,
      group.members.join(', '),
      ...data.accounts.map((account) => {
        const cell = cellOf(group.name, account);
        if (!cell) return '';
        const via = cell.switchRoleUrl ? link(cell.via, cell.switchRoleUrl) : cell.via;
        const notes = [sessionsOf(account).length > 1 && `${cell.sessionHours} h`, mfas.length > 1 && cell.mfa].filter((note): note is string => Boolean(note));
        return `${via}${notes.length ? ` (${notes.join(', ')})` : ''}: ${cell.policies.join(', ')}`;
      }),
    ]),
  );
  const users = table(
    ['user', 'groups', 'switches into'],
    data.users.map((user) => [user.name, user.groups.join(', '), listing(user.roles, '*no role*')]),
  );
  const identityCenter = data.identityCenter;
  return blocks(
    '## 2. Access',
    renderProductionDataWarning(data.verdicts),
    data.iamUsers
      ? `People sign in to ${code(data.identityAccount)} (${data.signInUrl}) as IAM users and switch into the other accounts through the roles below ` +
          '(a role name links to the console page that switches into it). ' +
          (mfas.length === 1
            ? `Every role's trust policy admits only tagged members of its group, with ${mfas[0]}.`
            : 'MFA differs between roles: see each cell.') +
          ' An empty cell: no access.'
      : `People sign in to IAM Identity Center (${identityCenter!.portalUrl}), with no IAM user, and reach each account through the permission set below assigned to their group. An empty cell: no access.`,
    matrix,
    identityCenter &&
      blocks(
        `IAM Identity Center (${identityCenter.portalUrl}): one permission set per distinct cell, assigned to each group in exactly the accounts of its row` +
          (data.iamUsers ? ', next to the IAM users (identity.mode both: the migration).' : '.'),
        table(
          ['permission set', 'policies', 'sessions', 'assigned to'],
          identityCenter.permissionSets.map((set) => [code(set.name), set.policies.join(', '), `${set.sessionHours} h`, set.assignedTo.join(', ')]),
        ),
      ),
    data.iamUsers && users,
    renderVerdicts(data.verdicts),
  );
}

/** First in the section: cells that read data in production accounts, a warning for the platform team to weigh. */
function renderProductionDataWarning(verdicts: AccessData['verdicts']): string | undefined {
  if ('skipped' in verdicts || verdicts.productionDataReads.length === 0) return undefined;
  const { headline, cells } = describeProductionDataReads(verdicts.productionAccounts, verdicts.productionDataReads);
  return blocks(`**Warning**: ${headline}`, cells.map((cell) => `- ${cell}`).join('\n'));
}

function renderVerdicts(verdicts: AccessData['verdicts']): string {
  if ('skipped' in verdicts) return `Simulated verdicts: **skipped**, ${verdicts.skipped}`;
  // The cells that do read production data head the section; none, and it says so here.
  const { headline } = describeProductionDataReads(verdicts.productionAccounts, verdicts.productionDataReads);
  const [header, ...rows] = accessMatrixTable(verdicts.rows, verdicts.productionDataReads);
  return blocks(
    'What a member of each group may do in each account, as `@cloud-copilot/iam-simulate` evaluates the synthesized policies, ' +
      'the table `npm run access-matrix` prints (allow, or · for denied; switch: into the role, signed in with MFA; no-mfa: the same with ' +
      'access keys only; allow! reads data in a production account). Actions: ' +
      actionColumnsLegend(code)
        .map(({ label, actions }) => `${label} = ${actions}`)
        .join('; ') +
      '.',
    verdicts.productionDataReads.length === 0 && headline,
    table(header, rows),
  );
}

export function accessRecords(data: AccessData): Record<string, string> {
  const verdictRecords =
    'rows' in data.verdicts
      ? [
          ...data.verdicts.rows.map((row) => [
            `may ${row.group} in ${row.account}`,
            Object.entries(row.actions)
              .filter(([, verdict]) => verdict === 'allowed')
              .map(([label]) => label)
              .join(', ') || 'nothing',
          ]),
          ...data.verdicts.productionDataReads.map((read) => [`production data read by ${read.group} in ${read.account}`, read.actions.join(', ')]),
        ]
      : [];
  return Object.fromEntries([
    ...data.cells.map((cell) => [
      `${cell.group} in ${cell.account}`,
      [cell.via, cell.policies.join(', '), cell.sessionHours !== undefined && `${cell.sessionHours} h sessions`, cell.mfa].filter(Boolean).join('; '),
    ]),
    ...data.users.map((user) => [`user ${user.name}`, `groups ${user.groups.join(', ')}`]),
    ...(data.identityCenter?.permissionSets ?? []).map((set) => [
      `permission set ${set.name}`,
      `${set.policies.join(', ')}; ${set.sessionHours} h sessions; assigned to ${set.assignedTo.join(', ')}`,
    ]),
    ...verdictRecords,
  ]);
}
