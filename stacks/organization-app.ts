// Every stack of the organization, and the order `cdktf deploy '*'` runs them in.
import { App, Aspects } from 'cdktf';
import type { Organization } from '../description/model';
import { AccountStack } from './account-stack';
import { BootstrapStack, InvitedAccountBootstrapStack, invitedAccountBootstrapStackName } from './bootstrap-stack';
import { forgetWhatServiceHeld, type StackWithProviders } from './retirement';
import { SynthGuardrails } from '../modules/synth-guardrails/synth-guardrails';
import { TransitGatewayStack } from './transit-gateway-stack';
import { VpcPeeringStack } from './vpc-peering-stack';

export interface OrganizationStacks {
  readonly bootstrap: BootstrapStack;
  /** Per invited account, the stack that makes its deploy role, by account name. */
  readonly invitedBootstraps: ReadonlyMap<string, InvitedAccountBootstrapStack>;
  readonly accounts: ReadonlyMap<string, AccountStack>;
  /** Every VPC peering connection; there is none without two VPCs, nor with the transit gateway unless kept to migrate. */
  readonly vpcPeering?: VpcPeeringStack;
  /** The transit gateway hub (network.topology: transit-gateway). */
  readonly transitGateway?: TransitGatewayStack;
  /** Stacks that only forget what they held with every account in service: retired accounts', a mesh left without peers. */
  readonly emptied: readonly StackWithProviders[];
}

export function buildOrganization(app: App, org: Organization): OrganizationStacks {
  const bootstrap = new BootstrapStack(app, org);
  // Not a dependency of anything: it runs with another account's credentials, once, outside `deploy '*'`.
  const invitedBootstraps = new Map(
    org.accounts.filter((account) => account.invited).map((account) => [account.name, new InvitedAccountBootstrapStack(app, org, account)]),
  );
  const accounts = new Map(org.accounts.map((account) => [account.name, new AccountStack(app, { org, account })]));
  const management = accounts.get(org.management.name)!;
  management.addDependency(bootstrap);
  // Member accounts are created and placed by the management stack before anything is built in them; the
  // log archive, which exists already (it has an id), comes first: its bucket must admit the organization
  // trail before the management stack creates it.
  const logArchive = accounts.get(org.logArchive.name)!;
  if (logArchive !== management) {
    logArchive.addDependency(bootstrap);
    management.addDependency(logArchive);
  }
  for (const stack of accounts.values()) if (stack !== management && stack !== logArchive) stack.addDependency(management);
  // It refers to every VPC's ids, which makes it deploy after every stack with a VPC.
  const vpcs = new Map([...accounts].flatMap(([name, stack]) => (stack.peerableVpc ? [[name, stack.peerableVpc] as const] : [])));
  const { transitGateway: gateway } = org.network;
  const peering = !gateway || org.network.connections.length > 0;
  const vpcPeering = peering && vpcs.size >= 2 ? new VpcPeeringStack(app, org, vpcs) : undefined;
  const transitGateway = gateway ? new TransitGatewayStack(app, org, gateway, vpcs) : undefined;
  const byName = stacksByName({ bootstrap, invitedBootstraps, accounts, vpcPeering, transitGateway, emptied: [] });
  const emptied = forgetWhatServiceHeld(app, org, byName, stacksInService(org, app.outdir) ?? new Map());
  for (const stack of emptied) stack.addDependency(management);
  // cdktf applies aspects from each stack down, not from the app. A retired account is still a member.
  const guardrails = new SynthGuardrails({
    organizationAccountIds: [...org.accounts, ...org.retiredAccounts].map((account) => account.id),
    iamQuotas: org.iamQuotas,
  });
  for (const stack of [bootstrap, ...invitedBootstraps.values(), ...byName.values(), ...emptied]) Aspects.of(stack).add(guardrails);
  return { bootstrap, invitedBootstraps, accounts, vpcPeering, transitGateway, emptied };
}

/** The stacks that connect the VPCs: the mesh, the hub, or both while migrating. */
function networkStacks(stacks: OrganizationStacks): StackWithProviders[] {
  return [stacks.vpcPeering, stacks.transitGateway].filter((stack) => stack !== undefined);
}

