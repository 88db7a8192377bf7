// The subnets' network ACLs, with every rule explicit. Public subnets: the VPC, the web ports from
// anywhere, and return traffic. Private subnets: the VPC, return traffic (what they fetched through the
// NAT), and the peered VPCs. Outbound is open; security groups decide per workload.
import { NetworkAcl, type NetworkAclIngress } from '@cdktf/provider-aws/lib/network-acl';
import { Construct } from 'constructs';
import type { VpcNetwork } from './vpc';

export interface NetworkAclsProps {
  /** Prefix of every Name tag. */
  readonly name: string;
  readonly vpc: VpcNetwork;
  /** TCP ports public subnets admit from anywhere. */
  readonly webPorts: readonly number[];
  /** Prefixes private subnets admit entirely: the peered VPCs. */
  readonly peerCidrs: readonly string[];
}

const ANYWHERE = '0.0.0.0/0';
/** Where replies to connections made from the subnet arrive. */
const EPHEMERAL = { fromPort: 1024, toPort: 65535 };
/** Peers follow the fixed rules, leaving room for fixed rules to be added before them. */
const FIRST_PEER_RULE = 200;

const allow = (ruleNo: number, cidrBlock: string, protocol = '-1', ports = { fromPort: 0, toPort: 0 }): NetworkAclIngress => ({
  ruleNo,
  action: 'allow',
  protocol,
  cidrBlock,
  ...ports,
});

export class NetworkAcls extends Construct {
  constructor(scope: Construct, id: string, props: NetworkAclsProps) {
    super(scope, id);
    const returnTraffic = (firstRule: number) => [allow(firstRule, ANYWHERE, 'tcp', EPHEMERAL), allow(firstRule + 10, ANYWHERE, 'udp', EPHEMERAL)];
    const openEgress = [allow(100, ANYWHERE)];
    const { vpc } = props;
    new NetworkAcl(this, 'public', {
      vpcId: vpc.vpcId,
      subnetIds: [...vpc.publicSubnetIds],
      ingress: [
        allow(100, vpc.cidr),
        ...props.webPorts.map((port, index) => allow(110 + 10 * index, ANYWHERE, 'tcp', { fromPort: port, toPort: port })),
        ...returnTraffic(110 + 10 * props.webPorts.length),
      ],
      egress: openEgress,
      tags: { Name: `${props.name}-public` },
    });
    new NetworkAcl(this, 'private', {
      vpcId: vpc.vpcId,
      subnetIds: [...vpc.privateSubnetIds],
      ingress: [allow(100, vpc.cidr), ...returnTraffic(110), ...props.peerCidrs.map((cidr, index) => allow(FIRST_PEER_RULE + 10 * index, cidr))],
      egress: openEgress,
      tags: { Name: `${props.name}-private` },
    });
  }
}
