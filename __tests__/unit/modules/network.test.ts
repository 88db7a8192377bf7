// modules/network: the VPC and its subnets (created or adopted), network ACLs, the baseline security group,
// NAT (gateways or an instance) and flow logs; connectivity between VPCs is network-connectivity.test.ts.
import { Buffer } from 'node:buffer';
import { BaselineSecurityGroup } from '../../../modules/network/baseline-security-group';
import { FlowLogs } from '../../../modules/network/flow-logs';
import { NatGateways } from '../../../modules/network/nat-gateways';
import { NatInstance } from '../../../modules/network/nat-instance';
import { NetworkAcls } from '../../../modules/network/network-acls';
import { VpcNetwork } from '../../../modules/network/vpc';
import { statementOf, synthScope } from '../synth-scope';
import { vpcIn, ZONES } from '../network-vpc';

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
