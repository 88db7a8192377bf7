// The network side of the description: an account's VPC (its file) and the organization-wide AWS quotas
// the peering mesh is checked against (organization.yaml).
import { z } from 'zod';
import { parseCidr } from '../cidr';
import { accountId, ipv4Cidr, slug } from './common';
import { vpcId } from './adoption';

const show = (value: unknown): string => JSON.stringify(value);

/** AWS accepts VPC and subnet prefixes from /16 to /28. */
const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;

const EGRESS_MODES = ['none', 'nat-instance', 'nat-gateway', 'nat-gateway-per-zone'] as const;
export type Egress = (typeof EGRESS_MODES)[number];

const subnetPrefix = (kind: string) =>
  z
    .number()
    .int()
    .min(MIN_PREFIX)
    .max(MAX_PREFIX)
    .optional()
    .describe(`Prefix length of each ${kind} subnet, e.g. 24 for /24 (256 addresses).`);

const notAPortRange = (issue: { input?: unknown }) => `${show(issue.input)} is not a TCP port or range (e.g. 443 or "8000-8100")`;
const portRange = z.union([
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
], { error: notAPortRange });

/** A VPC the organization does not own, peered during a move: only our side is built (docs/migration.md#peers). */
const externalPeerSchema = z.strictObject({
  name: slug('peer name').describe('Names the peering connection and its routes.'),
  vpcId: vpcId.describe('The peer VPC.'),
  accountId: accountId.describe('The account that owns it (it accepts the connection itself).'),
  cidr: ipv4Cidr.describe('Its CIDR: every route table of this VPC routes it through the connection.'),
  retired: z
    .boolean()
    .default(false)
    .describe('Done with: Terraform forgets the connection and its routes (removed blocks), without destroying them.'),
});

export const vpcSchema = z.strictObject({
  cidr: ipv4Cidr
    .refine((value) => {
      // A malformed CIDR is reported as such already.
      const prefix = parseCidr(value)?.prefix ?? MIN_PREFIX;
      return prefix >= MIN_PREFIX && prefix <= MAX_PREFIX;
    }, { error: (issue) => `${show(issue.input)} is not a VPC size AWS accepts (/${MIN_PREFIX} to /${MAX_PREFIX})` })
    .describe('The VPC CIDR; must not overlap any other account\'s VPC (they are all peered).'),
  azs: z
    .number()
    .int()
    .min(1)
    .max(6)
    .optional()
    .describe('Number of availability zones (default: as many as `zones` lists, else 2).'),
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
  peerPorts: z
    .array(portRange)
    .default([])
    .describe('TCP ports the baseline security group admits from the peered VPCs; nothing else is admitted from them.'),
  peers: z
    .array(externalPeerSchema)
    .default([])
    .describe('VPCs outside the organization (an old flat account\'s) this VPC requests peering with and routes to; their owner accepts.'),
});

export type ExternalPeer = z.output<typeof externalPeerSchema>;

export type VpcFile = z.output<typeof vpcSchema>;

/** AWS's hard limit of active peering connections per VPC, however raised: a full mesh holds one VPC more. */
export const MAX_PEERING_CONNECTIONS_PER_VPC = 125;

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
    securityGroupRulesPerDirection: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(60)
      .describe('"Inbound or outbound rules per security group" (AWS default 60).'),
  })
  .prefault({})
  .describe('AWS quotas the peering mesh must fit in, as raised in every account with a VPC; validation refuses a description that exceeds them.');

export type NetworkQuotas = z.output<typeof networkQuotasSchema>;
