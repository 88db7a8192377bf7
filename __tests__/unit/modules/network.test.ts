// modules/network: the VPC and its subnets (created or adopted), network ACLs, the baseline security group,
// NAT (gateways or an instance), flow logs, peering outside the organization, and the peering mesh.
import { Buffer } from 'node:buffer';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { BaselineSecurityGroup } from '../../../modules/network/baseline-security-group';
import { ExternalPeering, type ExternalPeeringProps } from '../../../modules/network/external-peering';
import { FlowLogs } from '../../../modules/network/flow-logs';
import { NatGateways } from '../../../modules/network/nat-gateways';
import { NatInstance } from '../../../modules/network/nat-instance';
import { NetworkAcls } from '../../../modules/network/network-acls';
import { type MeshMember, PeerableVpc, VpcPeeringMesh } from '../../../modules/network/peering';
import { TransitGatewayHub } from '../../../modules/network/transit-gateway';
import { VpcNetwork, type VpcNetworkProps } from '../../../modules/network/vpc';
import { statementOf, synthScope } from '../synth-scope';

const ZONES: VpcNetworkProps['zones'] = [
  { name: 'eu-west-1a', publicSubnetCidr: '10.1.0.0/24', privateSubnetCidr: '10.1.128.0/24' },
  { name: 'eu-west-1b', publicSubnetCidr: '10.1.1.0/24', privateSubnetCidr: '10.1.129.0/24' },
];
const vpcIn = (scope: Construct, name = 'dev', cidr = '10.1.0.0/16') =>
  new VpcNetwork(scope, `${name}-vpc`, { name, cidr, zones: ZONES, s3EndpointServiceName: 'com.amazonaws.eu-west-1.s3' });

describe('a VPC', () => {
  const out = synthScope((scope) => vpcIn(scope));
  const subnets = out.all('aws_subnet');
  const tables = out.byId('aws_route_table');
  const tableId = (name: string) => `\${aws_route_table.${Object.keys(tables).find((id) => tables[id].tags.Name === name)}.id}`;
  const subnetId = (name: string) => `\${aws_subnet.${Object.entries(out.byId('aws_subnet')).find(([, subnet]) => subnet.tags.Name === name)![0]}.id}`;

  it('resolves DNS (needed across peering) and has a public and a private subnet per zone', () => {
    expect(out.one('aws_vpc')).toMatchObject({ cidr_block: '10.1.0.0/16', enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: 'dev-vpc' } });
    expect(subnets.map((subnet) => [subnet.tags.Name, subnet.availability_zone, subnet.cidr_block]).sort()).toEqual([
      ['dev-private-eu-west-1a', 'eu-west-1a', '10.1.128.0/24'],
      ['dev-private-eu-west-1b', 'eu-west-1b', '10.1.129.0/24'],
      ['dev-public-eu-west-1a', 'eu-west-1a', '10.1.0.0/24'],
      ['dev-public-eu-west-1b', 'eu-west-1b', '10.1.1.0/24'],
    ]);
  });

  it('routes the public subnets to the internet gateway through one table, each private subnet through its own', () => {
    expect(out.all('aws_route')).toEqual([
      { route_table_id: tableId('dev-public'), destination_cidr_block: '0.0.0.0/0', gateway_id: out.reference('aws_internet_gateway') },
    ]);
    const associations = out.all('aws_route_table_association').map((association) => [association.subnet_id, association.route_table_id]);
    expect(associations.sort()).toEqual(
      [
        [subnetId('dev-public-eu-west-1a'), tableId('dev-public')],
        [subnetId('dev-public-eu-west-1b'), tableId('dev-public')],
        [subnetId('dev-private-eu-west-1a'), tableId('dev-private-eu-west-1a')],
        [subnetId('dev-private-eu-west-1b'), tableId('dev-private-eu-west-1b')],
      ].sort(),
    );
  });

  it('empties the default security group and keeps S3 traffic on a gateway endpoint of every table', () => {
    expect(out.one('aws_default_security_group')).toMatchObject({ ingress: [], egress: [] });
    const endpoint = out.one('aws_vpc_endpoint');
    expect(endpoint).toMatchObject({ service_name: 'com.amazonaws.eu-west-1.s3', vpc_endpoint_type: 'Gateway' });
    expect([...endpoint.route_table_ids].sort()).toEqual(['dev-public', 'dev-private-eu-west-1a', 'dev-private-eu-west-1b'].map(tableId).sort());
  });
});

