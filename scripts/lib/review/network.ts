// 4. Network: each VPC with its CIDR, subnets, egress and the VPCs it may reach; a Mermaid diagram of the
// accounts, by OU, with the peering connections (or the transit gateway hub and its attachments) and the
// way out to the internet; the connections with the stacks that request and accept them, read from the
// synthesized peering resources; the hub's segments.
import type { AccountVpc, PendingAccount, PortRange } from '../../../description/model';
import { accountName, type ReviewInputs, synthesizedProviders } from './inputs';
import { blocks, code, plural, table } from './markdown';

export interface VpcRow {
  readonly account: string;
  readonly cidr: string;
  readonly zones: readonly { readonly name: string; readonly privateSubnet: string; readonly publicSubnet: string }[];
  /** The egress mode, with the NAT instance's type. */
  readonly egress: string;
  readonly flowLogs: string;
  /** TCP ports the baseline security group admits from the peers. */
  readonly peerPorts: string;
  /** The VPCs it may reach (the connectivity rules). */
  readonly reaches: string;
}

export interface SegmentRow {
  readonly name: string;
  readonly members: readonly string[];
  /** The VPCs its members reach besides each other. */
  readonly reaches: readonly string[];
}

/** The transit gateway hub: where it is, its segments, whether egress goes through it. */
export interface HubData {
  readonly account: string;
  readonly segments: readonly SegmentRow[];
  /** The egress VPC's CIDR, with centralized egress. */
  readonly egressVpc?: string;
}

export interface ConnectionRow {
  readonly requester: string;
  readonly accepter: string;
  /** The stacks holding the request and the acceptance. */
  readonly requestedIn: string;
  readonly acceptedIn?: string;
}

export interface NetworkData {
  readonly region: string;
  /** Every described account, for the diagram: its OU, id and VPC CIDR. */
  readonly accounts: readonly { readonly name: string; readonly id?: string; readonly ou?: string; readonly cidr?: string; readonly egress?: string }[];
  readonly vpcs: readonly VpcRow[];
  readonly connections: readonly ConnectionRow[];
  /** Whether connectivity rules restrict who reaches whom (else all-to-all). */
  readonly ruled: boolean;
  readonly hub?: HubData;
}

const EGRESS: Record<AccountVpc['egress'], string> = {
  none: 'none',
  'nat-instance': 'NAT instance',
  'nat-gateway': 'NAT gateway',
  'nat-gateway-per-zone': 'NAT gateway per zone',
  centralized: 'the egress VPC, through the transit gateway',
};

function egressOf(vpc: AccountVpc): string {
  return vpc.egress === 'nat-instance' ? `${EGRESS[vpc.egress]} ${vpc.natInstanceType}` : EGRESS[vpc.egress];
}

function ports(ranges: readonly PortRange[]): string {
  return ranges.map((range) => (range.from === range.to ? String(range.from) : `${range.from}-${range.to}`)).join(', ') || 'none';
}

export function collectNetwork(inputs: ReviewInputs): NetworkData {
  const { org } = inputs;
  const nameOf = (accountId: string) => accountName(org, accountId);
  const requests: { requester: string; accepter: string; stack: string }[] = [];
  const acceptances: { requester: string; accepter: string; stack: string }[] = [];
  for (const { name: stack, json } of inputs.stacks) {
    const providers = synthesizedProviders(json);
    const accountOf = (provider: unknown) => nameOf(providers.get(String(provider ?? 'aws'))?.accountId ?? '');
    // The mesh keys each side's resources by the other side's name, with its account id as value.
    const otherSides = (config: Record<string, unknown>, single: string) => {
      if (config.for_each && typeof config.for_each === 'object') return Object.values(config.for_each).map(String);
      return config[single] === undefined ? [] : [String(config[single])];
    };
    for (const config of Object.values(json.resource?.aws_vpc_peering_connection ?? {})) {
      for (const accepter of otherSides(config, 'peer_owner_id')) requests.push({ requester: accountOf(config.provider), accepter: nameOf(accepter), stack });
    }
    for (const config of Object.values(json.resource?.aws_vpc_peering_connection_accepter ?? {})) {
      for (const requester of otherSides(config, 'peer_owner_id'))
        acceptances.push({ requester: nameOf(requester), accepter: accountOf(config.provider), stack });
    }
  }
  const described: readonly (PendingAccount & { id?: string })[] = [...org.accounts, ...org.pendingAccounts];
  return {
    region: org.homeRegion,
    accounts: described.map((account) => ({
      name: account.name,
      id: account.id,
      ou: account.ou,
      cidr: account.vpc?.cidr,
      egress: account.vpc && EGRESS[account.vpc.egress],
    })),
    vpcs: org.network.vpcs.map(({ name, vpc }) => ({
      account: name,
      cidr: vpc.cidr,
      zones: vpc.zones,
      egress: egressOf(vpc),
      flowLogs: vpc.flowLogs.enabled ? `to S3, kept ${vpc.flowLogs.retentionDays} days` : 'off',
      peerPorts: ports(vpc.peerSecurityGroupRules.map((rule) => rule.ports)),
      // Without rules, every VPC: listing them would change every row when an account is added.
      reaches: org.network.connectivity ? vpc.peers.join(', ') || 'none' : 'every other VPC',
    })),
    ruled: org.network.connectivity !== undefined,
    ...(org.network.transitGateway
      ? {
          hub: {
            account: org.network.transitGateway.account.name,
            segments: org.network.transitGateway.segments.map((segment) => ({
              name: segment.name,
              members: segment.members,
              reaches: segment.propagations.filter((name) => !segment.members.includes(name)),
            })),
            ...(org.network.transitGateway.egress ? { egressVpc: org.network.transitGateway.egress.cidr } : {}),
          },
        }
      : {}),
    connections: requests.map((request) => ({
      requester: request.requester,
      accepter: request.accepter,
      requestedIn: request.stack,
      acceptedIn: acceptances.find((acceptance) => acceptance.requester === request.requester && acceptance.accepter === request.accepter)?.stack,
    })),
  };
}

