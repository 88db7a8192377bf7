// The organization's network as it will be built, computed from the description alone: each VPC's zones
// and subnets, the prefixes its network ACL and security group admit its peers by, and how many rules and
// routes that takes. The checks refuse a description whose network AWS would refuse; the model hands the
// same values to the stacks.
import { allocateBlocks, coveringPrefixes, formatCidr, parseCidr, type Cidr } from './cidr';
import type { Account, AccountVpc, Network, NetworkZone, PortRange } from './model';
import type { OrganizationFile } from './schema/organization';
import type { AdoptedVpc } from './schema/adoption';
import type { VpcFile } from './schema/network';

const ZONE_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DEFAULT_ZONE_COUNT = 2;

/** Rules every private network ACL has inbound besides its peers: the VPC, TCP and UDP return traffic, the default deny. */
export const PRIVATE_ACL_FIXED_INBOUND_RULES = 4;
/** Routes every route table holds besides one per peer: local, the default route, the S3 gateway endpoint. */
export const FIXED_ROUTES_PER_TABLE = 3;

/** Availability zone names: as listed, else the region followed by a, b, c... (names cannot be read offline). */
export function zoneNames(vpc: VpcFile, region: string): string[] {
  if (vpc.zones) return vpc.zones;
  return [...ZONE_LETTERS.slice(0, vpc.azs ?? DEFAULT_ZONE_COUNT)].map((letter) => `${region}${letter}`);
}

/** Prefix lengths of the subnets: as described, else the VPC split into 2^k blocks (2^k > zones), private one block, public a quarter. */
export function subnetPrefixes(vpc: VpcFile, zoneCount: number): { readonly private: number; readonly public: number } {
  const vpcPrefix = parseCidr(vpc.cidr)!.prefix;
  const privatePrefix = vpc.subnets.private ?? vpcPrefix + Math.ceil(Math.log2(zoneCount + 1));
  return { private: privatePrefix, public: vpc.subnets.public ?? privatePrefix + 2 };
}

/** A private and a public subnet per zone, carved from the VPC without overlap; undefined if they do not fit. */
export function layoutZones(vpc: VpcFile, names: readonly string[]): NetworkZone[] | undefined {
  const prefixes = subnetPrefixes(vpc, names.length);
  const blocks = allocateBlocks(parseCidr(vpc.cidr)!, [...names.map(() => prefixes.private), ...names.map(() => prefixes.public)]);
  return blocks && names.map((name, index) => ({ name, privateSubnet: formatCidr(blocks[index]), publicSubnet: formatCidr(blocks[names.length + index]) }));
}

/**
 * How a VPC admits its peers. The network ACL may admit any address of the organization's VPCs (its own
 * VPC is admitted anyway), which lets the peers summarize into fewer prefixes; the security group admits
 * exactly the peers.
 */
export function peerPrefixes(own: string, organization: readonly string[]): { readonly acl: string[]; readonly securityGroup: string[] } {
  const all = organization.map((cidr) => parseCidr(cidr)!);
  const peers = organization.filter((cidr) => cidr !== own).map((cidr) => parseCidr(cidr)!);
  const render = (cidrs: Cidr[]) => cidrs.map(formatCidr);
  return { acl: render(coveringPrefixes(peers, all)), securityGroup: render(coveringPrefixes(peers, peers)) };
}

/** An adopted VPC's zones: the subnets it has (checks/adoption.ts makes sure there is one of each tier per zone). */
function adoptedZones(vpc: VpcFile, adopted: AdoptedVpc | undefined, region: string): NetworkZone[] | undefined {
  return adopted && zoneNames(vpc, region).map((name) => ({ name, privateSubnet: adopted.zones[name].private.cidr, publicSubnet: adopted.zones[name].public.cidr }));
}

function parsePortRange(port: number | string): PortRange {
  if (typeof port === 'number') return { from: port, to: port };
  const [from, to] = port.split('-').map(Number);
  return { from, to };
}

/**
 * The network of the accounts that have a stack, in deploy order. Peers are admitted by every VPC the
 * description lists, those of accounts not created yet included: their addresses are reserved for them,
 * and the rules do not change when they arrive.
 */
export function resolveNetwork(file: OrganizationFile, described: readonly { readonly vpc?: VpcFile }[], accounts: readonly Account[]): Network {
  const organization = described.flatMap((account) => (account.vpc ? [account.vpc.cidr] : []));
  const vpcs = accounts.flatMap((account): AccountVpc[] => {
    const vpc = account.vpc;
    if (!vpc) return [];
    const admitted = peerPrefixes(vpc.cidr, organization);
    return [
      {
        account,
        cidr: vpc.cidr,
        zones: adoptedZones(vpc, account.adopt?.vpc, file.homeRegion) ?? layoutZones(vpc, zoneNames(vpc, file.homeRegion))!,
        egress: vpc.egress,
        natInstanceType: vpc.natInstanceType,
        flowLogs: vpc.flowLogs,
        peerPorts: vpc.peerPorts.map(parsePortRange),
        peerAclPrefixes: admitted.acl,
        peerSecurityGroupPrefixes: admitted.securityGroup,
        adopted: account.adopt?.vpc,
        externalPeers: vpc.peers,
      },
    ];
  });
  return { quotas: file.networkQuotas, vpcs };
}
