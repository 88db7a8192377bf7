// The organization's network as it will be built, computed from the description alone: each VPC's zones
// and subnets, the prefixes its network ACL and security group admit its peers by, and how many rules and
// routes that takes. The checks refuse a description whose network AWS would refuse; the model hands the
// same values to the stacks.
import { allocateBlocks, blockSize, type Cidr, coveringPrefixes, formatCidr, parseCidr } from './cidr';
import type {
  Account,
  AccountVpc,
  EgressVpc,
  GatewaySegment,
  Network,
  NetworkedAccount,
  NetworkZone,
  PeeringConnection,
  PendingAccount,
  PortRange,
  SecurityGroupRule,
  VpcRoute,
} from './model';
import type { AdoptedVpc } from './schema/adoption';
import type { OrganizationFile } from './schema/organization';
import type { AccountsSelector, ConnectivityRule, NetworkFile, VpcFile } from './schema/network';

const ZONE_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DEFAULT_ZONE_COUNT = 2;

/** Rules every private network ACL has inbound besides its peers: the VPC, TCP and UDP return traffic, the default deny. */
export const PRIVATE_ACL_FIXED_INBOUND_RULES = 4;
/** Routes every route table holds besides one per peer: local, the default route, the S3 gateway endpoint. */
export const FIXED_ROUTES_PER_TABLE = 3;
/** The default route's destination. */
export const ANYWHERE = '0.0.0.0/0';

/** Availability zone names: as listed, else the region followed by a, b, c... (names cannot be read offline). */
export function zoneNames(vpc: Pick<VpcFile, 'zones' | 'azs'>, region: string): string[] {
  if (vpc.zones) return vpc.zones;
  return [...ZONE_LETTERS.slice(0, vpc.azs ?? DEFAULT_ZONE_COUNT)].map((letter) => `${region}${letter}`);
}

/** Prefix lengths of the subnets: as described, else the VPC split into 2^k blocks (2^k > zones), private one block, public a quarter. */
export function subnetPrefixes(vpc: Pick<VpcFile, 'cidr' | 'subnets'>, zoneCount: number): { readonly private: number; readonly public: number } {
  const vpcPrefix = parseCidr(vpc.cidr)!.prefix;
  const privatePrefix = vpc.subnets.private ?? vpcPrefix + Math.ceil(Math.log2(zoneCount + 1));
  return { private: privatePrefix, public: vpc.subnets.public ?? privatePrefix + 2 };
}

/** A private and a public subnet per zone, carved from the VPC without overlap; undefined if they do not fit. */
export function layoutZones(vpc: Pick<VpcFile, 'cidr' | 'subnets'>, names: readonly string[]): NetworkZone[] | undefined {
  const prefixes = subnetPrefixes(vpc, names.length);
  const blocks = allocateBlocks(parseCidr(vpc.cidr)!, [...names.map(() => prefixes.private), ...names.map(() => prefixes.public)]);
  return blocks && names.map((name, index) => ({ name, privateSubnet: formatCidr(blocks[index]), publicSubnet: formatCidr(blocks[names.length + index]) }));
}

/**
 * The prefixes a VPC's network ACL admits its peers by: any address of its own VPC and its peers' (its own
 * is admitted anyway), which lets the peers summarize into fewer prefixes. Routes through a transit
 * gateway go to them too; the security group admits exactly the peers (exactPrefixes).
 */
function aclPrefixes(own: Cidr, peers: readonly Cidr[]): string[] {
  return coveringPrefixes(peers, [own, ...peers]).map(formatCidr);
}

/** The two halves of a prefix. */
function halves(prefix: string): string[] {
  const { base, prefix: length } = parseCidr(prefix)!;
  return [base, base + blockSize(length + 1)].map((half) => formatCidr({ base: half, prefix: length + 1 }));
}

/** The fewest prefixes covering exactly these blocks. */
function exactPrefixes(blocks: readonly Cidr[]): string[] {
  return coveringPrefixes(blocks, blocks).map(formatCidr);
}

