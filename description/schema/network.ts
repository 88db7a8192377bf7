// The network side of the description: an account's VPC (its file), and in organization.yaml how the VPCs
// are connected (topology, connectivity rules, egress) and the AWS quotas the network is checked against.
import { z } from 'zod';
import { parseCidr } from '../cidr';
import { accountId, ipv4Cidr, slug } from './common';
import { vpcId } from './adoption';
import { accountName } from './identity';
import { ouPath } from './management';

const show = (value: unknown): string => JSON.stringify(value);

/** AWS accepts VPC and subnet prefixes from /16 to /28. */
const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;

const EGRESS_MODES = ['none', 'nat-instance', 'nat-gateway', 'nat-gateway-per-zone'] as const;
export type Egress = (typeof EGRESS_MODES)[number];

const subnetPrefix = (kind: string) =>
  z.number().int().min(MIN_PREFIX).max(MAX_PREFIX).optional().describe(`Prefix length of each ${kind} subnet, e.g. 24 for /24 (256 addresses).`);

const notAPortRange = (issue: { input?: unknown }) => `${show(issue.input)} is not a TCP port or range (e.g. 443 or "8000-8100")`;
export const portRange = z.union(
  [
    z.number({ error: notAPortRange }).int({ error: notAPortRange }).min(1, { error: notAPortRange }).max(65535, { error: notAPortRange }),
    z
      .string({ error: notAPortRange })
      .regex(/^\d{1,5}-\d{1,5}$/, { error: notAPortRange, abort: true })
      .refine(
        (text) => {
          const [from, to] = text.split('-').map(Number);
          return from >= 1 && from <= to && to <= 65535;
        },
        { error: notAPortRange },
      ),
  ],
  { error: notAPortRange },
);

/** A VPC the organization does not own, peered during a move: only our side is built (docs/migration.md#peers). */
const externalPeerSchema = z.strictObject({
  name: slug('peer name').describe('Names the peering connection and its routes.'),
  vpcId: vpcId.describe('The peer VPC.'),
  accountId: accountId.describe('The account that owns it (it accepts the connection itself).'),
  cidr: ipv4Cidr.describe('Its CIDR: every route table of this VPC routes it through the connection.'),
  retired: z.boolean().default(false).describe('Done with: Terraform forgets the connection and its routes (removed blocks), without destroying them.'),
});

export const vpcSchema = z.strictObject({
  cidr: ipv4Cidr
    .refine(
      (value) => {
        // A malformed CIDR is reported as such already.
        const prefix = parseCidr(value)?.prefix ?? MIN_PREFIX;
        return prefix >= MIN_PREFIX && prefix <= MAX_PREFIX;
      },
      { error: (issue) => `${show(issue.input)} is not a VPC size AWS accepts (/${MIN_PREFIX} to /${MAX_PREFIX})` },
    )
    .describe("The VPC CIDR; must not overlap any other account's VPC (they are all peered)."),
  azs: z.number().int().min(1).max(6).optional().describe('Number of availability zones (default: as many as `zones` lists, else 2).'),
  zones: z
    .array(
      z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d[a-z]$/, {
        error: (issue) => `${show(issue.input)} is not an availability zone name (e.g. us-east-1a)`,
      }),
    )
    .min(1)
    .max(6)
    .optional()
    .describe('Availability zone names (default: the home region followed by a, b, c...). Set them where those letters are not all available.'),
  subnets: z
    .strictObject({ public: subnetPrefix('public'), private: subnetPrefix('private') })
    .prefault({})
    .describe(
      'Subnet sizes. Default: the VPC is split into 2^k equal blocks, the smallest power of two above the number of zones; ' +
        'each private subnet is one block, each public subnet a quarter of one.',
    ),
  egress: z
    .enum(EGRESS_MODES)
    .default('nat-instance')
    .describe(
      'How private subnets reach the internet: none, nat-instance (one small instance, the cheapest), nat-gateway (one for the VPC) or nat-gateway-per-zone.',
    ),
  natInstanceType: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: (issue) => `${show(issue.input)} is not an EC2 instance type (e.g. t4g.nano)` })
    .default('t4g.nano')
    .describe('Instance type of the NAT instance (egress: nat-instance).'),
  flowLogs: z
    .strictObject({
      enabled: z.boolean().default(true),
      retentionDays: z.number().int().min(1).max(3650).default(90).describe('Days flow log objects are kept.'),
    })
    .prefault({})
    .describe('VPC flow logs (all traffic) to an S3 bucket of the account.'),
  peerPorts: z.array(portRange).default([]).describe('TCP ports the baseline security group admits from the peered VPCs; nothing else is admitted from them.'),
  peers: z
    .array(externalPeerSchema)
    .default([])
    .describe("VPCs outside the organization (an old flat account's) this VPC requests peering with and routes to; their owner accepts."),
});

