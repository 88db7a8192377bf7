// Internet egress for private subnets through one small EC2 instance that masquerades their traffic: a
// few dollars a month where a NAT gateway costs tens, at the price of a single instance (no failover).
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Route } from '@cdktf/provider-aws/lib/route';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { NamedRouteTable } from './vpc';

export interface NatInstanceProps {
  /** Prefix of every Name tag. */
  readonly name: string;
  readonly vpcId: string;
  /** Only addresses of the VPC may send through the instance. */
  readonly vpcCidr: string;
  /** A public subnet: the instance reaches the internet through its public address there. */
  readonly subnetId: string;
  readonly instanceType: string;
  /** An AMI id, or `resolve:ssm:<parameter>` to take the AMI a public parameter names at launch. */
  readonly imageId: string;
  /** The route tables whose default route goes through the instance. */
  readonly routeTables: readonly NamedRouteTable[];
}

/** Turns Amazon Linux 2023 into a NAT: forwarding on, masquerade out of the primary interface, kept across reboots. */
const NAT_USER_DATA = `#!/bin/bash
set -euo pipefail
dnf install -y iptables-services
systemctl enable --now iptables
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat.conf
sysctl --system
interface=$(ip -o route show default | awk '{print $5}')
iptables -t nat -A POSTROUTING -o "$interface" -j MASQUERADE
iptables -F FORWARD
service iptables save
`;

export class NatInstance extends Construct {
  constructor(scope: Construct, id: string, props: NatInstanceProps) {
    super(scope, id);
    const securityGroupId = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-nat`,
      description: 'NAT instance: forwards what the VPC sends to the internet',
      vpcId: props.vpcId,
      ingress: [{ description: 'From the VPC', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: [props.vpcCidr] }],
      egress: [{ description: 'To the internet', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
      tags: { Name: `${props.name}-nat` },
    }).id;
    // A launch template resolves the SSM parameter at each launch; an instance given it directly would be
    // replaced on every plan (its AMI reads back as an id, never as the parameter).
    const template = new LaunchTemplate(this, 'launch-template', {
      name: `${props.name}-nat`,
      imageId: props.imageId,
      instanceType: props.instanceType,
      userData: Buffer.from(NAT_USER_DATA).toString('base64'),
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required' },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true', volumeType: 'gp3', deleteOnTermination: 'true' } }],
      updateDefaultVersion: true,
    });
    const instance = new Instance(this, 'instance', {
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [securityGroupId],
      associatePublicIpAddress: true,
      // It forwards traffic that is neither from nor to itself.
      sourceDestCheck: false,
      tags: { Name: `${props.name}-nat` },
    });
    const networkInterfaceId = instance.primaryNetworkInterfaceId;
    for (const table of props.routeTables) {
      new Route(this, `${table.key}-default-route`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', networkInterfaceId });
    }
  }
}