/** An adopted VPC's zones: the subnets it has (checks/adoption.ts makes sure there is one of each tier per zone). */
function adoptedZones(vpc: VpcFile, adopted: AdoptedVpc | undefined, region: string): NetworkZone[] | undefined {
  return (
    adopted && zoneNames(vpc, region).map((name) => ({ name, privateSubnet: adopted.zones[name].private.cidr, publicSubnet: adopted.zones[name].public.cidr }))
  );
}

function parsePortRange(port: number | string): PortRange {
  if (typeof port === 'number') return { from: port, to: port };
  const [from, to] = port.split('-').map(Number);
  return { from, to };
}

/** A VPC as the network plan needs it: its account's name, environment, OU and file's VPC. */
export interface DescribedVpc {
  readonly name: string;
  readonly environment: string;
  readonly ou?: string;
  readonly vpc: VpcFile;
  /** False for an account not created yet: its addresses are reserved and admitted, it has no connection nor route yet. */
  readonly inService: boolean;
}

/** The network between the VPCs, from the description: what the model holds and the checks count. */
export interface NetworkPlan {
  readonly connections: readonly PeeringConnection[];
  readonly vpcs: ReadonlyMap<
    string,
    Omit<AccountVpc, 'cidr' | 'zones' | 'egress' | 'natInstanceType' | 'flowLogs' | 'peerPorts' | 'adopted' | 'externalPeers'>
  >;
  readonly segments: readonly GatewaySegment[];
  readonly egress?: EgressVpc;
}

/** A VPC's route tables: the public one, then one per zone's private subnets (modules/network/vpc.ts names them so). */
export function routeTableKeys(zones: readonly string[]): string[] {
  return ['public', ...zones.map((zone) => `private-${zone}`)];
}

const selects = (selector: AccountsSelector, account: DescribedVpc): boolean =>
  'account' in selector
    ? account.name === selector.account
    : 'environment' in selector
      ? account.environment === selector.environment
      : account.ou !== undefined && (account.ou === selector.ou || account.ou.startsWith(`${selector.ou}/`));

/** The rules that connect a and b (two different accounts); with no rules, every pair is connected. */
export function rulesBetween(rules: readonly ConnectivityRule[] | undefined, a: DescribedVpc, b: DescribedVpc): readonly ConnectivityRule[] {
  if (!rules) return [{ between: [] }];
  return rules.filter(({ between: [first, second = first] }) => (selects(first, a) && selects(second, b)) || (selects(first, b) && selects(second, a)));
}

/** The TCP ports a VPC admits from a peer: its own peerPorts unless every rule connecting them lists ports, then theirs; in order, once each. */
function portsFrom(own: DescribedVpc, rules: readonly ConnectivityRule[]): PortRange[] {
  const ports = [...(rules.some((rule) => !rule.ports) ? own.vpc.peerPorts : []), ...rules.flatMap((rule) => rule.ports ?? [])].map(parsePortRange);
  return ports.filter((port, index) => ports.findIndex((other) => other.from === port.from && other.to === port.to) === index);
}

/**
 * The network between the described VPCs (in deploy order, those of accounts not created yet included):
 * which pairs the connectivity rules connect, how each VPC admits its peers, and how it reaches them. In a
 * mesh, a peering connection per connected pair in service, requested by the earlier VPC, and in every
 * route table of each VPC a route to each peer through their connection. Through a transit gateway, a
 * gateway route table per segment (VPCs that reach the same VPCs), and in every route table of each VPC a
 * route through the gateway to each of its ACL's prefixes (the peers, summarized).
 */
