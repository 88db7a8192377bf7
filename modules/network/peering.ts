// VPC peering between the VPCs of a set, rendering the connections and routes it is given: each
// connection's requester asks from its own account and the accepter accepts from its own; each side
// allows DNS resolution across the connection for itself; each route goes into its member's route
// table through its connection. Every resource acts through the provider of the account it lives in.
//
// Sized for 50 VPCs (1,225 connections, ~12,000 resources in Terraform): per VPC, each kind of resource
// is one block repeated with for_each over keys computed at synth, and every id is looked up by key in
// a map (a local) instead of being referenced once per instance. Synthesis costs per referenced value,
// above all per value that comes from another stack: each VPC's ids arrive as one value.
import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcPeeringConnectionOptions } from '@cdktf/provider-aws/lib/vpc-peering-connection-options';
import {
  Fn,
  type IResolvable,
  type IResolveContext,
  type MapTerraformIterator,
  TerraformIterator,
  TerraformLocal,
  type TerraformProvider,
  type TerraformResource,
} from 'cdktf';
import { Construct } from 'constructs';
import type { NamedRouteTable } from './vpc';

export interface PeerableVpcProps {
  readonly vpcId: string;
  readonly routeTables: readonly NamedRouteTable[];
  /** The subnets a transit gateway attachment uses (the private ones, one per zone); none for peering only. */
  readonly attachmentSubnetIds?: readonly string[];
}

/**
 * What the mesh or the transit gateway needs of a VPC, built in the VPC's own stack as one value:
 * { vpc_id, route_table_ids: { <key>: id }, subnet_ids (for an attachment) }.
 */
export class PeerableVpc extends Construct {
  readonly ids: TerraformLocal;

  constructor(scope: Construct, id: string, props: PeerableVpcProps) {
    super(scope, id);
    this.ids = new TerraformLocal(this, 'ids', {
      vpc_id: props.vpcId,
      route_table_ids: Object.fromEntries(props.routeTables.map((table) => [table.key, table.id])),
      ...(props.attachmentSubnetIds ? { subnet_ids: [...props.attachmentSubnetIds] } : {}),
    });
  }
}

/**
 * Iterates over a map of literal data, which holds no reference. Before synthesizing, cdktf resolves
 * every value of every stack once more only to find references across stacks; the mesh's maps are most
 * of a large organization's output (two thirds at 125 accounts), so they are left out of that pass.
 */
export function literalMap(map: Record<string, unknown>): MapTerraformIterator {
  const literal: IResolvable = { creationStack: [], resolve: (context: IResolveContext) => (context.preparing ? {} : map) };
  return TerraformIterator.fromMap(literal);
}

export interface MeshMember {
  /** Keys the member's resources (a Terraform identifier: a letter, then letters, digits, dashes). */
  readonly name: string;
  readonly accountId: string;
  /** Acts in the member's account (undefined: the stack's default provider). */
  readonly provider: TerraformProvider | undefined;
  readonly vpc: PeerableVpc;
}

/** A connection between two members, by name: the requester asks, the accepter accepts. */
export interface MeshConnection {
  readonly requester: string;
  readonly accepter: string;
}

/** A route of a member's route table (by key) to a peer's addresses, through their connection. */
export interface MeshRoute {
  readonly table: string;
  readonly destination: string;
  readonly peer: string;
  readonly connection: MeshConnection;
}

export interface VpcPeeringMeshProps {
  readonly members: readonly MeshMember[];
  readonly connections: readonly MeshConnection[];
  /** Each member's routes, by member. */
  readonly routes: ReadonlyMap<string, readonly MeshRoute[]>;
}