/** A Mermaid identifier for a name: letters, digits and underscores (names never hold underscores). */
function nodeId(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function segmentOf(hub: HubData, account: string): string {
  return `segment ${hub.segments.find((segment) => segment.members.includes(account))?.name}`;
}

/**
 * Past this many edges a diagram of every account is unreadable (and Mermaid refuses more than 500): the
 * OUs are drawn instead, with one edge per pair of OUs whose VPCs are peered.
 */
export const MAX_DETAILED_DIAGRAM_EDGES = 100;

/** Whether the diagram draws OUs: a line per connection, per attachment to the hub and per VPC's way out would be too many. */
function drawsOus(data: NetworkData): boolean {
  const attachments = data.hub ? data.vpcs.length : 0;
  return (
    data.connections.length + attachments + data.accounts.filter((account) => account.egress && account.egress !== 'none').length > MAX_DETAILED_DIAGRAM_EDGES
  );
}

/** The OU an account is drawn in: '' outside any. */
const ouOf = (account: NetworkData['accounts'][number]) => account.ou ?? '';

/**
 * The accounts by OU, the peering connections (or the hub) between their VPCs, and which VPCs reach the
 * internet and how; for a large organization, the OUs with their VPC counts and the connections between them.
 */
export function networkDiagram(data: NetworkData): string {
  const lines = drawsOus(data) ? ouDiagram(data) : accountDiagram(data);
  return ['```mermaid', 'flowchart LR', '  internet(("internet"))', ...lines, '```'].join('\n');
}

function accountDiagram(data: NetworkData): string[] {
  const node = (account: NetworkData['accounts'][number]) =>
    `${nodeId('account', account.name)}["${account.name}${account.id ? ` ${account.id}` : ' (to be created)'}<br/>${account.cidr ?? 'no VPC'}"]`;
  const ous = [...new Set(data.accounts.map((account) => account.ou).filter((ou): ou is string => ou !== undefined))].sort();
  return [
    ...data.accounts.filter((account) => !account.ou).map((account) => `  ${node(account)}`),
    ...ous.flatMap((ou) => [
      `  subgraph ${nodeId('ou', ou)}["OU ${ou}"]`,
      ...data.accounts.filter((account) => account.ou === ou).map((account) => `    ${node(account)}`),
      '  end',
    ]),
    ...data.connections.map((connection) => `  ${nodeId('account', connection.requester)} --- ${nodeId('account', connection.accepter)}`),
    ...(data.hub
      ? [
          `  hub{{"transit gateway<br/>in ${data.hub.account}"}}`,
          ...data.vpcs.map((vpc) => `  ${nodeId('account', vpc.account)} ---|${segmentOf(data.hub!, vpc.account)}| hub`),
          ...(data.hub.egressVpc ? [`  hub -.->|egress VPC ${data.hub.egressVpc}, NAT per zone| internet`] : []),
        ]
      : []),
    ...data.accounts
      .filter((account) => account.egress && account.egress !== 'none' && account.egress !== EGRESS.centralized)
      .map((account) => `  ${nodeId('account', account.name)} -.->|${account.egress}| internet`),
  ];
}

function ouDiagram(data: NetworkData): string[] {
  const groups = [...new Set(data.accounts.map(ouOf))].sort();
  const accountsIn = (group: string) => data.accounts.filter((account) => ouOf(account) === group);
  const groupOf = new Map(data.accounts.map((account) => [account.name, ouOf(account)]));
  const id = (group: string) => nodeId('ou', group || 'root');
  const pairs = new Map<string, number>();
  for (const connection of data.connections) {
    const pair = [groupOf.get(connection.requester) ?? '', groupOf.get(connection.accepter) ?? ''].sort();
    pairs.set(JSON.stringify(pair), (pairs.get(JSON.stringify(pair)) ?? 0) + 1);
  }
  return [
    ...groups.map((group) => {
      const accounts = accountsIn(group);
      const vpcs = accounts.filter((account) => account.cidr).length;
      return `  ${id(group)}["${group ? `OU ${group}` : 'outside any OU'}<br/>${plural(accounts.length, 'account')}, ${plural(vpcs, 'VPC')}"]`;
    }),
    ...[...pairs].map(([pair, count]) => {
      const [a, b] = JSON.parse(pair) as [string, string];
      return `  ${id(a)} ---|${plural(count, 'peering')}| ${id(b)}`;
    }),
    ...(data.hub
      ? [
          `  hub{{"transit gateway<br/>in ${data.hub.account}"}}`,
          ...groups.flatMap((group) => {
            const attached = data.vpcs.filter((vpc) => groupOf.get(vpc.account) === group).length;
            return attached ? [`  ${id(group)} ---|${plural(attached, 'attachment')}| hub`] : [];
          }),
        ]
      : []),
    ...groups.flatMap((group) => {
      const egressing = accountsIn(group).filter((account) => account.egress && account.egress !== 'none');
      return egressing.length ? [`  ${id(group)} -.->|${plural(egressing.length, 'VPC')}| internet`] : [];
    }),
  ];
}

export function renderNetwork(data: NetworkData): string {
  const vpcs = table(
    ['account', 'VPC', 'zones', 'private subnets', 'public subnets', 'egress', 'flow logs', 'peers may reach (TCP)', 'reaches'],
    data.vpcs.map((vpc) => [
      vpc.account,
      code(vpc.cidr),
      vpc.zones.map((zone) => zone.name).join(', '),
      vpc.zones.map((zone) => zone.privateSubnet).join(', '),
      vpc.zones.map((zone) => zone.publicSubnet).join(', '),
      vpc.egress,
      vpc.flowLogs,
      vpc.peerPorts,
      vpc.reaches,
    ]),
  );
  const segments =
    data.hub &&
    table(
      ['segment (gateway route table)', 'attachments associated', 'VPCs they reach (propagated)'],
      data.hub.segments.map((segment) => [
        segment.name,
        segment.members.join(', '),
        [...(segment.members.length > 1 ? ['each other'] : []), ...segment.reaches].join(', ') || 'none',
      ]),
    );
  const rules = 'the VPCs the connectivity rules (organization.yaml network.connectivity) connect';
  const intro = data.hub
    ? `One VPC per account that describes one, in ${data.region}; each is attached to the transit gateway of ${data.hub.account}, and ${data.ruled ? rules : 'all of them'} reach each other through it: ` +
      'a gateway route table per segment (VPCs that reach the same VPCs), and in each VPC a route through the gateway per prefix summarizing the VPCs it reaches.' +
      (data.hub.egressVpc ? ` Private subnets reach the internet through the egress VPC ${data.hub.egressVpc} behind the gateway.` : '')
    : `One VPC per account that describes one, in ${data.region}; ${data.ruled ? `${rules} are peered` : 'every two VPCs are peered (a full mesh)'}, and each peer's route tables route to the other through the connection.`;
  const connections = table(
    ['requested by', 'accepted by', 'requested in stack', 'accepted in stack'],
    data.connections.map((connection) => [
      connection.requester,
      connection.accepter,
      code(connection.requestedIn),
      connection.acceptedIn ? code(connection.acceptedIn) : '*not accepted*',
    ]),
  );
  return blocks(
    '## 4. Network',
    intro,
    vpcs || 'No account has a VPC.',
    drawsOus(data) &&
      `With ${plural(data.connections.length, 'peering connection')}, the diagram draws the OUs, each with its accounts and VPCs, and one line per pair of OUs whose VPCs are peered (within an OU: a loop); the table below lists every connection.`,
    networkDiagram(data),
    segments && `${data.hub!.segments.length} segments:`,
    segments,
    connections
      ? `${data.connections.length} peering connections${data.hub ? ' (kept while migrating to the gateway)' : ''}:`
      : data.hub
        ? ''
        : 'No peering connection (fewer than two VPCs, or none connected).',
    connections,
  );
}

export function networkRecords(data: NetworkData): Record<string, string> {
  return Object.fromEntries([
    ...data.vpcs.map((vpc) => [
      `VPC of ${vpc.account}`,
      `${vpc.cidr}; zones ${vpc.zones.map((zone) => `${zone.name} ${zone.privateSubnet} ${zone.publicSubnet}`).join(', ')}; egress ${vpc.egress}; flow logs ${vpc.flowLogs}; peers reach ${vpc.peerPorts}; reaches ${vpc.reaches}`,
    ]),
    ...(data.hub?.segments ?? []).map((segment) => [`segment ${segment.name}`, `${segment.members.join(', ')} reach ${segment.reaches.join(', ')}`]),
    ...data.connections.map((connection) => [
      `peering ${connection.requester} - ${connection.accepter}`,
      `requested in ${connection.requestedIn}, accepted in ${connection.acceptedIn ?? 'no stack'}`,
    ]),
  ]);
}
