// modules/network, between VPCs: peering with a VPC outside the organization, the peering mesh, the transit
// gateway hub.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ExternalPeering, type ExternalPeeringProps } from '../../../modules/network/external-peering';
import { type MeshMember, PeerableVpc, VpcPeeringMesh } from '../../../modules/network/peering';
import { TransitGatewayHub } from '../../../modules/network/transit-gateway';
import { synthScope } from '../synth-scope';
import { vpcIn } from '../network-vpc';

describe('peering with a VPC outside the organization', () => {
  const PROPS: ExternalPeeringProps = {
    name: 'dev-to-legacy',
    vpcId: 'vpc-1',
    routeTables: [
      { key: 'public', id: 'rtb-a' },
      { key: 'private-a', id: 'rtb-b' },
    ],
    peerVpcId: 'vpc-0legacy',
    peerAccountId: '777777777777',
    peerCidr: '172.16.0.0/16',
    retired: false,
  };

  it('requests the connection from this side only and routes every table to the peer through it', () => {
    const out = synthScope((scope) => new ExternalPeering(scope, 'legacy', PROPS));
    expect(out.one('aws_vpc_peering_connection')).toEqual({
      vpc_id: 'vpc-1',
      peer_vpc_id: 'vpc-0legacy',
      peer_owner_id: '777777777777',
      tags: { Name: 'dev-to-legacy' },
    });
    expect(out.all('aws_vpc_peering_connection_accepter')).toEqual([]);
    expect(
      out
        .all('aws_route')
        .map((route) => [route.route_table_id, route.destination_cidr_block, route.vpc_peering_connection_id])
        .sort(),
    ).toEqual([
      ['rtb-a', '172.16.0.0/16', out.reference('aws_vpc_peering_connection')],
      ['rtb-b', '172.16.0.0/16', out.reference('aws_vpc_peering_connection')],
    ]);
  });

  it('done with, is forgotten, not destroyed: the connection and each route', () => {
    const out = synthScope((scope) => new ExternalPeering(scope, 'legacy', { ...PROPS, retired: true }));
    expect(out.json.resource).toBeUndefined();
    expect((out.json.removed as { from: string }[]).map((block) => block.from.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual([
      'aws_route.legacy_private-a-route',
      'aws_route.legacy_public-route',
      'aws_vpc_peering_connection.legacy_connection',
    ]);
  });
});

describe('the peering mesh', () => {
  const CIDRS: Record<string, string> = { dev: '10.1.0.0/16', qa: '10.2.0.0/16', prod: '10.3.0.0/16' };
  const ACCOUNTS: Record<string, string> = { dev: '222222222222', qa: '555555555555', prod: '333333333333' };
  const TABLES = ['public', 'private-eu-west-1a', 'private-eu-west-1b'];
  /** The mesh it is given: every two VPCs connected, the earlier requesting; each table routed to each peer. */
  const meshOf = (names = ['dev', 'qa', 'prod']) =>
    synthScope((scope) => {
      const member = (name: string): MeshMember => {
        const vpc = vpcIn(scope, name, CIDRS[name]);
        const provider = new AwsProvider(scope, `aws-${name}`, { alias: name, region: 'eu-west-1' });
        return {
          name,
          accountId: ACCOUNTS[name],
          provider,
          vpc: new PeerableVpc(scope, `${name}-peerable`, { vpcId: vpc.vpcId, routeTables: vpc.routeTables }),
        };
      };
      const connections = names.flatMap((requester, index) => names.slice(index + 1).map((accepter) => ({ requester, accepter })));
      const routes = new Map(
        names.map((name) => [
          name,
          names
            .filter((peer) => peer !== name)
            .flatMap((peer) => {
              const connection = connections.find((candidate) => [candidate.requester, candidate.accepter].sort().join() === [name, peer].sort().join())!;
              return TABLES.map((table) => ({ table, destination: CIDRS[peer], peer, connection }));
            }),
        ]),
      );
      new VpcPeeringMesh(scope, 'mesh', { members: names.map(member), connections, routes });
    });
  /** The for_each keys of each block of `type`, by the block's id in the mesh. */
  const blocks = (out: ReturnType<typeof meshOf>, type: string) =>
    Object.fromEntries(
      Object.entries(out.byId(type)).flatMap(([id, block]) => (id.startsWith('mesh_') ? [[id.replace(/^mesh_|_[0-9A-F]{8}$/g, ''), block]] : [])),
    );

  it('connects every two VPCs once: the earlier requests, the later accepts', () => {
    const out = meshOf();
    const keys = (type: string) => Object.fromEntries(Object.entries(blocks(out, type)).map(([id, block]) => [id, Object.keys(block.for_each)]));
    expect(keys('aws_vpc_peering_connection')).toEqual({ 'dev-requests': ['prod', 'qa'], 'qa-requests': ['prod'] });
    // The accepter's account, where the requester asks.
    expect(blocks(out, 'aws_vpc_peering_connection')['dev-requests'].for_each).toEqual({ prod: '333333333333', qa: '555555555555' });
    expect(keys('aws_vpc_peering_connection_accepter')).toEqual({ 'prod-accepts': ['dev', 'qa'], 'qa-accepts': ['dev'] });
    expect(keys('aws_vpc_peering_connection_options')).toEqual({
      'dev-requester-options': ['prod', 'qa'],
      'qa-requester-options': ['prod'],
      'qa-accepter-options': ['dev'],
      'prod-accepter-options': ['dev', 'qa'],
    });
  });

  it("routes every table of each VPC to every peer's CIDR, through the connection of the pair", () => {
    const routes = blocks(meshOf(), 'aws_route');
    expect(routes['qa-routes'].for_each).toEqual({
      'dev:public': { table: 'public', destination: '10.1.0.0/16', requester: 'dev', accepter: 'qa' },
      'dev:private-eu-west-1a': { table: 'private-eu-west-1a', destination: '10.1.0.0/16', requester: 'dev', accepter: 'qa' },
      'dev:private-eu-west-1b': { table: 'private-eu-west-1b', destination: '10.1.0.0/16', requester: 'dev', accepter: 'qa' },
      'prod:public': { table: 'public', destination: '10.3.0.0/16', requester: 'qa', accepter: 'prod' },
      'prod:private-eu-west-1a': { table: 'private-eu-west-1a', destination: '10.3.0.0/16', requester: 'qa', accepter: 'prod' },
      'prod:private-eu-west-1b': { table: 'private-eu-west-1b', destination: '10.3.0.0/16', requester: 'qa', accepter: 'prod' },
    });
    expect(Object.keys(routes).sort()).toEqual(['dev-routes', 'prod-routes', 'qa-routes']);
  });

  it("acts in each member's account through its provider; a VPC alone peers with nothing", () => {
    const out = meshOf();
    const providers = (type: string) => Object.fromEntries(Object.entries(blocks(out, type)).map(([id, block]) => [id, block.provider]));
    expect(providers('aws_vpc_peering_connection')).toEqual({ 'dev-requests': 'aws.dev', 'qa-requests': 'aws.qa' });
    expect(providers('aws_vpc_peering_connection_accepter')).toEqual({ 'prod-accepts': 'aws.prod', 'qa-accepts': 'aws.qa' });
    expect(providers('aws_route')).toEqual({ 'dev-routes': 'aws.dev', 'prod-routes': 'aws.prod', 'qa-routes': 'aws.qa' });
    expect(providers('aws_vpc_peering_connection_options')['prod-accepter-options']).toBe('aws.prod');
    const alone = meshOf(['dev']);
    for (const type of ['aws_vpc_peering_connection', 'aws_vpc_peering_connection_accepter', 'aws_vpc_peering_connection_options'])
      expect(blocks(alone, type)).toEqual({});
    expect(blocks(alone, 'aws_route')).toEqual({});
  });
});

describe('the transit gateway hub', () => {
  const hubOf = (egress: boolean) =>
    synthScope((scope) => {
      const member = (name: string, inGatewayAccount: boolean) => {
        const vpc = vpcIn(scope, name, CIDRS_BY_NAME[name]);
        return {
          name,
          provider: inGatewayAccount ? undefined : new AwsProvider(scope, `aws-${name}`, { alias: name, region: 'eu-west-1' }),
          vpc: new PeerableVpc(scope, `${name}-peerable`, { vpcId: vpc.vpcId, routeTables: vpc.routeTables, attachmentSubnetIds: vpc.privateSubnetIds }),
          routes: [{ table: 'private-eu-west-1a', destination: '10.0.0.0/14' }],
        };
      };
      const egressVpc = vpcIn(scope, 'egress', '192.168.0.0/24');
      new TransitGatewayHub(scope, 'hub', {
        name: 'org',
        sharedWith: ['arn:aws:organizations::111111111111:organization/o-abc'],
        members: [member('dev', true), member('qa', false), member('prod', false)],
        segments: [
          { name: 'dev', members: ['dev'], propagations: ['dev', 'qa', 'prod'], blackholes: [] },
          { name: 'rest', members: ['qa', 'prod'], propagations: ['dev', 'qa', 'prod'], blackholes: egress ? ['10.9.0.0/16'] : [] },
        ],
        ...(egress
          ? {
              egress: {
                vpc: new PeerableVpc(scope, 'egress-peerable', {
                  vpcId: egressVpc.vpcId,
                  routeTables: egressVpc.routeTables,
                  attachmentSubnetIds: egressVpc.privateSubnetIds,
                }),
                routes: [{ table: 'public', destination: '10.0.0.0/14' }],
              },
            }
          : {}),
      });
    });
  const CIDRS_BY_NAME: Record<string, string> = { dev: '10.1.0.0/16', qa: '10.2.0.0/16', prod: '10.3.0.0/16' };
  const byName = (out: ReturnType<typeof hubOf>, type: string) =>
    Object.fromEntries(
      Object.entries(out.byId(type)).flatMap(([id, block]) => (id.startsWith('hub_') ? [[id.replace(/^hub_|_[0-9A-F]{8}$/g, ''), block]] : [])),
    );

  it("routes by the segments' tables only, shares the gateway with the organization, and accepts attachments automatically", () => {
    const out = hubOf(false);
    expect(out.one('aws_ec2_transit_gateway')).toMatchObject({
      default_route_table_association: 'disable',
      default_route_table_propagation: 'disable',
      auto_accept_shared_attachments: 'enable',
      dns_support: 'enable',
    });
    expect(out.one('aws_ram_resource_share').allow_external_principals).toBe(false);
    expect(Object.keys(out.one('aws_ram_principal_association').for_each)).toEqual(['arn:aws:organizations::111111111111:organization/o-abc']);
  });

  it("attaches each VPC from its own account, after the share; only the gateway's own account sets the default table flags", () => {
    const attachments = byName(hubOf(false), 'aws_ec2_transit_gateway_vpc_attachment');
    expect(Object.keys(attachments).sort()).toEqual(['dev-attachment', 'prod-attachment', 'qa-attachment']);
    expect(attachments['dev-attachment']).toMatchObject({
      transit_gateway_default_route_table_association: false,
      transit_gateway_default_route_table_propagation: false,
    });
    expect(attachments['dev-attachment'].provider).toBeUndefined();
    expect(attachments['qa-attachment'].provider).toBe('aws.qa');
    expect(attachments['qa-attachment'].transit_gateway_default_route_table_association).toBeUndefined();
    expect(attachments['qa-attachment'].depends_on).toEqual([expect.stringContaining('aws_ram_principal_association.hub_shared-with')]);
  });

  it("associates each member with its segment's table and propagates what it may reach; routes wait for the attachment", () => {
    const out = hubOf(false);
    expect(out.one('aws_ec2_transit_gateway_route_table').for_each).toEqual({ dev: 'dev', rest: 'rest' });
    expect(out.one('aws_ec2_transit_gateway_route_table_association').for_each).toEqual({ dev: 'dev', qa: 'rest', prod: 'rest' });
    expect(Object.keys(out.one('aws_ec2_transit_gateway_route_table_propagation').for_each).sort()).toEqual([
      'dev:dev',
      'dev:prod',
      'dev:qa',
      'rest:dev',
      'rest:prod',
      'rest:qa',
    ]);
    expect(out.byId('aws_ec2_transit_gateway_route')).toEqual({});
    const routes = byName(out, 'aws_route');
    expect(routes['qa-routes']).toMatchObject({ provider: 'aws.qa', depends_on: [expect.stringContaining('hub_qa-attachment')] });
    expect(Object.keys(routes['qa-routes'].for_each)).toEqual(['10.0.0.0/14:private-eu-west-1a']);
  });

  it("with an egress VPC: attached in the gateway's account, learning every member; every segment defaults to it; blackholes", () => {
    const out = hubOf(true);
    const routes = byName(out, 'aws_ec2_transit_gateway_route');
    expect(routes['default-routes'].for_each).toEqual({ dev: 'dev', rest: 'rest' });
    expect(routes['default-routes'].destination_cidr_block).toBe('0.0.0.0/0');
    expect(routes['default-routes'].transit_gateway_attachment_id).toContain('egress-vpc');
    expect(Object.keys(routes.blackholes.for_each)).toEqual(['rest:10.9.0.0/16']);
    expect(routes.blackholes.blackhole).toBe(true);
    expect(out.one('aws_ec2_transit_gateway_route_table_association').for_each['egress-vpc']).toBe('egress-vpc');
    expect(
      Object.keys(out.one('aws_ec2_transit_gateway_route_table_propagation').for_each)
        .filter((key) => key.startsWith('egress-vpc:'))
        .sort(),
    ).toEqual(['egress-vpc:dev', 'egress-vpc:prod', 'egress-vpc:qa']);
    expect(byName(out, 'aws_ec2_transit_gateway_vpc_attachment')['egress-vpc-attachment'].provider).toBeUndefined();
  });
});