export function planNetwork(described: readonly DescribedVpc[], network: NetworkFile, region: string): NetworkPlan {
  const inService = described.filter((account) => account.inService);
  const gateway = network.topology === 'transit-gateway';
  const centralized = gateway && network.egress === 'centralized';
  const connected = new Map(
    described.map((account) => [
      account.name,
      new Map(
        described.flatMap((peer) => {
          const rules = peer === account ? [] : rulesBetween(network.connectivity, account, peer);
          return rules.length > 0 ? [[peer.name, rules] as const] : [];
        }),
      ),
    ]),
  );
  const isPeer = (a: string, b: string) => connected.get(a)!.has(b);
  const peering = !gateway || network.keepPeering;
  const connections = peering
    ? inService.flatMap((requester, index) =>
        inService
          .slice(index + 1)
          .filter((accepter) => isPeer(requester.name, accepter.name))
          .map((accepter) => ({ requester: requester.name, accepter: accepter.name })),
      )
    : [];
  const between = new Map(described.map((account) => [account.name, new Map<string, PeeringConnection>()]));
  for (const connection of connections) {
    between.get(connection.requester)!.set(connection.accepter, connection);
    between.get(connection.accepter)!.set(connection.requester, connection);
  }
  // Each CIDR parsed once: a VPC's peers are most of the organization, n times over.
  const block = new Map(described.map((account) => [account.name, parseCidr(account.vpc.cidr)!]));

  const vpcs = new Map(
    inService.map((account) => {
      const peers = described.filter((peer) => isPeer(account.name, peer.name));
      const acl = aclPrefixes(
        block.get(account.name)!,
        peers.map((peer) => block.get(peer.name)!),
      );
      const routeTables = routeTableKeys(zoneNames(account.vpc, region));
      const connectionTo = between.get(account.name)!;
      const peeringRoutes = peers.flatMap((peer) => {
        const connection = connectionTo.get(peer.name);
        return connection ? routeTables.map((table): VpcRoute => ({ table, destination: peer.vpc.cidr, peer: peer.name, connection })) : [];
      });
      // While the mesh is kept (migration), a table holds one route per destination: the gateway takes a
      // destination the mesh routes by its two halves, more specific, so that traffic moves to the gateway
      // and the peering connections can go without a gap.
      const peered = new Set(peeringRoutes.map((route) => route.destination));
      const gatewayDestinations = gateway
        ? [...acl.flatMap((prefix) => (peered.has(prefix) ? halves(prefix) : [prefix])), ...(centralized ? [ANYWHERE] : [])]
        : [];
      const gatewayRoutes = routeTables.flatMap((table) =>
        gatewayDestinations
          .filter((destination) => destination !== ANYWHERE || table !== 'public')
          .map((destination): VpcRoute => ({ table, destination, transitGateway: true })),
      );
      // Each port range once, open to the peers it admits from.
      const rules: { ports: PortRange; peers: Cidr[] }[] = [];
      for (const peer of peers) {
        for (const ports of portsFrom(account, connected.get(account.name)!.get(peer.name)!)) {
          const rule = rules.find((candidate) => candidate.ports.from === ports.from && candidate.ports.to === ports.to);
          if (rule) rule.peers.push(block.get(peer.name)!);
          else rules.push({ ports, peers: [block.get(peer.name)!] });
        }
      }
      return [
        account.name,
        {
          routeTables,
          peers: peers.map((peer) => peer.name),
          peerAclPrefixes: acl,
          peerSecurityGroupRules: rules.map((rule): SecurityGroupRule => ({ ports: rule.ports, prefixes: exactPrefixes(rule.peers) })),
          routes: [...peeringRoutes, ...gatewayRoutes],
        },
      ] as const;
    }),
  );

  const segments: GatewaySegment[] = [];
  if (gateway) {
    for (const account of inService) {
      const reach = [account.name, ...inService.filter((peer) => isPeer(account.name, peer.name)).map((peer) => peer.name)];
      const key = (names: readonly string[]) => [...names].sort().join(' ');
      const segment = segments.find((candidate) => key(candidate.propagations) === key(reach));
      if (segment) (segment.members as string[]).push(account.name);
      else {
        segments.push({
          name: '',
          members: [account.name],
          propagations: inService.filter((peer) => reach.includes(peer.name)).map((peer) => peer.name),
          blackholes: centralized ? inService.filter((peer) => !reach.includes(peer.name)).map((peer) => peer.vpc.cidr) : [],
        });
      }
    }
  }
  const environmentOf = new Map(described.map((account) => [account.name, account.environment]));
  const environments = segments.map((segment) => new Set(segment.members.map((name) => environmentOf.get(name)!)));
  const named = segments.map((segment, index) => {
    const [environment] = environments[index];
    const own = environments[index].size === 1 && environments.filter((others) => others.has(environment)).length === 1;
    return { ...segment, name: own ? environment : segment.members[0] };
  });
  const egress =
    centralized && network.egressVpc
      ? {
          cidr: network.egressVpc.cidr,
          zones: layoutZones({ cidr: network.egressVpc.cidr, subnets: {} }, zoneNames({ azs: network.egressVpc.azs }, region))!,
          memberPrefixes: exactPrefixes(inService.map((account) => block.get(account.name)!)),
        }
      : undefined;
  return { connections, vpcs, segments: named, egress };
}

