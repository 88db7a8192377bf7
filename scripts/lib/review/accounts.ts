// 1. Accounts: each account with its id, OU, stack, state location, deploy role and budget; the stacks in
// deploy order; where each guardrail applies. State and roles are read from the synthesized stacks.
import { basename } from 'node:path';
import { guardrailApplies, ROOT_TARGET } from '../../../description/management';
import type { Organization, PendingAccount } from '../../../description/model';
import type { TerraformJson } from '../synthesized';
import { type ReviewInputs, resourcesLeftInAws } from './inputs';
import { blocks, code, listing, table } from './markdown';
import { logArchiveBucketName, organizationTrailName } from '../../../naming/names';

export interface AccountRow {
  readonly name: string;
  /** Undefined for an account the management stack is still to create. */
  readonly id?: string;
  readonly email: string;
  /** OU path, or "root". */
  readonly ou: string;
  readonly environment: string;
  readonly costCenter: string;
  /** What the organization uses it for besides its own workloads: the payer, IAM users, artifacts. */
  readonly duties: readonly string[];
  readonly stack?: string;
  /** Out of service: its stack only makes Terraform forget what it held. */
  readonly retired?: boolean;
  /** Retired: how many resources its stack held in service, forgotten by Terraform and still in AWS. */
  readonly leftInAws?: number;
  readonly budget?: { readonly monthlyUsd: number; readonly alertEmails: readonly string[] };
}

export interface StackRow {
  readonly name: string;
  /** 1 for the first stacks deployed; a stack deploys after every stack of a lower wave it depends on. */
  readonly wave: number;
  readonly dependsOn: readonly string[];
  readonly state: string;
  /** The role its default provider assumes, or how it gets credentials. */
  readonly deployRole: string;
}

export interface GuardrailRow {
  readonly name: string;
  readonly kind: 'service control policy' | 'tag policy';
  readonly targets: readonly string[];
  /** The accounts it applies to, created ones included. */
  readonly accounts: readonly string[];
}

export interface AccountsData {
  readonly organization: {
    readonly name: string;
    readonly homeRegion: string;
    readonly allowedRegions: readonly string[];
    /** "adopted o-..." or "created by the management stack". */
    readonly awsOrganization: string;
    /** Who may assume the management account's deploy role and the state role. */
    readonly deployers: readonly string[];
    /** The audit baseline every account is under: the trail, where its logs go, Access Analyzer. */
    readonly audit: string;
  };
  readonly accounts: readonly AccountRow[];
  readonly stacks: readonly StackRow[];
  readonly guardrails: readonly GuardrailRow[];
}

export function collectAccounts(inputs: ReviewInputs): AccountsData {
  const { org } = inputs;
  const stackNames = new Set(inputs.stacks.map((stack) => stack.name));
  const retired = new Set(org.retiredAccounts.map((account) => account.name));
  const leftInAws = resourcesLeftInAws(inputs);
  // Retired accounts stay members of the organization, in the retired accounts' OU, under the guardrails.
  const described: readonly (PendingAccount & { id?: string })[] = [...org.accounts, ...org.retiredAccounts, ...org.pendingAccounts];
  return {
    organization: {
      name: org.name,
      homeRegion: org.homeRegion,
      allowedRegions: org.allowedRegions,
      awsOrganization: org.awsOrganization.id ? `adopted ${org.awsOrganization.id}` : 'created by the management stack',
      deployers: org.deployers,
      audit: auditBaseline(org),
    },
    accounts: described.map((account) => ({
      name: account.name,
      id: account.id,
      email: account.email,
      ou: account.ou ?? ROOT_TARGET,
      environment: account.environment,
      costCenter: account.costCenter,
      duties: [
        account.name === org.management.name && 'the organization (payer)',
        account.name === org.identity.name && 'IAM users',
        account.name === org.artifact.name && 'ECR images, AMIs',
        account.name === org.logArchive.name && 'log archive',
        account.name === org.securityAdministrator?.name &&
          findings(org)
            .map((service) => `${service} administrator`)
            .join(', '),
        account.name === org.management.name && `organization trail${org.audit.accessAnalyzer ? ', Access Analyzer' : ''}`,
      ].filter((duty): duty is string => Boolean(duty)),
      stack: stackNames.has(account.name) ? account.name : undefined,
      ...(retired.has(account.name) ? { retired: true, leftInAws: leftInAws.filter((resource) => resource.stack === account.name).length } : {}),
      budget: !retired.has(account.name) && account.budget ? { monthlyUsd: account.budget.monthlyUsd, alertEmails: account.budget.alertEmails } : undefined,
    })),
    stacks: inputs.stacks.map((stack) => ({
      name: stack.name,
      wave: stack.wave,
      dependsOn: stack.dependencies,
      state: stateLocation(stack.json),
      deployRole: deployRole(stack.json),
    })),
    guardrails: (Object.keys(org.guardrails) as (keyof Organization['guardrails'])[]).map((name) => {
      const { targets } = org.guardrails[name];
      return {
        name,
        kind: name === 'environmentTagPolicy' ? 'tag policy' : 'service control policy',
        targets,
        accounts: described
          .filter((account) => account.name !== org.management.name && targets.some((target) => guardrailApplies(target, account)))
          .map((account) => account.name),
      };
    }),
  };
}

