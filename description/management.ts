// Defaults of the management stack's settings that come from elsewhere in the description: the regions
// of the region guardrail, the allowed Environment values, who gets cost alerts.
import type { Budget, Costs, Guardrails, OrganizationalUnit, PendingAccount } from './model';
import type { AccountFile } from './schema/account';
import type { OrganizationFile } from './schema/organization';

/** The account's budget, alerting its own root email unless the file names others. */
export function accountBudget(file: AccountFile): Budget | undefined {
  return file.budget && { ...file.budget, alertEmails: file.budget.alertEmails ?? [file.email] };
}

export function resolveGuardrails(file: OrganizationFile, accounts: readonly PendingAccount[]): Guardrails {
  const { denyOutsideAllowedRegions, environmentTagPolicy } = file.guardrails;
  return {
    ...file.guardrails,
    denyOutsideAllowedRegions: { ...denyOutsideAllowedRegions, regions: denyOutsideAllowedRegions.regions ?? file.allowedRegions },
    environmentTagPolicy: {
      ...environmentTagPolicy,
      values: environmentTagPolicy.values ?? [...new Set(accounts.map((account) => account.environment))].sort(),
    },
  };
}

/** An account's alternate contacts: organization.yaml's, each subject replaced by the account file's own. */
export function alternateContactsOf(
  org: Pick<OrganizationFile, 'alternateContacts'>,
  account: Pick<PendingAccount, 'alternateContacts'>,
): OrganizationFile['alternateContacts'] {
  return Object.fromEntries(Object.entries({ ...org.alternateContacts, ...account.alternateContacts }).filter(([, contact]) => contact !== undefined));
}

/** Anomaly alerts go to the management account's owners unless the file names others. */
export function resolveCosts(file: OrganizationFile, management: PendingAccount): Costs {
  const { anomalyAlerts } = file.costs;
  return { ...file.costs, anomalyAlerts: { ...anomalyAlerts, emails: anomalyAlerts.emails ?? [management.email] } };
}

/** The organization root as a guardrail target. */
export const ROOT_TARGET = 'root';

/** Whether a guardrail attached at `target` (the root, an OU path or an account name) applies to the account. */
export function guardrailApplies(target: string, account: Pick<PendingAccount, 'name' | 'ou'>): boolean {
  if (target === ROOT_TARGET || target === account.name) return true;
  return account.ou !== undefined && (account.ou === target || account.ou.startsWith(`${target}/`));
}

/**
 * Every OU path the description names (the accounts' OUs, the listed ones, the one retired accounts move
 * to) with all their ancestors, sorted: parents first.
 */
export function organizationalUnitPaths(
  awsOrganization: Pick<OrganizationFile['awsOrganization'], 'organizationalUnits' | 'retiredAccountsOu'>,
  accounts: readonly Pick<PendingAccount, 'ou'>[],
): string[] {
  const paths = new Set<string>();
  const named = [
    ...accounts.flatMap((account) => (account.ou ? [account.ou] : [])),
    ...Object.keys(awsOrganization.organizationalUnits),
    awsOrganization.retiredAccountsOu,
  ];
  for (const ou of named) {
    const parts = ou.split('/');
    parts.forEach((_, index) => paths.add(parts.slice(0, index + 1).join('/')));
  }
  return [...paths].sort();
}

export function resolveOrganizationalUnits(file: OrganizationFile, accounts: readonly PendingAccount[]): OrganizationalUnit[] {
  return organizationalUnitPaths(file.awsOrganization, accounts).map((path) => ({ path, id: file.awsOrganization.organizationalUnits[path]?.id }));
}