it('an adopted VPC takes over the VPC, its gateway, public table and default route, and the subnets given, by id; a new one imports nothing', () => {
  const adopted = synthScope(
    (scope) =>
      new VpcNetwork(scope, 'dev-vpc', {
        name: 'dev',
        cidr: '10.1.0.0/16',
        zones: [{ ...ZONES[0], existing: { publicSubnetId: 'subnet-0pub', privateSubnetId: 'subnet-0priv' } }, ZONES[1]],
        s3EndpointServiceName: 'com.amazonaws.eu-west-1.s3',
        existing: { vpcId: 'vpc-0old', internetGatewayId: 'igw-0old', publicRouteTableId: 'rtb-0pub' },
      }),
  );
  const imported = (adopted.json.import as { to: string; id: string }[]).map(({ to, id }) => [to.slice(0, to.indexOf('.')), id]).sort();
  expect(imported).toEqual(
    [
      ['aws_vpc', 'vpc-0old'],
      ['aws_internet_gateway', 'igw-0old'],
      ['aws_route_table', 'rtb-0pub'],
      ['aws_route', 'rtb-0pub_0.0.0.0/0'],
      ['aws_subnet', 'subnet-0pub'],
      ['aws_subnet', 'subnet-0priv'],
      // The public subnet's association with the adopted public table; the private table is new.
      ['aws_route_table_association', 'subnet-0pub/rtb-0pub'],
    ].sort(),
  );
  expect(synthScope((scope) => vpcIn(scope)).json.import).toBeUndefined();
});

describe('the network ACLs', () => {
  const out = synthScope(
    (scope) =>
      new NetworkAcls(scope, 'acls', {
        name: 'dev',
        vpc: vpcIn(scope),
        webPorts: [80, 443],
        deniedAdminPorts: [22, 3389],
        peerCidrs: ['10.2.0.0/16', '10.3.0.0/16'],
      }),
  );
  const acl = (name: string) => out.all('aws_network_acl').find((candidate) => candidate.tags.Name === name)!;
  const rule = (ruleNo: number, action: string, protocol: string, cidr: string, from: number, to: number) => ({
    rule_no: ruleNo,
    action,
    protocol,
    cidr_block: cidr,
    from_port: from,
    to_port: to,
  });

  it('public subnets: the VPC, no admin port from elsewhere before anything else opens it, the web ports, then return traffic', () => {
    expect(acl('dev-public').ingress).toMatchObject([
      rule(100, 'allow', '-1', '10.1.0.0/16', 0, 0),
      rule(110, 'deny', 'tcp', '0.0.0.0/0', 22, 22),
      rule(120, 'deny', 'tcp', '0.0.0.0/0', 3389, 3389),
      rule(130, 'allow', 'tcp', '0.0.0.0/0', 80, 80),
      rule(140, 'allow', 'tcp', '0.0.0.0/0', 443, 443),
      rule(150, 'allow', 'tcp', '0.0.0.0/0', 1024, 65535),
      rule(160, 'allow', 'udp', '0.0.0.0/0', 1024, 65535),
    ]);
  });

  it('private subnets: the VPC and return traffic, then each peer from rule 200; outbound open on both', () => {
    expect(acl('dev-private').ingress).toMatchObject([
      rule(100, 'allow', '-1', '10.1.0.0/16', 0, 0),
      rule(110, 'allow', 'tcp', '0.0.0.0/0', 1024, 65535),
      rule(120, 'allow', 'udp', '0.0.0.0/0', 1024, 65535),
      rule(200, 'allow', '-1', '10.2.0.0/16', 0, 0),
      rule(210, 'allow', '-1', '10.3.0.0/16', 0, 0),
    ]);
    for (const name of ['dev-public', 'dev-private']) expect(acl(name).egress).toMatchObject([rule(100, 'allow', '-1', '0.0.0.0/0', 0, 0)]);
    expect(acl('dev-private').subnet_ids).toHaveLength(2);
    expect(out.json.import).toBeUndefined();
  });
});

