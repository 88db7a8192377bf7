// A transit gateway hub: the gateway in one account, shared through AWS RAM; one attachment per VPC in its
// private subnets (one per zone), accepted automatically; a gateway route table per segment, with its
// members' attachments associated and the attachments of the VPCs they may reach propagated; and in each
// VPC's route tables the routes it is given, through the gateway. With an egress VPC, every segment's
// default route leads to it, and a blackhole per VPC its members may not reach keeps them from meeting
// through it. Every resource acts through the provider of the account it lives in.
//
// Like the mesh, each kind of resource is one for_each block over keys computed at synth (per member where
// the member's provider acts), ids looked up by key in locals.
import { Ec2TransitGateway } from '@cdktf/provider-aws/lib/ec2-transit-gateway';
import { Ec2TransitGatewayRoute } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route';
import { Ec2TransitGatewayRouteTable } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table';
import { Ec2TransitGatewayRouteTableAssociation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association';
import { Ec2TransitGatewayRouteTablePropagation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Fn, TerraformIterator, TerraformLocal, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { literalMap, type PeerableVpc } from './peering';

export interface GatewayMember {
  /** Keys the member's resources (a Terraform identifier). */
  readonly name: string;
  /** Acts in the member's account (undefined: the stack's default provider, the gateway's account). */
  readonly provider: TerraformProvider | undefined;
  /** Its ids, with the attachment's subnets. */
  readonly vpc: PeerableVpc;
  /** Routes of its route tables (by key) through the gateway. */
  readonly routes: readonly { readonly table: string; readonly destination: string }[];
}

export interface GatewaySegmentProps {
  /** Keys its route table. */
  readonly name: string;
  /** Members whose attachments it routes (associated). */
  readonly members: readonly string[];
  /** Members whose CIDRs it learns (propagated). */
  readonly propagations: readonly string[];
  /** Destinations it drops. */
  readonly blackholes: readonly string[];
}

export interface TransitGatewayHubProps {
  /** Prefix of every Name tag. */
  readonly name: string;
  /** Who the gateway is shared with: the organization's ARN, or account ids. */
  readonly sharedWith: readonly string[];
  readonly members: readonly GatewayMember[];
  readonly segments: readonly GatewaySegmentProps[];
  /** The VPC every segment's default route leads to, attached in the gateway's account; its route table learns every member. */
  readonly egress?: Omit<GatewayMember, 'name' | 'provider'>;
}

const ANYWHERE = '0.0.0.0/0';
const EGRESS = 'egress-vpc';

export class TransitGatewayHub extends Construct {
  readonly transitGatewayId: string;

  constructor(scope: Construct, id: string, props: TransitGatewayHubProps) {
    super(scope, id);
    const tag = (suffix: string) => ({ Name: `${props.name}-${suffix}` });
    const gateway = new Ec2TransitGateway(this, 'gateway', {
      description: `${props.name} hub`,
      // Attachments are routed by the segments' tables only, never by a default one.
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      autoAcceptSharedAttachments: 'enable',
      dnsSupport: 'enable',
      tags: tag('hub'),
    });
    this.transitGatewayId = gateway.id;
    const share = new RamResourceShare(this, 'share', { name: `${props.name}-transit-gateway`, allowExternalPrincipals: false, tags: tag('transit-gateway') });
    new RamResourceAssociation(this, 'shared-gateway', { resourceArn: gateway.arn, resourceShareArn: share.arn });
    const principals = literalMap(Object.fromEntries(props.sharedWith.map((principal) => [principal, principal])));
    const sharedWith = new RamPrincipalAssociation(this, 'shared-with', { forEach: principals, principal: principals.value, resourceShareArn: share.arn });

    const members: GatewayMember[] = [...props.members, ...(props.egress ? [{ ...props.egress, name: EGRESS, provider: undefined }] : [])];
    // Every VPC's ids: { <member>: { vpc_id, route_table_ids, subnet_ids } }.
    const vpcs = new TerraformLocal(this, 'vpc-ids', Object.fromEntries(members.map((member) => [member.name, member.vpc.ids.asAnyMap])));
    const attachments = members.map((member) => {
      const inGatewayAccount = member.provider === undefined;
      const attachment = new Ec2TransitGatewayVpcAttachment(this, `${member.name}-attachment`, {
        provider: member.provider,
        transitGatewayId: gateway.id,
        vpcId: Fn.lookupNested(vpcs.asAnyMap, [member.name, 'vpc_id']),
        subnetIds: Fn.lookupNested(vpcs.asAnyMap, [member.name, 'subnet_ids']),
        dnsSupport: 'enable',
        // Only the gateway's own account may set these (a shared gateway refuses them); its tables do the routing.
        ...(inGatewayAccount ? { transitGatewayDefaultRouteTableAssociation: false, transitGatewayDefaultRouteTablePropagation: false } : {}),
        // The share must reach the member's account before it can attach.
        dependsOn: inGatewayAccount ? [] : [sharedWith],
        tags: tag(member.name),
      });
      const routes = literalMap(Object.fromEntries(member.routes.map((route) => [`${route.destination}:${route.table}`, route])));
      if (member.routes.length > 0) {
        new Route(this, `${member.name}-routes`, {
          provider: member.provider,
          forEach: routes,
          routeTableId: Fn.lookupNested(vpcs.asAnyMap, [member.name, 'route_table_ids', routes.getString('table')]),
          destinationCidrBlock: routes.getString('destination'),
          transitGatewayId: gateway.id,
          // A route to the gateway is refused until the VPC is attached to it.
          dependsOn: [attachment],
        });
      }
      return [member.name, attachment.id] as const;
    });
    const attachmentIds = new TerraformLocal(this, 'attachment-ids', Object.fromEntries(attachments));
    const attachmentId = (member: string) => Fn.lookup(attachmentIds.asStringMap, member);

    const segments: GatewaySegmentProps[] = [
      ...props.segments,
      ...(props.egress ? [{ name: EGRESS, members: [EGRESS], propagations: props.members.map((member) => member.name), blackholes: [] }] : []),
    ];
    const tableNames = literalMap(Object.fromEntries(segments.map((segment) => [segment.name, segment.name])));
    const tables = new Ec2TransitGatewayRouteTable(this, 'route-tables', {
      forEach: tableNames,
      transitGatewayId: gateway.id,
      tags: { Name: `${props.name}-${tableNames.value}` },
    });
    const tableIds = new TerraformLocal(this, 'route-table-ids', TerraformIterator.fromResources(tables).forExpressionForMap('key', 'val.id'));
    const tableId = (segment: string) => Fn.lookup(tableIds.asStringMap, segment);

    const associations = literalMap(Object.fromEntries(segments.flatMap((segment) => segment.members.map((member) => [member, segment.name]))));
    new Ec2TransitGatewayRouteTableAssociation(this, 'associations', {
      forEach: associations,
      transitGatewayAttachmentId: attachmentId(associations.key),
      transitGatewayRouteTableId: tableId(associations.value),
    });
    const propagations = literalMap(
      Object.fromEntries(segments.flatMap((segment) => segment.propagations.map((member) => [`${segment.name}:${member}`, { segment: segment.name, member }]))),
    );
    new Ec2TransitGatewayRouteTablePropagation(this, 'propagations', {
      forEach: propagations,
      transitGatewayAttachmentId: attachmentId(propagations.getString('member')),
      transitGatewayRouteTableId: tableId(propagations.getString('segment')),
    });
    const blackholes = segments.flatMap((segment) =>
      segment.blackholes.map((destination) => [`${segment.name}:${destination}`, { segment: segment.name, destination }]),
    );
    if (blackholes.length > 0) {
      const dropped = literalMap(Object.fromEntries(blackholes));
      new Ec2TransitGatewayRoute(this, 'blackholes', {
        forEach: dropped,
        transitGatewayRouteTableId: tableId(dropped.getString('segment')),
        destinationCidrBlock: dropped.getString('destination'),
        blackhole: true,
      });
    }
    if (props.egress) {
      const outward = literalMap(Object.fromEntries(props.segments.map((segment) => [segment.name, segment.name])));
      new Ec2TransitGatewayRoute(this, 'default-routes', {
        forEach: outward,
        transitGatewayRouteTableId: tableId(outward.value),
        destinationCidrBlock: ANYWHERE,
        transitGatewayAttachmentId: attachmentId(EGRESS),
      });
    }
  }
}
