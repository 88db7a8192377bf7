// Every stack of the organization, and the order `cdktf deploy '*'` runs them in.
import { type App, Aspects } from 'cdktf';
import type { Organization } from '../description/model';
import { AccountStack } from './account-stack';
import { BootstrapStack } from './bootstrap-stack';
import { SynthGuardrails } from '../modules/synth-guardrails/synth-guardrails';
import { VpcPeeringStack } from './vpc-peering-stack';

export interface OrganizationStacks {
  readonly bootstrap: BootstrapStack;
  readonly accounts: ReadonlyMap<string, AccountStack>;
  /** Every VPC peering connection; there is none without two VPCs. */
  readonly vpcPeering?: VpcPeeringStack;
}

export function buildOrganization(app: App, org: Organization): OrganizationStacks {
  const bootstrap = new BootstrapStack(app, org);
  const accounts = new Map(org.accounts.map((account) => [account.name, new AccountStack(app, { org, account })]));
  const management = accounts.get(org.managementAccount)!;
  management.addDependency(bootstrap);
  // Member accounts are created and placed by the management stack before anything is built in them.
  for (const stack of accounts.values()) if (stack !== management) stack.addDependency(management);
  // It refers to every VPC's ids, which makes it deploy after every stack with a VPC.
  const vpcs = new Map([...accounts].flatMap(([name, stack]) => (stack.peerableVpc ? [[name, stack.peerableVpc] as const] : [])));
  const vpcPeering = vpcs.size >= 2 ? new VpcPeeringStack(app, org, vpcs) : undefined;
  // cdktf applies aspects from each stack down, not from the app.
  const guardrails = new SynthGuardrails({ organizationAccountIds: org.accounts.map((account) => account.id) });
  for (const stack of [bootstrap, ...accounts.values(), ...(vpcPeering ? [vpcPeering] : [])]) Aspects.of(stack).add(guardrails);
  return { bootstrap, accounts, vpcPeering };
}

/**
 * Builds every stack of the organization and synthesizes them into the app's outdir. cdktf records a
 * stack trace for every token and nested attribute it creates, used only to decorate an error about a
 * token it cannot resolve; rendering them (through the source maps of the provider bindings) is most of
 * the synth time of a large organization. They are left unrendered meanwhile; an error that escapes still
 * renders its stack, which V8 does when it is first read.
 */
export function synthesizeOrganization(app: App, org: Organization): OrganizationStacks {
  const renderStack = Error.prepareStackTrace;
  Error.prepareStackTrace = () => '';
  try {
    const stacks = buildOrganization(app, org);
    app.synth();
    return stacks;
  } finally {
    Error.prepareStackTrace = renderStack;
  }
}

/** What a synth must tell the user about accounts that get no stack yet. */
export function pendingAccountsNotice(org: Organization): string | undefined {
  if (org.pendingAccounts.length === 0) return undefined;
  return [
    `${org.pendingAccounts.length} account(s) have no id yet and get no stack: the ${org.managementAccount} stack creates them.`,
    ...org.pendingAccounts.map((account) => `  ${account.name}: once created, record its id in ${account.file} (id: "<12 digits>") and synth again`),
  ].join('\n');
}
