// Every stack of the organization, and the order `cdktf deploy '*'` runs them in.
import { type App, Aspects } from 'cdktf';
import type { Organization } from '../description/model';
import { AccountStack } from './account-stack';
import { BootstrapStack } from './bootstrap-stack';
import { SynthGuardrails } from '../modules/synth-guardrails/synth-guardrails';

export interface OrganizationStacks {
  readonly bootstrap: BootstrapStack;
  readonly accounts: ReadonlyMap<string, AccountStack>;
}

export function buildOrganization(app: App, org: Organization): OrganizationStacks {
  const bootstrap = new BootstrapStack(app, org);
  const accounts = new Map(org.accounts.map((account) => [account.name, new AccountStack(app, { org, account })]));
  const management = accounts.get(org.managementAccount)!;
  management.addDependency(bootstrap);
  // Member accounts are created and placed by the management stack before anything is built in them.
  for (const stack of accounts.values()) if (stack !== management) stack.addDependency(management);
  // cdktf applies aspects from each stack down, not from the app.
  const guardrails = new SynthGuardrails({ organizationAccountIds: org.accounts.map((account) => account.id) });
  for (const stack of [bootstrap, ...accounts.values()]) Aspects.of(stack).add(guardrails);
  return { bootstrap, accounts };
}

/** What a synth must tell the user about accounts that get no stack yet. */
export function pendingAccountsNotice(org: Organization): string | undefined {
  if (org.pendingAccounts.length === 0) return undefined;
  return [
    `${org.pendingAccounts.length} account(s) have no id yet and get no stack: the ${org.managementAccount} stack creates them.`,
    ...org.pendingAccounts.map((account) => `  ${account.name}: once created, record its id in ${account.file} (id: "<12 digits>") and synth again`),
  ].join('\n');
}
