// Peering with a VPC the organization does not own (an old flat account's, during a move): only this side
// is built, the requested connection and a route to the peer in every route table of the VPC. The peer's
// owner accepts the connection and routes back in its own account. Once done with, Terraform forgets both
// (removed blocks) instead of destroying them: the owner deletes the connection with the old VPC.
import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { Construct } from 'constructs';
import { ForgottenResource } from '../common/forget';
import type { NamedRouteTable } from './vpc';

export interface ExternalPeeringProps {
  /** Names the connection. */
  readonly name: string;
  readonly vpcId: string;
  readonly routeTables: readonly NamedRouteTable[];
  readonly peerVpcId: string;
  readonly peerAccountId: string;
  readonly peerCidr: string;
  /** Done with: forgotten, not destroyed. */
  readonly retired: boolean;
}

export class ExternalPeering extends Construct {
  constructor(scope: Construct, id: string, props: ExternalPeeringProps) {
    super(scope, id);
    const routeId = (table: NamedRouteTable) => `${table.key}-route`;
    if (props.retired) {
      new ForgottenResource(this, 'connection', VpcPeeringConnection.tfResourceType);
      for (const table of props.routeTables) new ForgottenResource(this, routeId(table), Route.tfResourceType);
      return;
    }
    const connection = new VpcPeeringConnection(this, 'connection', {
      vpcId: props.vpcId,
      peerVpcId: props.peerVpcId,
      peerOwnerId: props.peerAccountId,
      tags: { Name: props.name },
    });
    for (const table of props.routeTables) {
      new Route(this, routeId(table), { routeTableId: table.id, destinationCidrBlock: props.peerCidr, vpcPeeringConnectionId: connection.id });
    }
  }
}
