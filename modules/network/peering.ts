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
import { Fn, TerraformIterator, TerraformLocal, type TerraformProvider } from 'cdktf';
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
  /** In a stable order: of two members, the earlier requests, the later accepts. */
  readonly members: readonly MeshMember[];
}

export class VpcPeeringMesh extends Construct {
  constructor(scope: Construct, id: string, props: VpcPeeringMeshProps) {
    super(scope, id);
    const { members } = props;
    const names = members.map((member) => member.name);
    const earlier = (index: number) => names.slice(0, index);
    const later = (index: number) => names.slice(index + 1);
    const byName = (list: readonly string[], value: (name: string) => unknown = (name) => name) =>
      TerraformIterator.fromMap(Object.fromEntries(list.map((name) => [name, value(name)])));

    // Every VPC's ids: { <member>: { vpc_id, route_table_ids } }.
    const vpcs = new TerraformLocal(this, 'vpc-ids', Object.fromEntries(members.map((member) => [member.name, member.vpc.ids.asAnyMap])));
    const vpcId = (member: unknown) => Fn.lookupNested(vpcs.asAnyMap, [member, 'vpc_id']);

    // Requested connections by requester, then peer: { <earlier>: { <later>: id } }.
    const requested = new TerraformLocal(
      this,
      'requested-connection-ids',
      Object.fromEntries(
        members.flatMap((member, index) => {
          if (later(index).length === 0) return [];
          const accountIds = Object.fromEntries(members.slice(index + 1).map((peer) => [peer.name, peer.accountId]));
          const peers = byName(later(index), (name) => accountIds[name]);
          const requests = new VpcPeeringConnection(this, `${member.name}-requests`, {
            provider: member.provider,
            forEach: peers,
            vpcId: vpcId(member.name),
            peerVpcId: vpcId(peers.key),
            peerOwnerId: peers.value,
            tags: { Name: `${member.name}-${peers.key}` },
          });
          return [[member.name, TerraformIterator.fromResources(requests).forExpressionForMap('key', 'val.id')]];
        }),
      ),
    );
    // Accepted connections by accepter, then peer: { <later>: { <earlier>: id } }, known once active.
    const accepted = new TerraformLocal(
      this,
      'accepted-connection-ids',
      Object.fromEntries(
        members.flatMap((member, index) => {
          if (earlier(index).length === 0) return [];
          const peers = byName(earlier(index));
          const accepters = new VpcPeeringConnectionAccepterA(this, `${member.name}-accepts`, {
            provider: member.provider,
            forEach: peers,
            vpcPeeringConnectionId: Fn.lookupNested(requested.asAnyMap, [peers.key, member.name]),
            autoAccept: true,
            tags: { Name: `${peers.key}-${member.name}` },
          });
          return [[member.name, TerraformIterator.fromResources(accepters).forExpressionForMap('key', 'val.id')]];
        }),
      ),
    );

    // Options and routes refer to the accepted ids: they wait for the connections to be active.
    members.forEach((member, index) => {
      const { provider, name } = member;
      if (later(index).length > 0) {
        const peers = byName(later(index));
        new VpcPeeringConnectionOptions(this, `${name}-requester-options`, {
          provider,
          forEach: peers,
          vpcPeeringConnectionId: Fn.lookupNested(accepted.asAnyMap, [peers.key, name]),
          requester: { allowRemoteVpcDnsResolution: true },
        });
      }
      if (earlier(index).length > 0) {
        const peers = byName(earlier(index));
        new VpcPeeringConnectionOptions(this, `${name}-accepter-options`, {
          provider,
          forEach: peers,
          vpcPeeringConnectionId: Fn.lookupNested(accepted.asAnyMap, [name, peers.key]),
          accepter: { allowRemoteVpcDnsResolution: true },
        });
      }
      const routes = TerraformIterator.fromMap(
        Object.fromEntries(
          members.flatMap((peer, peerIndex) => {
            if (peer === member) return [];
            const [requester, accepter] = peerIndex < index ? [peer.name, name] : [name, peer.name];
            return member.vpc.routeTableKeys.map((table) => [`${peer.name}:${table}`, { table, destination: peer.cidr, requester, accepter }]);
          }),
        ),
      );
      new Route(this, `${name}-routes`, {
        provider,
        forEach: routes,
        routeTableId: Fn.lookupNested(vpcs.asAnyMap, [name, 'route_table_ids', routes.getString('table')]),
        destinationCidrBlock: routes.getString('destination'),
        vpcPeeringConnectionId: Fn.lookupNested(accepted.asAnyMap, [routes.getString('accepter'), routes.getString('requester')]),
      });
    });
  }
}
