// A VPC split into a public and a private subnet per availability zone: the public ones route to the
// internet gateway through one shared route table, each private one has a route table of its own (so
// that egress can be per zone). The default security group is emptied, and an S3 gateway endpoint (free)
// keeps S3 traffic, ECR image layers included, off the NAT.
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';

export interface VpcZone {
  readonly name: string;
  readonly publicSubnetCidr: string;
  readonly privateSubnetCidr: string;
  /** Existing objects the zone takes over (import blocks) instead of creating them. */
  readonly existing?: { readonly publicSubnetId: string; readonly privateSubnetId: string; readonly privateRouteTableId?: string };
}

/** An existing VPC taken over: its id and those of its parts that are taken over too. */
export interface ExistingVpc {
  readonly vpcId: string;
  readonly internetGatewayId?: string;
  readonly publicRouteTableId?: string;
}

/** The default route's import id: a route is known by its table and destination. */
export const defaultRouteImportId = (routeTableId: string) => `${routeTableId}_0.0.0.0/0`;

export interface VpcNetworkProps {
  /** Prefix of every Name tag. */
  readonly name: string;
  readonly cidr: string;
  readonly zones: readonly VpcZone[];
  /** The S3 gateway endpoint's service, com.amazonaws.<region>.s3. */
  readonly s3EndpointServiceName: string;
  readonly existing?: ExistingVpc;
}

/** A route table and a name for it that stays the same as long as the table does. */
export interface NamedRouteTable {
  readonly key: string;
  readonly id: string;
  /** Its id when it existed before the stack took it over: what its routes are imported by. */
  readonly existingId?: string;
}

export class VpcNetwork extends Construct {
  readonly vpcId: string;
  readonly cidr: string;
  readonly publicSubnetIds: readonly string[];
  readonly privateSubnetIds: readonly string[];
  /** One per zone, in the order of the zones. */
  readonly privateRouteTables: readonly NamedRouteTable[];
  /** Every route table: the public one, then the private ones. */
  readonly routeTables: readonly NamedRouteTable[];

  constructor(scope: Construct, id: string, props: VpcNetworkProps) {
    super(scope, id);
    const tag = (suffix: string) => ({ Name: `${props.name}-${suffix}` });
    this.cidr = props.cidr;
    const existing = props.existing;
    // Both DNS settings are needed for names to resolve across peering connections.
    this.vpcId = adoptExisting(
      new Vpc(this, 'vpc', { cidrBlock: props.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tag('vpc') }),
      existing?.vpcId,
    ).id;
    const vpcId = this.vpcId;
    // Adopts the default security group and removes its rules: nothing may rely on it.
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId, ingress: [], egress: [], tags: tag('default-unused') });

    const internetGateway = adoptExisting(new InternetGateway(this, 'internet-gateway', { vpcId, tags: tag('igw') }), existing?.internetGatewayId);
    const publicRouteTable: NamedRouteTable = {
      key: 'public',
      id: adoptExisting(new RouteTable(this, 'public-route-table', { vpcId, tags: tag('public') }), existing?.publicRouteTableId).id,
      existingId: existing?.publicRouteTableId,
    };
    // An adopted public table routes to its adopted gateway already: that route is taken over too.
    const adoptedPublicRoute = existing?.publicRouteTableId && existing.internetGatewayId ? defaultRouteImportId(existing.publicRouteTableId) : undefined;
    adoptExisting(
      new Route(this, 'public-internet-route', { routeTableId: publicRouteTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: internetGateway.id }),
      adoptedPublicRoute,
    );

    /** A subnet in `zone`, named `key`, routed by the given table; an adopted one keeps its association with an adopted table. */
    const subnet = (key: string, zone: string, cidrBlock: string, table: NamedRouteTable, existingId: string | undefined) => {
      const subnetId = adoptExisting(new Subnet(this, key, { vpcId, cidrBlock, availabilityZone: zone, tags: tag(key) }), existingId).id;
      const association = new RouteTableAssociation(this, `${key}-route-table-association`, { subnetId, routeTableId: table.id });
      adoptExisting(association, existingId && table.existingId && `${existingId}/${table.existingId}`);
      return subnetId;
    };
    this.publicSubnetIds = props.zones.map((zone) =>
      subnet(`public-${zone.name}`, zone.name, zone.publicSubnetCidr, publicRouteTable, zone.existing?.publicSubnetId),
    );
    this.privateRouteTables = props.zones.map((zone) => {
      const existingId = zone.existing?.privateRouteTableId;
      return {
        key: `private-${zone.name}`,
        id: adoptExisting(new RouteTable(this, `private-${zone.name}-route-table`, { vpcId, tags: tag(`private-${zone.name}`) }), existingId).id,
        existingId,
      };
    });
    this.privateSubnetIds = props.zones.map((zone, index) =>
      subnet(`private-${zone.name}`, zone.name, zone.privateSubnetCidr, this.privateRouteTables[index], zone.existing?.privateSubnetId),
    );
    this.routeTables = [publicRouteTable, ...this.privateRouteTables];

    new VpcEndpoint(this, 's3-endpoint', {
      vpcId,
      serviceName: props.s3EndpointServiceName,
      vpcEndpointType: 'Gateway',
      routeTableIds: this.routeTables.map((table) => table.id),
      tags: tag('s3'),
    });
  }
}