export type ExternalPeer = z.output<typeof externalPeerSchema>;

export type VpcFile = z.output<typeof vpcSchema>;

/** AWS's hard limit of active peering connections per VPC, however raised: a full mesh holds one VPC more. */
export const MAX_PEERING_CONNECTIONS_PER_VPC = 125;

/** Accounts a connectivity rule names: one account, every account of an environment, or of an OU (and the OUs under it). */
const accountsSelector = z
  .union([z.strictObject({ account: accountName }), z.strictObject({ environment: slug('environment') }), z.strictObject({ ou: ouPath })], {
    error: (issue) => `${show(issue.input)} is not { account: <name> }, { environment: <name> } nor { ou: <path> }`,
  })
  .describe('Accounts by name ({ account: qa }), environment ({ environment: nonprod }) or OU ({ ou: Workloads/NonProd }, the OUs under it included).');

export type AccountsSelector = z.output<typeof accountsSelector>;

const connectivityRule = z.strictObject({
  between: z
    .array(accountsSelector)
    .min(1)
    .max(2)
    .describe('One set of accounts (every two of them may reach each other) or two (each of the first and each of the second may reach each other).'),
  ports: z
    .array(portRange)
    .optional()
    .describe("TCP ports the baseline security groups admit across these pairs, both ways (default: each VPC's own peerPorts)."),
});

export type ConnectivityRule = z.output<typeof connectivityRule>;

export const TOPOLOGIES = ['mesh', 'transit-gateway'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

export const networkSchema = z
  .strictObject({
    topology: z
      .enum(TOPOLOGIES)
      .default('mesh')
      .describe('How the VPCs are connected: mesh (a VPC peering connection per allowed pair) or transit-gateway (one hub every VPC attaches to).'),
    account: accountName
      .optional()
      .describe('The account holding the transit gateway and the egress VPC (topology: transit-gateway); it needs no VPC of its own.'),
    connectivity: z
      .array(connectivityRule)
      .optional()
      .describe('Which VPCs may reach which: a pair is connected when a rule allows it. Default: every two VPCs (all-to-all).'),
    egress: z
      .enum(['per-vpc', 'centralized'])
      .default('per-vpc')
      .describe(
        'per-vpc: each VPC reaches the internet as its `egress` says; centralized (transit-gateway only): through one egress VPC in the network account, with a NAT gateway per zone.',
      ),
    egressVpc: z
      .strictObject({
        cidr: ipv4Cidr.describe("The egress VPC's CIDR; must not overlap any account's VPC."),
        azs: z.number().int().min(1).max(6).default(2).describe('Zones, each with a NAT gateway.'),
      })
      .optional()
      .describe('The egress VPC (egress: centralized).'),
    keepPeering: z
      .boolean()
      .default(false)
      .describe('Migration from mesh to transit-gateway, step 1: keep the peering mesh while the gateway is added (docs/network.md).'),
  })
  .prefault({})
  .describe('How the VPCs are connected and reach the internet.');

export type NetworkFile = z.output<typeof networkSchema>;

export const networkQuotasSchema = z
  .strictObject({
    peeringConnectionsPerVpc: z
      .number()
      .int()
      .min(1)
      .max(MAX_PEERING_CONNECTIONS_PER_VPC)
      .default(50)
      .describe(`"Active VPC peering connections per VPC" (AWS default 50, at most ${MAX_PEERING_CONNECTIONS_PER_VPC}).`),
    routesPerRouteTable: z.number().int().min(1).max(1000).default(50).describe('"Routes per route table" (AWS default 50, at most 1,000).'),
    networkAclRulesPerDirection: z
      .number()
      .int()
      .min(20)
      .max(40)
      .default(20)
      .describe('"Rules per network ACL", per direction, the default deny included (AWS default 20, at most 40).'),
    securityGroupRulesPerDirection: z.number().int().min(1).max(1000).default(60).describe('"Inbound or outbound rules per security group" (AWS default 60).'),
    transitGatewayAttachments: z.number().int().min(1).max(100000).default(5000).describe('"Attachments per transit gateway" (AWS default 5,000).'),
    transitGatewayRouteTables: z.number().int().min(1).max(1000).default(20).describe('"Transit gateway route tables per transit gateway" (AWS default 20).'),
    transitGatewayRoutes: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .default(10000)
      .describe('"Routes per transit gateway", static and propagated, over all its route tables (AWS default 10,000).'),
  })
  .prefault({})
  .describe(
    'AWS quotas the network must fit in, as raised in every account with a VPC (and the network account); validation refuses a description that exceeds them.',
  );

export type NetworkQuotas = z.output<typeof networkQuotasSchema>;
