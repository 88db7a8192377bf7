// VPC peering between every two VPCs of a set (a full mesh), whole: of each pair, the earlier VPC
// requests the connection from its own account and the later one accepts it from its own; each side
// allows DNS resolution across the connection for itself; every route table of both VPCs gets a route
// to the other VPC through it. Every resource acts through the provider of the account it lives in.
//
// Sized for 50 VPCs (1,225 connections, ~12,000 resources in Terraform): per VPC, each kind of resource
// is one block repeated with for_each over keys computed at synth, and every id is looked up by key in
// a map (a local) instead of being referenced once per instance. Synthesis costs per referenced value,
// above all per value that comes from another stack: each VPC's ids arrive as one value.
import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcPeeringConnectionOptions } from '@cdktf/provider-aws/lib/vpc-peering-connection-options';
import { Fn, type IResolvable, type IResolveContext, type MapTerraformIterator, TerraformIterator, TerraformLocal, type TerraformProvider, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import type { NamedRouteTable } from './vpc';

export interface PeerableVpcProps {
  readonly vpcId: string;
  readonly routeTables: readonly NamedRouteTable[];
}

/** What the mesh needs of a VPC, built in the VPC's own stack as one value: { vpc_id, route_table_ids: { <key>: id } }. */
export class PeerableVpc extends Construct {
  readonly routeTableKeys: readonly string[];
  readonly ids: TerraformLocal;

  constructor(scope: Construct, id: string, props: PeerableVpcProps) {
    super(scope, id);
    this.routeTableKeys = props.routeTables.map((table) => table.key);
    this.ids = new TerraformLocal(this, 'ids', {
      vpc_id: props.vpcId,
      route_table_ids: Object.fromEntries(props.routeTables.map((table) => [table.key, table.id])),
    });
  }
}

/**
 * Iterates over a map of literal data, which holds no reference. Before synthesizing, cdktf resolves
 * every value of every stack once more only to find references across stacks; the mesh's maps are most
 * of a large organization's output (two thirds at 125 accounts), so they are left out of that pass.
 */
function literalMap(map: Record<string, unknown>): MapTerraformIterator {
  const literal: IResolvable = { creationStack: [], resolve: (context: IResolveContext) => (context.preparing ? {} : map) };
  return TerraformIterator.fromMap(literal);
}

export interface MeshMember {
  /** Keys the member's resources (a Terraform identifier: a letter, then letters, digits, dashes). */
  readonly name: string;
  readonly accountId: string;
  /** Acts in the member's account (undefined: the stack's default provider). */
  readonly provider: TerraformProvider | undefined;
  readonly cidr: string;
  readonly vpc: PeerableVpc;
}

export interface VpcPeeringMeshProps {
  /** The VPCs, in a stable order: of two members, the earlier requests, the later accepts. */
  readonly members: readonly MeshMember[];
}

export class VpcPeeringMesh extends Construct {
  constructor(scope: Construct, id: string, props: VpcPeeringMeshProps) {
    super(scope, id);
    const { members } = props;
    const order = members.map((member) => member.name);
    const earlier = (name: string) => order.slice(0, order.indexOf(name));
    const later = (name: string) => order.slice(order.indexOf(name) + 1);
    const accountIds = Object.fromEntries(members.map((member) => [member.name, member.accountId]));
    /** Iterates over peers by name, each with its account id. */
    const byName = (list: readonly string[]) => literalMap(Object.fromEntries(list.map((name) => [name, accountIds[name]])));
    /** A member's for_each block over its peers, none without peers. */
    const peerBlock = <R extends TerraformResource>(peers: readonly string[], build: (peers: MapTerraformIterator) => R): R | undefined =>
      peers.length > 0 ? build(byName(peers)) : undefined;

    // Every VPC's ids: { <member>: { vpc_id, route_table_ids } }.
    const vpcs = new TerraformLocal(this, 'vpc-ids', Object.fromEntries(members.map((member) => [member.name, member.vpc.ids.asAnyMap])));
    const vpcId = (member: unknown) => Fn.lookupNested(vpcs.asAnyMap, [member, 'vpc_id']);

    /** A local { <member>: { <peer>: id } } of the for_each block `build` makes for each member with such peers. */
    const idsByMember = (localId: string, peersOf: (name: string) => string[], build: (member: MeshMember, peers: readonly string[]) => TerraformResource | undefined) =>
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
    // Requested connections, by requester then peer: { <earlier>: { <later>: id } }.
    const requested = idsByMember('requested-connection-ids', later, (member, peerNames) =>
      peerBlock(peerNames, (peers) =>
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
    // Accepted connections, by accepter then peer: { <later>: { <earlier>: id } }, known once active.
    const accepted = idsByMember('accepted-connection-ids', earlier, (member, peerNames) =>
      peerBlock(peerNames, (peers) =>
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
        peerBlock(side === 'requester' ? later(name) : earlier(name), (peers) =>
          new VpcPeeringConnectionOptions(this, `${name}-${side}-options`, {
            provider,
            forEach: peers,
            vpcPeeringConnectionId: Fn.lookupNested(accepted.asAnyMap, side === 'requester' ? [peers.key, name] : [name, peers.key]),
            [side]: { allowRemoteVpcDnsResolution: true },
          }),
        );
      }
      const routeKeys = (peers: readonly string[]) => peers.flatMap((peer) => member.vpc.routeTableKeys.map((table) => [`${peer}:${table}`, table] as const));
      const peers = order.filter((peer) => peer !== name);
      const routes = literalMap(
        Object.fromEntries(
          routeKeys(peers).map(([key, table]) => {
            const peer = members.find((candidate) => candidate.name === key.slice(0, key.indexOf(':')))!;
            const [requester, accepter] = order.indexOf(peer.name) < order.indexOf(name) ? [peer.name, name] : [name, peer.name];
            return [key, { table, destination: peer.cidr, requester, accepter }];
          }),
        ),
      );
      if (peers.length > 0) {
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