describe('the baseline security group', () => {
  const groupOf = (peerCidrs: string[]) =>
    synthScope(
      (scope) =>
        new BaselineSecurityGroup(scope, 'baseline', {
          name: 'dev-baseline',
          vpcId: 'vpc-1',
          rules:
            peerCidrs.length === 0
              ? []
              : [
                  { ports: { from: 443, to: 443 }, prefixes: peerCidrs },
                  { ports: { from: 8000, to: 8099 }, prefixes: peerCidrs },
                ],
        }),
    ).one('aws_security_group');

  it('admits the listed TCP ports from the peered VPCs only, and lets workloads reach anywhere', () => {
    const group = groupOf(['10.2.0.0/16']);
    expect(group.ingress.map((rule: any) => [rule.description, rule.protocol, rule.from_port, rule.to_port, rule.cidr_blocks])).toEqual([
      ['TCP 443 from the peered VPCs', 'tcp', 443, 443, ['10.2.0.0/16']],
      ['TCP 8000-8099 from the peered VPCs', 'tcp', 8000, 8099, ['10.2.0.0/16']],
    ]);
    expect(group.egress).toEqual([expect.objectContaining({ protocol: '-1', cidr_blocks: ['0.0.0.0/0'] })]);
  });

  it('admits each port range from the peers it is open to alone', () => {
    const group = synthScope(
      (scope) =>
        new BaselineSecurityGroup(scope, 'baseline', {
          name: 'qa-baseline',
          vpcId: 'vpc-1',
          rules: [
            { ports: { from: 8080, to: 8080 }, prefixes: ['10.1.0.0/16'] },
            { ports: { from: 443, to: 443 }, prefixes: ['10.3.0.0/16'] },
          ],
        }),
    ).one('aws_security_group');
    expect(group.ingress.map((rule: any) => [rule.from_port, rule.cidr_blocks])).toEqual([
      [8080, ['10.1.0.0/16']],
      [443, ['10.3.0.0/16']],
    ]);
  });

  it('without peers, admits nothing', () => {
    expect(groupOf([]).ingress).toEqual([]);
  });
});

it('NAT gateways: one per placement with its own address, the default route of each table it serves', () => {
  const out = synthScope(
    (scope) =>
      new NatGateways(scope, 'nat', {
        name: 'dev',
        gateways: [
          { key: 'a', subnetId: 'subnet-a', routeTables: [{ key: 'private-a', id: 'rtb-a' }] },
          { key: 'b', subnetId: 'subnet-b', routeTables: [{ key: 'private-b', id: 'rtb-b' }] },
        ],
      }),
  );
  const gateways = out.byId('aws_nat_gateway');
  expect(Object.values(gateways).map((gateway) => [gateway.subnet_id, gateway.tags.Name])).toEqual([
    ['subnet-a', 'dev-nat-a'],
    ['subnet-b', 'dev-nat-b'],
  ]);
  expect(out.all('aws_eip').map((address) => address.domain)).toEqual(['vpc', 'vpc']);
  expect(out.all('aws_route').map((route) => [route.route_table_id, route.destination_cidr_block, route.nat_gateway_id])).toEqual(
    Object.keys(gateways).map((id, index) => [`rtb-${'ab'[index]}`, '0.0.0.0/0', `\${aws_nat_gateway.${id}.id}`]),
  );
});

