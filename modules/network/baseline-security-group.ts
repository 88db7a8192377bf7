// The security group workloads join to be reachable from the peered VPCs: it admits from them the listed
// TCP ports and nothing else, and lets the workload reach anything.
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';

export interface TcpPortRange {
  readonly from: number;
  readonly to: number;
}

export interface BaselineSecurityGroupProps {
  readonly name: string;
  readonly vpcId: string;
  readonly ports: readonly TcpPortRange[];
  /** The peered VPCs' addresses. */
  readonly peerCidrs: readonly string[];
}

export class BaselineSecurityGroup extends Construct {
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: BaselineSecurityGroupProps) {
    super(scope, id);
    const peerCidrs = [...props.peerCidrs];
    this.securityGroupId = new SecurityGroup(this, 'security-group', {
      name: props.name,
      description: 'Admits the listed TCP ports from the peered VPCs',
      vpcId: props.vpcId,
      ingress:
        peerCidrs.length === 0
          ? []
          : props.ports.map((port) => ({
              description: port.from === port.to ? `TCP ${port.from} from the peered VPCs` : `TCP ${port.from}-${port.to} from the peered VPCs`,
              protocol: 'tcp',
              fromPort: port.from,
              toPort: port.to,
              cidrBlocks: peerCidrs,
            })),
      egress: [{ description: 'Anywhere', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
      tags: { Name: props.name },
    }).id;
  }
}
