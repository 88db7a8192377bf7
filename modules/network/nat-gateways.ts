// Internet egress for private subnets through managed NAT gateways, each with its own Elastic IP in a
// public subnet, serving the route tables it is given.
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Construct } from 'constructs';
import type { NamedRouteTable } from './vpc';

export interface NatGatewayPlacement {
  /** Names the gateway and its address. */
  readonly key: string;
  /** The public subnet it sits in. */
  readonly subnetId: string;
  /** The route tables whose default route goes through it. */
  readonly routeTables: readonly NamedRouteTable[];
}

export interface NatGatewaysProps {
  /** Prefix of every Name tag. */
  readonly name: string;
  readonly gateways: readonly NatGatewayPlacement[];
}

export class NatGateways extends Construct {
  constructor(scope: Construct, id: string, props: NatGatewaysProps) {
    super(scope, id);
    for (const gateway of props.gateways) {
      const tags = { Name: `${props.name}-nat-${gateway.key}` };
      const address = new Eip(this, `${gateway.key}-address`, { domain: 'vpc', tags });
      const natGatewayId = new NatGateway(this, gateway.key, { allocationId: address.allocationId, subnetId: gateway.subnetId, tags }).id;
      for (const table of gateway.routeTables) {
        new Route(this, `${table.key}-default-route`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId });
      }
    }
  }
}
