// The subnets' network ACLs, with every rule explicit. Public subnets: the VPC, no admin ports from
// anywhere else, the web ports from anywhere, and return traffic. Private subnets: the VPC, return traffic (what they fetched through the
// NAT), and the peered VPCs. Outbound is open; security groups decide per workload.
import { NetworkAcl, type NetworkAclIngress } from '@cdktf/provider-aws/lib/network-acl';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';
import type { VpcNetwork } from './vpc';

export interface NetworkAclsProps {
  /** Prefix of every Name tag. */
  readonly name: string;
  readonly vpc: VpcNetwork;
  /** TCP ports public subnets admit from anywhere. */
  readonly webPorts: readonly number[];
  /** TCP ports public subnets refuse from outside the VPC, whatever a security group opens. */
  readonly deniedAdminPorts: readonly number[];
  /** Prefixes private subnets admit entirely: the peered VPCs. */
  readonly peerCidrs: readonly string[];
  /** Existing ACLs taken over, by tier (their rules and subnets become these). */
  readonly existingIds?: { readonly public?: string; readonly private?: string };
}

const ANYWHERE = '0.0.0.0/0';
/** Where replies to connections made from the subnet arrive. */
const EPHEMERAL = { fromPort: 1024, toPort: 65535 };
/** Peers follow the fixed rules, leaving room for fixed rules to be added before them. */
const FIRST_PEER_RULE = 200;

type Rule = Omit<NetworkAclIngress, 'ruleNo'>;

const allow = (cidrBlock: string, protocol = '-1', ports = { fromPort: 0, toPort: 0 }): Rule => ({ action: 'allow', protocol, cidrBlock, ...ports });
const tcpPort = (port: number) => ({ fromPort: port, toPort: port });

/** Rules in the order they are evaluated, numbered 100, 110... from `firstRule`. */
const numbered = (rules: readonly Rule[], firstRule = 100): NetworkAclIngress[] => rules.map((rule, index) => ({ ruleNo: firstRule + 10 * index, ...rule }));

export class NetworkAcls extends Construct {
  constructor(scope: Construct, id: string, props: NetworkAclsProps) {
    super(scope, id);
    const returnTraffic = [allow(ANYWHERE, 'tcp', EPHEMERAL), allow(ANYWHERE, 'udp', EPHEMERAL)];
    const openEgress = numbered([allow(ANYWHERE)]);
    const { vpc } = props;
    const publicAcl = new NetworkAcl(this, 'public', {
      vpcId: vpc.vpcId,
      subnetIds: [...vpc.publicSubnetIds],
      // The denies come before return traffic, whose range may hold a denied port: a reply landing on one is
      // lost, a rare cost against admin access opened to the internet by a security group.
      ingress: numbered([
        allow(vpc.cidr),
        ...props.deniedAdminPorts.map((port): Rule => ({ action: 'deny', protocol: 'tcp', cidrBlock: ANYWHERE, ...tcpPort(port) })),
        ...props.webPorts.map((port) => allow(ANYWHERE, 'tcp', tcpPort(port))),
        ...returnTraffic,
      ]),
      egress: openEgress,
      tags: { Name: `${props.name}-public` },
    });
    const privateAcl = new NetworkAcl(this, 'private', {
      vpcId: vpc.vpcId,
      subnetIds: [...vpc.privateSubnetIds],
      ingress: [
        ...numbered([allow(vpc.cidr), ...returnTraffic]),
        ...numbered(
          props.peerCidrs.map((cidr) => allow(cidr)),
          FIRST_PEER_RULE,
        ),
      ],
      egress: openEgress,
      tags: { Name: `${props.name}-private` },
    });
    adoptExisting(publicAcl, props.existingIds?.public);
    adoptExisting(privateAcl, props.existingIds?.private);
  }
}
