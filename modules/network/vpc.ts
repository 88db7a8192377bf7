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

export interface VpcZone {
  readonly name: string;
  readonly publicSubnetCidr: string;
  readonly privateSubnetCidr: string;
}

export interface VpcNetworkProps {
  /** Prefix of every Name tag. */
  readonly name: string;
  readonly cidr: string;
  readonly zones: readonly VpcZone[];
  /** The S3 gateway endpoint's service, com.amazonaws.<region>.s3. */
  readonly s3EndpointServiceName: string;
}

/** A route table and a name for it that stays the same as long as the table does. */
export interface NamedRouteTable {
  readonly key: string;
  readonly id: string;
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
    // Both DNS settings are needed for names to resolve across peering connections.
    this.vpcId = new Vpc(this, 'vpc', { cidrBlock: props.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tag('vpc') }).id;
    const vpcId = this.vpcId;
    // Adopts the default security group and removes its rules: nothing may rely on it.
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId, ingress: [], egress: [], tags: tag('default-unused') });

    const internetGateway = new InternetGateway(this, 'internet-gateway', { vpcId, tags: tag('igw') });
    const publicRouteTable: NamedRouteTable = { key: 'public', id: new RouteTable(this, 'public-route-table', { vpcId, tags: tag('public') }).id };
    new Route(this, 'public-internet-route', { routeTableId: publicRouteTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: internetGateway.id });

    /** A subnet in `zone`, named `key`, routed by the given table. */
    const subnet = (key: string, zone: string, cidrBlock: string, routeTableId: string) => {
      const subnetId = new Subnet(this, key, { vpcId, cidrBlock, availabilityZone: zone, tags: tag(key) }).id;
      new RouteTableAssociation(this, `${key}-route-table-association`, { subnetId, routeTableId });
      return subnetId;
    };
    this.publicSubnetIds = props.zones.map((zone) => subnet(`public-${zone.name}`, zone.name, zone.publicSubnetCidr, publicRouteTable.id));
    this.privateRouteTables = props.zones.map((zone) => ({
      key: `private-${zone.name}`,
      id: new RouteTable(this, `private-${zone.name}-route-table`, { vpcId, tags: tag(`private-${zone.name}`) }).id,
    }));
    this.privateSubnetIds = props.zones.map((zone, index) => subnet(`private-${zone.name}`, zone.name, zone.privateSubnetCidr, this.privateRouteTables[index].id));
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
