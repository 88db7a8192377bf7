// Taking over what already runs in an account: `adopt:` maps what its stack would create onto the ids of
// existing resources, which the synth turns into import blocks (docs/migration.md). An id of the wrong form
// is refused here; whether the shape fits the description is checked across files (checks/adoption.ts).
import { z } from 'zod';
import { ipv4Cidr, iamName } from './common';
import { groupName } from './identity';

const show = (value: unknown): string => JSON.stringify(value);

/** An EC2 id: its prefix, then 8 or 17 hexadecimal digits (AWS's short and long id formats). */
const ec2Id = (prefix: string, what: string) =>
  z
    .string({ error: (issue) => `${show(issue.input)} is not ${what} id (${prefix}- and 8 or 17 hexadecimal digits)` })
    .regex(new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`), {
      error: (issue) => `${show(issue.input)} is not ${what} id (${prefix}- and 8 or 17 hexadecimal digits)`,
    });

export const vpcId = ec2Id('vpc', 'a VPC');
export const subnetId = ec2Id('subnet', 'a subnet');
export const routeTableId = ec2Id('rtb', 'a route table');
export const internetGatewayId = ec2Id('igw', 'an internet gateway');
export const natGatewayId = ec2Id('nat', 'a NAT gateway');
export const allocationId = ec2Id('eipalloc', 'an Elastic IP allocation');
export const networkAclId = ec2Id('acl', 'a network ACL');

const adoptedSubnet = z.strictObject({
  id: subnetId,
  cidr: ipv4Cidr.describe("Its CIDR, inside the VPC's: the stack keeps it (a subnet's CIDR cannot change)."),
});

export const adoptedZoneSchema = z.strictObject({
  public: adoptedSubnet.describe("The zone's public subnet (routed to the internet gateway)."),
  private: adoptedSubnet
    .extend({ routeTable: routeTableId.optional().describe('The route table the private subnet is associated with (one per zone); omit to have one created.') })
    .describe("The zone's private subnet."),
  natGateway: z
    .strictObject({
      id: natGatewayId,
      allocation: allocationId.describe("Its Elastic IP's allocation id (a NAT gateway cannot change address)."),
    })
    .optional()
    .describe("The NAT gateway in the zone's public subnet (egress nat-gateway: the first zone only; nat-gateway-per-zone: any zone)."),
});

export const adoptedVpcSchema = z
  .strictObject({
    id: vpcId,
    internetGateway: internetGatewayId.optional().describe('The internet gateway attached to the VPC (a VPC has at most one).'),
    publicRouteTable: routeTableId.optional().describe('The route table every public subnet is associated with.'),
    zones: z
      .record(z.string(), adoptedZoneSchema)
      .describe('Per availability zone (the names vpc.zones lists): its public and private subnets, the private route table, the NAT gateway.'),
    networkAcls: z
      .strictObject({ public: networkAclId.optional(), private: networkAclId.optional() })
      .optional()
      .describe("Network ACLs (not the VPC's default one) associated with exactly the public, or the private, subnets."),
  })
  .describe("The existing VPC the account's `vpc` describes: the stack imports it and what is listed, and creates the rest.");

export const adoptionSchema = z
  .strictObject({
    vpc: adoptedVpcSchema.optional(),
    users: z
      .record(iamName('user name of organization.yaml'), iamName('IAM user name'))
      .optional()
      .describe('Identity account only: user of organization.yaml -> the existing IAM user it is (renamed in place when the names differ).'),
    groups: z
      .record(groupName, iamName('IAM group name'))
      .optional()
      .describe('Identity account only: group of organization.yaml -> the existing IAM group it is (renamed in place when the names differ).'),
    repositories: z
      .array(z.string().min(1))
      .optional()
      .describe('Artifact account only: names of sharing.ecr repositories that exist already (a repository cannot be renamed).'),
  })
  .optional()
  .describe('What exists already in this account and its stack takes over instead of creating: import blocks in the synth (docs/migration.md).');

export type Adoption = NonNullable<z.output<typeof adoptionSchema>>;
export type AdoptedVpc = z.output<typeof adoptedVpcSchema>;

export const invitedSchema = z
  .boolean()
  .default(false)
  .describe(
    'The account joined the organization by invitation: AWS created no deploy role in it. The synth writes a stack bootstrap-<account> ' +
      "that makes it, run once with this account's own credentials before accepting the invitation (docs/migration.md).",
  );