/** The description's VPCs for planNetwork, in deploy order: the accounts with an id first, then those not created yet. */
export function describedVpcs(
  withIds: readonly { readonly name: string; readonly environment: string; readonly ou?: string; readonly vpc?: VpcFile }[],
  pending: readonly { readonly name: string; readonly environment: string; readonly ou?: string; readonly vpc?: VpcFile }[],
): DescribedVpc[] {
  const described = (accounts: typeof withIds, inService: boolean) =>
    accounts.flatMap(({ name, environment, ou, vpc }) => (vpc ? [{ name, environment, ou, vpc, inService }] : []));
  return [...described(withIds, true), ...described(pending, false)];
}

/**
 * The network of the accounts that have a stack, in deploy order: those accounts with their VPCs resolved.
 * Peers are admitted by every VPC the description lists, those of accounts not created yet included: their
 * addresses are reserved for them, and the rules do not change when they arrive.
 */
export function resolveNetwork(
  file: OrganizationFile,
  pending: readonly (Omit<PendingAccount, 'vpc'> & { readonly vpc?: VpcFile })[],
  accounts: readonly (Omit<Account, 'vpc'> & { readonly vpc?: VpcFile })[],
): { readonly accounts: Account[]; readonly network: Network } {
  const plan = planNetwork(describedVpcs(accounts, pending), file.network, file.homeRegion);
  const centralized = file.network.topology === 'transit-gateway' && file.network.egress === 'centralized';
  const resolved = accounts.map(({ vpc, ...account }): Account => {
    if (!vpc) return account;
    const resolvedVpc: AccountVpc = {
      zones: adoptedZones(vpc, account.adopt?.vpc, file.homeRegion) ?? layoutZones(vpc, zoneNames(vpc, file.homeRegion))!,
      egress: centralized ? 'centralized' : vpc.egress,
      natInstanceType: vpc.natInstanceType,
      flowLogs: vpc.flowLogs,
      peerPorts: vpc.peerPorts.map(parsePortRange),
      ...plan.vpcs.get(account.name)!,
      cidr: vpc.cidr,
      adopted: account.adopt?.vpc,
      externalPeers: vpc.peers,
    };
    return { ...account, vpc: resolvedVpc };
  });
  const vpcs = resolved.filter((account): account is NetworkedAccount => account.vpc !== undefined);
  const gatewayAccount = resolved.find((account) => account.name === file.network.account);
  return {
    accounts: resolved,
    network: {
      quotas: file.networkQuotas,
      topology: file.network.topology,
      ...(file.network.connectivity ? { connectivity: file.network.connectivity } : {}),
      vpcs,
      connections: plan.connections,
      ...(file.network.topology === 'transit-gateway'
        ? { transitGateway: { account: gatewayAccount!, segments: plan.segments, ...(plan.egress ? { egress: plan.egress } : {}) } }
        : {}),
    },
  };
}