function auditBaseline(org: Organization): string {
  const { logArchive, trail, accessAnalyzer } = org.audit;
  return (
    `organization trail ${organizationTrailName(org.name)} records every account in every region (management events` +
    `${org.state.backend === 's3' && trail.stateDataEvents ? ', reads and writes of Terraform state' : ''}, log file validation) ` +
    `into ${logArchiveBucketName(org.name, org.logArchive.id)} in ${org.logArchive.name}, kept ${logArchive.expirationDays} days` +
    `${logArchive.objectLockDays ? `, Object Lock (governance) ${logArchive.objectLockDays} days` : ''}; ` +
    (accessAnalyzer ? 'IAM Access Analyzer finds what is shared outside the organization' : 'no IAM Access Analyzer') +
    (findings(org).length > 0
      ? `; ${findings(org).join(' and ')} on in every account of ${org.homeRegion}, administered from ${org.securityAdministrator!.name}${org.audit.securityHub ? ' (Security Hub checks AWS Foundational Security Best Practices)' : ''}`
      : '; no GuardDuty, no Security Hub')
  );
}

/** The findings services the organization runs. */
function findings(org: Organization): string[] {
  return [org.audit.guardDuty && 'GuardDuty', org.audit.securityHub && 'Security Hub'].filter((name): name is string => Boolean(name));
}

/** Where the stack keeps its state, as its synthesized backend says. */
function stateLocation(json: TerraformJson): string {
  const cloud = json.terraform?.cloud as { organization?: string; workspaces?: { name?: string; project?: string } } | undefined;
  if (cloud)
    return `Terraform Cloud ${cloud.organization}/${cloud.workspaces?.name}${cloud.workspaces?.project ? ` (project ${cloud.workspaces.project})` : ''}`;
  const [[kind, config]] = Object.entries(json.terraform?.backend ?? { local: {} });
  if (kind === 's3') return `s3://${config.bucket}/${config.key}`;
  if (kind === 'local') return `local file ${basename(String(config.path ?? 'terraform.tfstate'))}`;
  return kind;
}

function deployRole(json: TerraformJson): string {
  const provider = (json.provider?.aws ?? []).find((candidate) => !candidate.alias);
  const role = (provider?.assume_role as { role_arn?: string }[] | undefined)?.[0]?.role_arn;
  return role ?? "the caller's credentials";
}

export function renderAccounts(data: AccountsData): string {
  const { organization } = data;
  const accounts = table(
    ['account', 'holds', 'id', 'OU', 'environment / cost center', 'stack', 'budget (USD/month)', 'budget alerts to'],
    data.accounts.map((account) => [
      `**${account.name}**`,
      account.retired
        ? `*retired: moved to ${account.ou}, where only the deploy role acts; Terraform forgot its ${account.leftInAws} resources, which stay in AWS (see Cost)*`
        : account.duties.join('; '),
      account.id ? code(account.id) : '*to be created*',
      account.ou,
      `${account.environment} / ${account.costCenter}`,
      account.stack ? code(account.stack) : '*none until its id is recorded*',
      account.budget ? String(account.budget.monthlyUsd) : '',
      account.budget ? account.budget.alertEmails.join(', ') : '',
    ]),
    ['left', 'left', 'left', 'left', 'left', 'left', 'right', 'left'],
  );
  const stacks = table(
    ['wave', 'stack', 'after', 'state', 'deploys as'],
    data.stacks.map((stack) => [String(stack.wave), code(stack.name), stack.dependsOn.map(code).join(', '), stack.state, stack.deployRole]),
  );
  const guardrails = table(
    ['guardrail', 'kind', 'attached to', 'applies to'],
    data.guardrails.map((guardrail) => [
      code(guardrail.name),
      guardrail.kind,
      guardrail.targets.length ? guardrail.targets.join(', ') : '*not created*',
      listing(guardrail.accounts, '*no account*'),
    ]),
  );
  return blocks(
    '## 1. Accounts',
    `Organization ${code(organization.name)}: AWS Organization ${organization.awsOrganization}, home region ${organization.homeRegion}, ` +
      `member accounts allowed in ${listing(organization.allowedRegions)}.`,
    accounts,
    "Stacks, one Terraform workspace and state each, in the order `cdktf deploy '*'` runs them (a wave deploys once the earlier ones have):",
    stacks,
    `Who deploys: ${listing(organization.deployers.map(code))} may assume the management account's deploy role and the state role` +
      (organization.deployers.every((arn) => arn.endsWith(':root'))
        ? " (an account root: whoever that account's own IAM policies let assume roles, in practice its administrators; name your CI's role in `deployers` to narrow it)."
        : '.'),
    `Audit baseline: ${organization.audit}.`,
    'Guardrails (organization policies; never on the management account):',
    guardrails,
  );
}

export function accountRecords(data: AccountsData): Record<string, string> {
  return Object.fromEntries([
    ['deployers', data.organization.deployers.join(', ')],
    ['audit', data.organization.audit],
    ...data.accounts.map((account) => [
      `account ${account.name}`,
      [
        account.id ?? 'to be created',
        ...(account.retired ? [`retired, ${account.leftInAws} resources left in AWS`] : []),
        `OU ${account.ou}`,
        `${account.environment}/${account.costCenter}`,
        account.budget ? `budget ${account.budget.monthlyUsd} USD to ${account.budget.alertEmails.join(', ')}` : 'no budget',
      ].join('; '),
    ]),
    ...data.stacks.map((stack) => [`stack ${stack.name}`, `wave ${stack.wave}; state ${stack.state}; deploys as ${stack.deployRole}`]),
    ...data.guardrails.map((guardrail) => [`guardrail ${guardrail.name}`, `applies to ${listing(guardrail.accounts, 'no account')}`]),
  ]);
}
