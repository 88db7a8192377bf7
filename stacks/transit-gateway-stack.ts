// The transit gateway hub (network.topology: transit-gateway), in one stack of its own like the peering
// mesh (decisions/one-peering-stack.md): the gateway, its share, route tables and the egress VPC act in the
// network account (the default provider), each VPC's attachment and routes in the VPC's own account.
// Deployed after every stack with a VPC (it reads their ids); nothing reads from it.
import type { Construct } from 'constructs';
import type { Organization, TransitGateway } from '../description/model';
import { ForgettingStack } from '../modules/common/forget';
import { NatGateways } from '../modules/network/nat-gateways';
import { PeerableVpc } from '../modules/network/peering';
import { TransitGatewayHub } from '../modules/network/transit-gateway';
import { VpcNetwork } from '../modules/network/vpc';
import { organizationArn } from '../naming/arn';
import { AccountProviders, useOrganizationState } from './conventions';

export const TRANSIT_GATEWAY_STACK = 'transit-gateway';

export class TransitGatewayStack extends ForgettingStack {
  readonly providers: AccountProviders;

  constructor(scope: Construct, org: Organization, gateway: TransitGateway, vpcs: ReadonlyMap<string, PeerableVpc>) {
    super(scope, TRANSIT_GATEWAY_STACK);
    useOrganizationState(this, org, TRANSIT_GATEWAY_STACK);
    this.providers = new AccountProviders(this, org, gateway.account, TRANSIT_GATEWAY_STACK);
    const { providers } = this;
    new TransitGatewayHub(this, 'hub', {
      name: org.name,
      // The organization when its id is recorded (no invitation to accept), else each account with a VPC.
      sharedWith: org.awsOrganization.id
        ? [organizationArn(org.partition, org.management.id, org.awsOrganization.id)]
        : org.network.vpcs.filter((account) => account.name !== gateway.account.name).map((account) => account.id),
      members: org.network.vpcs.map((account) => ({
        name: account.name,
        provider: providers.for(account),
        vpc: vpcs.get(account.name)!,
        routes: account.vpc.routes.filter((route) => 'transitGateway' in route),
      })),
      segments: gateway.segments,
      ...(gateway.egress ? { egress: this.egressVpc(org, gateway.egress) } : {}),
    });
  }

  /** The egress VPC in the network account: a NAT gateway per zone; replies to the members go back through the gateway. */
  private egressVpc(org: Organization, egress: NonNullable<TransitGateway['egress']>) {
    const name = `${org.name}-egress`;
    const vpc = new VpcNetwork(this, 'egress-vpc', {
      name,
      cidr: egress.cidr,
      zones: egress.zones.map((zone) => ({ name: zone.name, publicSubnetCidr: zone.publicSubnet, privateSubnetCidr: zone.privateSubnet })),
      s3EndpointServiceName: `com.amazonaws.${org.homeRegion}.s3`,
    });
    new NatGateways(this, 'egress-nat-gateways', {
      name,
      gateways: egress.zones.map((zone, index) => ({ key: zone.name, subnetId: vpc.publicSubnetIds[index], routeTables: [vpc.privateRouteTables[index]] })),
    });
    return {
      vpc: new PeerableVpc(this, 'egress-ids', { vpcId: vpc.vpcId, routeTables: vpc.routeTables, attachmentSubnetIds: vpc.privateSubnetIds }),
      routes: egress.memberPrefixes.map((destination) => ({ table: 'public', destination })),
    };
  }
}
