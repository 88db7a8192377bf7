// Internet egress for private subnets through managed NAT gateways, each with its own Elastic IP in a
// public subnet, serving the route tables it is given.
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';
import { defaultRouteImportId, type NamedRouteTable } from './vpc';

export interface NatGatewayPlacement {
  /** Names the gateway and its address. */
  readonly key: string;
  /** The public subnet it sits in. */
  readonly subnetId: string;
  /** The route tables whose default route goes through it. */
  readonly routeTables: readonly NamedRouteTable[];
  /** An existing gateway taken over, with its address (a gateway cannot change address). */
  readonly existing?: { readonly natGatewayId: string; readonly allocationId: string };
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
      const { existing } = gateway;
      const address = adoptExisting(new Eip(this, `${gateway.key}-address`, { domain: 'vpc', tags }), existing?.allocationId);
      const natGatewayId = adoptExisting(
        new NatGateway(this, gateway.key, { allocationId: address.allocationId, subnetId: gateway.subnetId, tags }),
        existing?.natGatewayId,
      ).id;
      for (const table of gateway.routeTables) {
        // An adopted table routes to its adopted gateway already: that route is taken over too.
        const route = new Route(this, `${table.key}-default-route`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId });
        adoptExisting(route, existing && table.existingId && defaultRouteImportId(table.existingId));
      }
    }
  }
}
