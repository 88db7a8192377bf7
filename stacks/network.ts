// An account's network, built from the description: its VPC and subnets, egress, network ACLs, baseline
// security group and flow logs, and what the peering mesh (stacks/vpc-peering-stack.ts) or the transit
// gateway (stacks/transit-gateway-stack.ts) needs of it.
import type { Construct } from 'constructs';
import type { Account, AccountVpc, Organization } from '../description/model';
import { BaselineSecurityGroup } from '../modules/network/baseline-security-group';
import { FlowLogs } from '../modules/network/flow-logs';
import { NatGateways } from '../modules/network/nat-gateways';
import { NatInstance } from '../modules/network/nat-instance';
import { NetworkAcls } from '../modules/network/network-acls';
import { ExternalPeering } from '../modules/network/external-peering';
import { PeerableVpc } from '../modules/network/peering';
import { VpcNetwork } from '../modules/network/vpc';
import { flowLogBucketName } from '../naming/names';

/** TCP ports public subnets admit from anywhere. */
const WEB_PORTS = [80, 443];
/** SSH and RDP: public subnets refuse them from outside the VPC, even where a security group opens them. */
const DENIED_ADMIN_PORTS = [22, 3389];

/** Builds the account's network into `scope` (its stack); nothing for an account without a VPC. */
export function buildAccountNetwork(scope: Construct, org: Organization, account: Account): PeerableVpc | undefined {
  const described = account.vpc;
  if (!described) return undefined;
  const name = account.name;
  const { adopted } = described;
  const vpc = new VpcNetwork(scope, 'vpc', {
    name,
    cidr: described.cidr,
    zones: described.zones.map((zone) => {
      const existing = adopted?.zones[zone.name];
      return {
        name: zone.name,
        publicSubnetCidr: zone.publicSubnet,
        privateSubnetCidr: zone.privateSubnet,
        existing: existing && { publicSubnetId: existing.public.id, privateSubnetId: existing.private.id, privateRouteTableId: existing.private.routeTable },
      };
    }),
    s3EndpointServiceName: `com.amazonaws.${org.homeRegion}.s3`,
    existing: adopted && { vpcId: adopted.id, internetGatewayId: adopted.internetGateway, publicRouteTableId: adopted.publicRouteTable },
  });
  buildEgress(scope, name, described, vpc);
  new NetworkAcls(scope, 'network-acls', {
    name,
    vpc,
    webPorts: WEB_PORTS,
    deniedAdminPorts: DENIED_ADMIN_PORTS,
    peerCidrs: described.peerAclPrefixes,
    existingIds: adopted?.networkAcls,
  });
  new BaselineSecurityGroup(scope, 'baseline-security-group', {
    name: `${name}-baseline`,
    vpcId: vpc.vpcId,
    rules: described.peerSecurityGroupRules,
  });
  if (described.flowLogs.enabled) {
    new FlowLogs(scope, 'flow-logs', {
      partition: org.partition,
      name,
      vpcId: vpc.vpcId,
      bucketName: flowLogBucketName(org.name, account.id),
      accountId: account.id,
      region: org.homeRegion,
      retentionDays: described.flowLogs.retentionDays,
    });
  }
  for (const peer of described.externalPeers) {
    new ExternalPeering(scope, `peer-${peer.name}`, {
      name: `${name}-${peer.name}`,
      vpcId: vpc.vpcId,
      routeTables: vpc.routeTables,
      peerVpcId: peer.vpcId,
      peerAccountId: peer.accountId,
      peerCidr: peer.cidr,
      retired: peer.retired,
    });
  }

  return new PeerableVpc(scope, 'peerable-vpc', {
    vpcId: vpc.vpcId,
    routeTables: vpc.routeTables,
    ...(org.network.transitGateway ? { attachmentSubnetIds: vpc.privateSubnetIds } : {}),
  });
}

function buildEgress(scope: Construct, name: string, described: AccountVpc, vpc: VpcNetwork): void {
  switch (described.egress) {
    case 'none':
    case 'centralized': // through the transit gateway (stacks/transit-gateway-stack.ts)
      return;
    case 'nat-instance':
      new NatInstance(scope, 'nat-instance', {
        name,
        vpcId: vpc.vpcId,
        vpcCidr: described.cidr,
        subnetId: vpc.publicSubnetIds[0],
        instanceType: described.natInstanceType,
        imageId: amazonLinuxImage(described.natInstanceType),
        routeTables: vpc.privateRouteTables,
      });
      return;
    case 'nat-gateway':
      new NatGateways(scope, 'nat-gateways', {
        name,
        gateways: [
          { key: described.zones[0].name, subnetId: vpc.publicSubnetIds[0], routeTables: vpc.privateRouteTables, existing: existingNatGateway(described, 0) },
        ],
      });
      return;
    case 'nat-gateway-per-zone':
      new NatGateways(scope, 'nat-gateways', {
        name,
        gateways: described.zones.map((zone, index) => ({
          key: zone.name,
          subnetId: vpc.publicSubnetIds[index],
          routeTables: [vpc.privateRouteTables[index]],
          existing: existingNatGateway(described, index),
        })),
      });
      return;
  }
}

/** The adopted NAT gateway of the VPC's zone at `index`, if any. */
function existingNatGateway(described: AccountVpc, index: number): { natGatewayId: string; allocationId: string } | undefined {
  const gateway = described.adopted?.zones[described.zones[index].name]?.natGateway;
  return gateway && { natGatewayId: gateway.id, allocationId: gateway.allocation };
}

/**
 * The latest Amazon Linux 2023 for the instance type's architecture, through the public SSM parameter AWS
 * maintains (resolved at launch: no AMI lookup at synth). Graviton types have a "g" after the generation.
 */
export function amazonLinuxImage(instanceType: string): string {
  const arm = /^(a1|[a-z]+\d+[a-z]*g[a-z]*)\./.test(instanceType);
  return `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arm ? 'arm64' : 'x86_64'}`;
}
