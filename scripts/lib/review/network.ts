// 4. Network: each VPC with its CIDR, subnets and egress; a Mermaid diagram of the accounts, by OU, with
// the peering mesh and the way out to the internet; the connections with the stacks that request and
// accept them, read from the synthesized peering resources.
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
}

const EGRESS: Record<AccountVpc['egress'], string> = {
  none: 'none',
  'nat-instance': 'NAT instance',
  'nat-gateway': 'NAT gateway',
  'nat-gateway-per-zone': 'NAT gateway per zone',
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
      for (const requester of otherSides(config, 'peer_owner_id')) acceptances.push({ requester: nameOf(requester), accepter: accountOf(config.provider), stack });
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
    vpcs: org.network.vpcs.map((vpc) => ({
      account: vpc.account.name,
      cidr: vpc.cidr,
      zones: vpc.zones,
      egress: egressOf(vpc),
      flowLogs: vpc.flowLogs.enabled ? `to S3, kept ${vpc.flowLogs.retentionDays} days` : 'off',
      peerPorts: ports(vpc.peerPorts),
    })),
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

/**
 * Past this many edges a diagram of every account is unreadable (and Mermaid refuses more than 500): the
 * OUs are drawn instead, with one edge per pair of OUs whose VPCs are peered.
 */
export const MAX_DETAILED_DIAGRAM_EDGES = 100;

/** Whether the diagram draws OUs: a line per connection and per VPC's way out would be too many. */
function drawsOus(data: NetworkData): boolean {
  return data.connections.length + data.accounts.filter((account) => account.egress && account.egress !== 'none').length > MAX_DETAILED_DIAGRAM_EDGES;
}

/** The OU an account is drawn in: '' outside any. */
const ouOf = (account: NetworkData['accounts'][number]) => account.ou ?? '';

/**
 * The accounts by OU, the peering mesh between their VPCs, and which VPCs reach the internet and how; for
 * a large organization, the OUs with their VPC counts and the connections between them.
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
    ...data.accounts
      .filter((account) => account.egress && account.egress !== 'none')
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
    ...groups.flatMap((group) => {
      const egressing = accountsIn(group).filter((account) => account.egress && account.egress !== 'none');
      return egressing.length ? [`  ${id(group)} -.->|${plural(egressing.length, 'VPC')}| internet`] : [];
    }),
  ];
}

export function renderNetwork(data: NetworkData): string {
  const vpcs = table(
    ['account', 'VPC', 'zones', 'private subnets', 'public subnets', 'egress', 'flow logs', 'peers may reach (TCP)'],
    data.vpcs.map((vpc) => [
      vpc.account,
      code(vpc.cidr),
      vpc.zones.map((zone) => zone.name).join(', '),
      vpc.zones.map((zone) => zone.privateSubnet).join(', '),
      vpc.zones.map((zone) => zone.publicSubnet).join(', '),
      vpc.egress,
      vpc.flowLogs,
      vpc.peerPorts,
    ]),
  );
  const connections = table(
    ['requested by', 'accepted by', 'requested in stack', 'accepted in stack'],
    data.connections.map((connection) => [connection.requester, connection.accepter, code(connection.requestedIn), connection.acceptedIn ? code(connection.acceptedIn) : '*not accepted*']),
  );
  return blocks(
    '## 4. Network',
    `One VPC per account that describes one, in ${data.region}; every two VPCs are peered (a full mesh), and each peer's route tables route to the other through the connection.`,
    vpcs || 'No account has a VPC.',
    drawsOus(data) &&
      `With ${plural(data.connections.length, 'peering connection')}, the diagram draws the OUs, each with its accounts and VPCs, and one line per pair of OUs whose VPCs are peered (within an OU: a loop); the table below lists every connection.`,
    networkDiagram(data),
    connections ? `${data.connections.length} peering connections:` : 'No peering connection (fewer than two VPCs).',
    connections,
  );
}

export function networkRecords(data: NetworkData): Record<string, string> {
  return Object.fromEntries([
    ...data.vpcs.map((vpc) => [
      `VPC of ${vpc.account}`,
      `${vpc.cidr}; zones ${vpc.zones.map((zone) => `${zone.name} ${zone.privateSubnet} ${zone.publicSubnet}`).join(', ')}; egress ${vpc.egress}; flow logs ${vpc.flowLogs}; peers reach ${vpc.peerPorts}`,
    ]),
    ...data.connections.map((connection) => [
      `peering ${connection.requester} - ${connection.accepter}`,
      `requested in ${connection.requestedIn}, accepted in ${connection.acceptedIn ?? 'no stack'}`,
    ]),
  ]);
}