/** The stacks that build something in an account, by name (bootstrap's resources are never forgotten). */
function stacksByName(stacks: OrganizationStacks): Map<string, StackWithProviders> {
  return new Map<string, StackWithProviders>([
    ...stacks.accounts,
    ...networkStacks(stacks).map((stack) => [stack.node.id, stack] as const),
    ...stacks.emptied.map((stack) => [stack.node.id, stack] as const),
  ]);
}

/** The names of the stacks a synth writes, in deploy order within each kind. */
export function stackNames(stacks: OrganizationStacks): string[] {
  return [
    stacks.bootstrap.node.id,
    ...[...stacks.invitedBootstraps.values()].map((stack) => stack.node.id),
    ...stacks.accounts.keys(),
    ...stacks.emptied.map((stack) => stack.node.id),
    ...networkStacks(stacks).map((stack) => stack.node.id),
  ];
}

/**
 * The stacks, by name, as they were with every account in service, built aside (never synthesized): what
 * retirement forgets, and what stays in AWS once forgotten; undefined when no account is retired.
 */
export function stacksInService(org: Organization, outdir?: string): ReadonlyMap<string, StackWithProviders> | undefined {
  const inService = org.retiredAccounts[0]?.inService;
  return inService && stacksByName(buildOrganization(new App({ outdir, skipValidation: true }), inService));
}

/**
 * Builds every stack of the organization and synthesizes them into the app's outdir. cdktf records a
 * stack trace for every token and nested attribute it creates (Error.captureStackTrace), used only to
 * decorate an error about a token it cannot resolve; capturing and rendering them (through the source
 * maps of the provider bindings) is most of the synth time of a large organization. Nothing is captured
 * meanwhile; an error that escapes still has its stack, which V8 records for every `new Error`.
 */
export function synthesizeOrganization(app: App, org: Organization): OrganizationStacks {
  const { prepareStackTrace, captureStackTrace } = Error;
  Error.prepareStackTrace = () => '';
  Error.captureStackTrace = (target: object) => Object.assign(target, { stack: '' });
  try {
    const stacks = buildOrganization(app, org);
    app.synth();
    return stacks;
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.captureStackTrace = captureStackTrace;
  }
}

/** What a synth must tell the user about accounts that get no stack yet. */
/** What the synth tells the user about accounts it builds no stack for, or only one that forgets; undefined: nothing. */
export function accountsNotice(org: Organization): string | undefined {
  const lines: string[] = [];
  if (org.pendingAccounts.length > 0) {
    lines.push(
      `${org.pendingAccounts.length} account(s) have no id yet and get no stack: the ${org.management.name} stack creates them.`,
      ...org.pendingAccounts.map((account) => `  ${account.name}: once created, record its id in ${account.file} (id: "<12 digits>") and synth again`),
    );
  }
  if (org.retiredAccounts.length > 0) {
    lines.push(
      `${org.retiredAccounts.length} retired account(s): Terraform forgets what their stacks held, without destroying it (docs/retiring-an-account.md).`,
    );
    for (const account of org.retiredAccounts) {
      const groups = account.inService.crossAccountGrants.filter((grant) => grant.account.name === account.name).map((grant) => grant.group);
      const shares = [...account.inService.sharing.ecr, ...account.inService.sharing.amis].filter((artifact) => artifact.consumers.includes(account.name));
      const noLonger = [
        ...(groups.length > 0 ? [`groups ${groups.join(', ')} no longer switch into it (organization.yaml: access)`] : []),
        ...(shares.length > 0 ? [`it no longer consumes ${shares.map((artifact) => artifact.name).join(', ')}`] : []),
      ];
      lines.push(`  ${account.name} (${account.file})${noLonger.length > 0 ? `: ${noLonger.join('; ')}` : ''}`);
    }
  }
  const invited = org.accounts.filter((account) => account.invited);
  if (invited.length > 0) {
    lines.push(
      `${invited.length} invited account(s) need the deploy role ${org.deployRole}, which AWS Organizations makes only in the accounts it creates: ` +
        "once, with that account's own credentials, before it accepts the invitation (docs/migration.md#invited-accounts):",
      ...invited.map((account) => `  ${account.name} (${account.id}): npx cdktf deploy ${invitedAccountBootstrapStackName(account)}`),
    );
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}
