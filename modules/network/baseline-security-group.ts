// The security group workloads join to be reachable from the peered VPCs: it admits from each the TCP
// ports listed for it and nothing else, and lets the workload reach anything.
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';

export interface TcpPortRange {
  readonly from: number;
  readonly to: number;
}

/** A TCP port range admitted from the peers it is open to, by their addresses. */
export interface PeerRule {
  readonly ports: TcpPortRange;
  readonly prefixes: readonly string[];
}

export interface BaselineSecurityGroupProps {
  readonly name: string;
  readonly vpcId: string;
  readonly rules: readonly PeerRule[];
}

export class BaselineSecurityGroup extends Construct {
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: BaselineSecurityGroupProps) {
    super(scope, id);
    this.securityGroupId = new SecurityGroup(this, 'security-group', {
      name: props.name,
      description: 'Admits the listed TCP ports from the peered VPCs',
      vpcId: props.vpcId,
      ingress: props.rules.map(({ ports, prefixes }) => ({
        description: ports.from === ports.to ? `TCP ${ports.from} from the peered VPCs` : `TCP ${ports.from}-${ports.to} from the peered VPCs`,
        protocol: 'tcp',
        fromPort: ports.from,
        toPort: ports.to,
        cidrBlocks: [...prefixes],
      })),
      egress: [{ description: 'Anywhere', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
      tags: { Name: props.name },
    }).id;
  }
}