it('an adopted NAT gateway keeps its address, and the default route of an adopted table it already serves', () => {
  const existing = { natGatewayId: 'nat-0old', allocationId: 'eipalloc-0old' };
  const routeTables = [
    { key: 'private-a', id: 'rtb-a', existingId: 'rtb-0old' },
    { key: 'private-b', id: 'rtb-b' },
  ];
  const out = synthScope((scope) => new NatGateways(scope, 'nat', { name: 'dev', gateways: [{ key: 'a', subnetId: 'subnet-a', routeTables, existing }] }));
  const imported = (out.json.import as { to: string; id: string }[]).map(({ to, id }) => [to.slice(0, to.indexOf('.')), id]).sort();
  expect(imported).toEqual([
    ['aws_eip', 'eipalloc-0old'],
    ['aws_nat_gateway', 'nat-0old'],
    ['aws_route', 'rtb-0old_0.0.0.0/0'],
  ]);
});

describe('a NAT instance', () => {
  const out = synthScope(
    (scope) =>
      new NatInstance(scope, 'nat', {
        name: 'dev',
        vpcId: 'vpc-1',
        vpcCidr: '10.1.0.0/16',
        subnetId: 'subnet-a',
        instanceType: 't4g.nano',
        imageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
        routeTables: [
          { key: 'private-a', id: 'rtb-a' },
          { key: 'private-b', id: 'rtb-b' },
        ],
      }),
  );

  it('forwards what the VPC sends (source/destination check off), admitting the VPC only', () => {
    expect(out.one('aws_instance')).toMatchObject({ subnet_id: 'subnet-a', associate_public_ip_address: true, source_dest_check: false });
    expect(out.one('aws_security_group').ingress).toEqual([expect.objectContaining({ protocol: '-1', cidr_blocks: ['10.1.0.0/16'] })]);
    const script = Buffer.from(out.one('aws_launch_template').user_data, 'base64').toString();
    expect(script).toContain("echo 'net.ipv4.ip_forward = 1'");
    expect(script).toContain('-j MASQUERADE');
  });

  it('requires IMDSv2, encrypts its volume, and takes the AMI the parameter names at each launch', () => {
    expect(out.one('aws_launch_template')).toMatchObject({
      image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      metadata_options: { http_endpoint: 'enabled', http_tokens: 'required' },
      block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: 'true', volume_type: 'gp3', delete_on_termination: 'true' } }],
    });
  });

  it('is the default route of every table it serves', () => {
    expect(
      out
        .all('aws_route')
        .map((route) => [route.route_table_id, route.destination_cidr_block, route.network_interface_id])
        .sort(),
    ).toEqual([
      ['rtb-a', '0.0.0.0/0', out.reference('aws_instance', 'primary_network_interface_id')],
      ['rtb-b', '0.0.0.0/0', out.reference('aws_instance', 'primary_network_interface_id')],
    ]);
  });
});

describe('flow logs', () => {
  const out = synthScope(
    (scope) =>
      new FlowLogs(scope, 'flow-logs', {
        partition: 'aws',
        vpcId: 'vpc-1',
        bucketName: 'test-flow-logs',
        accountId: '222222222222',
        region: 'eu-west-1',
        retentionDays: 30,
        name: 'dev',
      }),
  );
  const policy = out.one('aws_s3_bucket_policy').policy;

  it("go to a private bucket of the account, expired after the retention, written by this account's log delivery only", () => {
    expect(out.one('aws_s3_bucket_lifecycle_configuration').rule).toEqual([expect.objectContaining({ expiration: [{ days: 30 }] })]);
    expect(statementOf(policy, 'AWSLogDeliveryWrite')).toMatchObject({
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Resource: 'arn:aws:s3:::test-flow-logs/AWSLogs/222222222222/*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '222222222222', 's3:x-amz-acl': 'bucket-owner-full-control' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:222222222222:*' },
      },
    });
  });

  it('record all traffic of the VPC, once the bucket policy lets them', () => {
    expect(out.one('aws_flow_log')).toMatchObject({
      vpc_id: 'vpc-1',
      traffic_type: 'ALL',
      log_destination_type: 's3',
      log_destination: 'arn:aws:s3:::test-flow-logs',
      max_aggregation_interval: 600,
      depends_on: [`aws_s3_bucket_policy.${Object.keys(out.byId('aws_s3_bucket_policy'))[0]}`],
    });
  });
});

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