export class VpcPeeringMesh extends Construct {
  constructor(scope: Construct, id: string, props: VpcPeeringMeshProps) {
    super(scope, id);
    const { members } = props;
    const accountIds = Object.fromEntries(members.map((member) => [member.name, member.accountId]));
    const requestedBy = (name: string) => props.connections.filter((connection) => connection.requester === name).map((connection) => connection.accepter);
    const acceptedBy = (name: string) => props.connections.filter((connection) => connection.accepter === name).map((connection) => connection.requester);
    /** Iterates over peers by name, each with its account id. */
    const byName = (list: readonly string[]) => literalMap(Object.fromEntries(list.map((name) => [name, accountIds[name]])));
    /** A member's for_each block over its peers, none without peers. */
    const peerBlock = <R extends TerraformResource>(peers: readonly string[], build: (peers: MapTerraformIterator) => R): R | undefined =>
      peers.length > 0 ? build(byName(peers)) : undefined;

    // Every VPC's ids: { <member>: { vpc_id, route_table_ids } }.
    const vpcs = new TerraformLocal(this, 'vpc-ids', Object.fromEntries(members.map((member) => [member.name, member.vpc.ids.asAnyMap])));
    const vpcId = (member: unknown) => Fn.lookupNested(vpcs.asAnyMap, [member, 'vpc_id']);

    /** A local { <member>: { <peer>: id } } of the for_each block `build` makes for each member with such peers. */
    const idsByMember = (
      localId: string,
      peersOf: (name: string) => string[],
      build: (member: MeshMember, peers: readonly string[]) => TerraformResource | undefined,
    ) =>
      new TerraformLocal(
        this,
        localId,
        Object.fromEntries(
          members.flatMap((member) => {
            const resource = build(member, peersOf(member.name));
            return resource ? [[member.name, TerraformIterator.fromResources(resource).forExpressionForMap('key', 'val.id')]] : [];
          }),
        ),
      );
    // Requested connections, by requester then peer: { <requester>: { <accepter>: id } }.
    const requested = idsByMember('requested-connection-ids', requestedBy, (member, peerNames) =>
      peerBlock(
        peerNames,
        (peers) =>
          new VpcPeeringConnection(this, `${member.name}-requests`, {
            provider: member.provider,
            forEach: peers,
            vpcId: vpcId(member.name),
            peerVpcId: vpcId(peers.key),
            peerOwnerId: peers.value,
            tags: { Name: `${member.name}-${peers.key}` },
          }),
      ),
    );
    // Accepted connections, by accepter then peer: { <accepter>: { <requester>: id } }, known once active.
    const accepted = idsByMember('accepted-connection-ids', acceptedBy, (member, peerNames) =>
      peerBlock(
        peerNames,
        (peers) =>
          new VpcPeeringConnectionAccepterA(this, `${member.name}-accepts`, {
            provider: member.provider,
            forEach: peers,
            vpcPeeringConnectionId: Fn.lookupNested(requested.asAnyMap, [peers.key, member.name]),
            autoAccept: true,
            tags: { Name: `${peers.key}-${member.name}` },
          }),
      ),
    );

    // Options and routes refer to the accepted ids: they wait for the connections to be active.
    for (const member of members) {
      const { provider, name } = member;
      // Each side allows DNS resolution across the connection for itself (accepted ids are keyed accepter first).
      for (const side of ['requester', 'accepter'] as const) {
        peerBlock(
          side === 'requester' ? requestedBy(name) : acceptedBy(name),
          (peers) =>
            new VpcPeeringConnectionOptions(this, `${name}-${side}-options`, {
              provider,
              forEach: peers,
              vpcPeeringConnectionId: Fn.lookupNested(accepted.asAnyMap, side === 'requester' ? [peers.key, name] : [name, peers.key]),
              [side]: { allowRemoteVpcDnsResolution: true },
            }),
        );
      }
      const own = props.routes.get(name) ?? [];
      const routes = literalMap(
        Object.fromEntries(
          own.map((route) => [
            `${route.peer}:${route.table}`,
            { table: route.table, destination: route.destination, requester: route.connection.requester, accepter: route.connection.accepter },
          ]),
        ),
      );
      if (own.length > 0) {
        new Route(this, `${name}-routes`, {
          provider,
          forEach: routes,
          routeTableId: Fn.lookupNested(vpcs.asAnyMap, [name, 'route_table_ids', routes.getString('table')]),
          destinationCidrBlock: routes.getString('destination'),
          vpcPeeringConnectionId: Fn.lookupNested(accepted.asAnyMap, [routes.getString('accepter'), routes.getString('requester')]),
        });
      }
    }
  }
}
