// The network as synthesized and planned (the model's side is network-model.test.ts): the peering mesh
// of organizations of 3, 5 and 10 accounts, followed reference by reference through the synthesized
// stacks, and the default and five-accounts organizations' networks as planned.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { cidrContains, type Cidr, parseCidr } from '../description/cidr';
import { loadOrganization } from '../description/load';
import type { Organization } from '../description/model';
import { FIXED_ROUTES_PER_TABLE, PRIVATE_ACL_FIXED_INBOUND_RULES } from '../description/network';
import { generateOrganization, MAX_GENERATED_ACCOUNTS } from '../scripts/lib/generate-org';
import { VPC_PEERING_STACK } from '../stacks/vpc-peering-stack';
import { DEFAULT_ORG, scratchDir, type Synthesized } from './helpers';
import { PLANNED_ORGS, plannedOrg, synthesizedOrg, TEN_ACCOUNTS, TEN_ACCOUNTS_DIR } from './setup/planned';
import { type Instance, SynthesizedReferences } from './synthesized-references';

const cidr = (text: string): Cidr => parseCidr(text)!;

/** The mesh as the synthesized stacks build it, every reference followed. */
function meshOf(synthesized: { org: Organization; stacks: Synthesized['stacks'] }) {
  const references = new SynthesizedReferences(synthesized.stacks);
  const accountOf = (instance: Instance) => {
    const id = references.providerAccount(VPC_PEERING_STACK, instance.provider);
    return synthesized.org.accounts.find((account) => account.id === id)!.name;
  };
  const all = (type: string) => references.instances(VPC_PEERING_STACK, type).map((instance) => ({ instance, account: accountOf(instance) }));
  const vpcId = (account: string) => references.instances(account, 'aws_vpc')[0].resource.attribute('id');
  return {
    references,
    connections: all('aws_vpc_peering_connection'),
    accepters: all('aws_vpc_peering_connection_accepter'),
    options: all('aws_vpc_peering_connection_options'),
    routes: all('aws_route'),
    vpcId,
    routeTableIds: (account: string) =>
      references
        .instances(account, 'aws_route_table')
        .map((table) => table.resource.attribute('id'))
        .sort(),
  };
}

const organizations: [string, () => Promise<{ org: Organization; stacks: Synthesized['stacks'] }>][] = [
  ['the default organization (3 VPCs)', async () => ({ org: loadOrganization(DEFAULT_ORG), stacks: [...plannedOrg('default').values()].map(toSynthesized) })],
  [
    'the five-accounts organization (5 VPCs)',
    async () => ({ org: loadOrganization(PLANNED_ORGS['five-accounts']), stacks: [...plannedOrg('five-accounts').values()].map(toSynthesized) }),
  ],
  ['a generated organization of 10 accounts (9 VPCs)', async () => ({ org: loadOrganization(TEN_ACCOUNTS_DIR), stacks: synthesizedOrg(TEN_ACCOUNTS.name) })],
];

function toSynthesized(stack: ReturnType<typeof plannedOrg> extends Map<string, infer S> ? S : never) {
  return { name: stack.check.stack, dependencies: stack.dependencies, dir: '', file: '', json: stack.json };
}

describe.each(organizations)('the peering mesh of %s', (_label, load) => {
  let mesh: ReturnType<typeof meshOf>;
  let vpcs: Organization['network']['vpcs'];
  beforeAll(async () => {
    const synthesized = await load();
    vpcs = synthesized.org.network.vpcs;
    mesh = meshOf(synthesized);
  });
  const pairs = () => vpcs.flatMap((a, index) => vpcs.slice(index + 1).map((b) => [a.name, b.name] as const));

  it('has exactly n(n-1)/2 connections, one per pair, each requested by one side and accepted by the other', () => {
    const nameOfVpc = new Map(vpcs.map((vpc) => [mesh.vpcId(vpc.name), vpc.name]));
    const pairOf = (instance: Instance) => [nameOfVpc.get(instance.get('vpc_id') as string)!, nameOfVpc.get(instance.get('peer_vpc_id') as string)!];
    expect(mesh.connections).toHaveLength((vpcs.length * (vpcs.length - 1)) / 2);
    expect(new Set(mesh.connections.map(({ instance }) => pairOf(instance).sort().join(' ')))).toEqual(
      new Set(pairs().map((pair) => [...pair].sort().join(' '))),
    );
    for (const { instance: connection, account } of mesh.connections) {
      const [requester, accepter] = pairOf(connection);
      // Requested from the account of the VPC it starts from; accepted once, automatically, by the other.
      expect(account).toBe(requester);
      expect(connection.get('peer_owner_id')).toBe(vpcs.find((vpc) => vpc.name === accepter)!.id);
      const accepted = mesh.accepters.filter(({ instance }) => instance.get('vpc_peering_connection_id') === connection.resource.attribute('id'));
      expect(accepted.map(({ account: side, instance }) => [side, instance.get('auto_accept')])).toEqual([[accepter, true]]);
    }
    expect(mesh.accepters).toHaveLength(mesh.connections.length);
  });

  it("allows DNS resolution across every connection, on each side by that side's provider", () => {
    for (const { instance: accepter, account: accepterAccount } of mesh.accepters) {
      const connectionId = accepter.resource.attribute('id');
      const requester = mesh.connections.find(({ instance }) => accepter.get('vpc_peering_connection_id') === instance.resource.attribute('id'))!.account;
      const options = mesh.options.filter(({ instance }) => instance.get('vpc_peering_connection_id') === connectionId);
      expect(
        options
          .map(({ account, instance }) => ({ account, requester: instance.get('requester'), accepter: instance.get('accepter') }))
          .sort((x, y) => x.account.localeCompare(y.account)),
      ).toEqual(
        [
          { account: requester, requester: { allow_remote_vpc_dns_resolution: true }, accepter: undefined },
          { account: accepterAccount, requester: undefined, accepter: { allow_remote_vpc_dns_resolution: true } },
        ].sort((x, y) => x.account.localeCompare(y.account)),
      );
    }
    expect(mesh.options).toHaveLength(2 * mesh.connections.length);
  });

  it("routes, for every ordered pair (a, b) and every route table of a, once to b's CIDR through the a-b connection", () => {
    const connectionBetween = (a: string, b: string) => {
      const connection = mesh.connections.find(({ instance }) =>
        [a, b].every((name) => [instance.get('vpc_id'), instance.get('peer_vpc_id')].includes(mesh.vpcId(name))),
      )!;
      return mesh.accepters
        .find(({ instance }) => instance.get('vpc_peering_connection_id') === connection.instance.resource.attribute('id'))!
        .instance.resource.attribute('id');
    };
    let checked = 0;
    for (const a of vpcs) {
      const tables = mesh.routeTableIds(a.name);
      expect(tables).toHaveLength(1 + a.vpc.zones.length);
      for (const b of vpcs.filter((vpc) => vpc !== a)) {
        for (const table of tables) {
          const routes = mesh.routes.filter(
            ({ instance }) => instance.get('route_table_id') === table && instance.get('destination_cidr_block') === b.vpc.cidr,
          );
          expect(routes.map(({ account, instance }) => [account, instance.get('vpc_peering_connection_id')])).toEqual([
            [a.name, connectionBetween(a.name, b.name)],
          ]);
          checked++;
        }
      }
    }
    expect(mesh.routes).toHaveLength(checked);
  });

  it('routes no VPC to its own CIDR, in any stack', () => {
    for (const vpc of vpcs) {
      for (const stack of [vpc.name, VPC_PEERING_STACK]) {
        const own = mesh.references
          .instances(stack, 'aws_route')
          .filter(({ get }) => get('destination_cidr_block') === vpc.vpc.cidr && mesh.routeTableIds(vpc.name).includes(get('route_table_id') as string));
        expect(own).toEqual([]);
      }
    }
  });

  it('fits the route tables, network ACLs and security groups in the default AWS quotas the checks count with', () => {
    for (const vpc of vpcs) {
      const stack = vpc.name;
      const routesPerTable = mesh.routeTableIds(stack).map(
        (table) =>
          [...mesh.references.instances(stack, 'aws_route'), ...mesh.routes.map(({ instance }) => instance)].filter(
            ({ get }) => get('route_table_id') === table,
          ).length +
          (mesh.references.instances(stack, 'aws_vpc_endpoint')[0].get('route_table_ids') as string[]).filter((id) => id === table).length +
          1, // local
      );
      expect(Math.max(...routesPerTable)).toBe(vpcs.length - 1 + FIXED_ROUTES_PER_TABLE);
      const privateAcl = mesh.references
        .instances(stack, 'aws_network_acl')
        .find(({ get }) => (get('tags') as Record<string, string>).Name === `${stack}-private`)!;
      const inboundRules = (privateAcl.get('ingress') as unknown[]).length + 1; // and the default deny
      expect(inboundRules).toBe(PRIVATE_ACL_FIXED_INBOUND_RULES + vpc.vpc.peerAclPrefixes.length);
      expect(inboundRules).toBeLessThanOrEqual(20);
      // The public ACL's rules are fixed by the stacks, not grown by the description: the checks need not
      // count them, as long as they fit the least quota the description may set (20).
      const publicAcl = mesh.references
        .instances(stack, 'aws_network_acl')
        .find(({ get }) => (get('tags') as Record<string, string>).Name === `${stack}-public`)!;
      expect((publicAcl.get('ingress') as unknown[]).length + 1).toBeLessThanOrEqual(20);
      const baseline = mesh.references.instances(stack, 'aws_security_group').find(({ get }) => get('name') === `${stack}-baseline`)!;
      const securityGroupRules = (baseline.get('ingress') as { cidr_blocks: string[] }[]).reduce((sum, rule) => sum + rule.cidr_blocks.length, 0);
      expect(securityGroupRules).toBe(vpc.vpc.peerSecurityGroupRules.reduce((sum, rule) => sum + rule.prefixes.length, 0));
      expect(securityGroupRules).toBeLessThanOrEqual(60);
    }
  });
});

describe("the default organization's networks, as planned", () => {
  const stacks = plannedOrg('default');
  const planned = (stack: string, type: string) => stacks.get(stack)!.resources.filter((resource) => resource.type === type);

  it('deploys the mesh after every stack with a VPC, and nothing waits for it', () => {
    expect(stacks.get(VPC_PEERING_STACK)!.dependencies).toEqual(['dev', 'prod', 'qa']);
    for (const [name, stack] of stacks) if (name !== VPC_PEERING_STACK) expect(stack.dependencies).not.toContain(VPC_PEERING_STACK);
  });

  it('plans the mesh with a provider per account, each assuming the deploy role there', () => {
    const roles = new Set(stacks.get(VPC_PEERING_STACK)!.check.assumedRoles.map((role) => `${role.roleArn} as ${role.sessionName}`));
    expect([...roles].sort()).toEqual(
      ['222222222222', '333333333333', '444444444444'].map((id) => `arn:aws:iam::${id}:role/OrganizationAccountAccessRole as cdktf-webomates-vpc-peering`),
    );
  });

  it('gives every private subnet a route table of its own, its default route through the NAT instance', () => {
    const tables = planned('dev', 'aws_route_table');
    expect(tables.map((table) => table.values.tags.Name).sort()).toEqual(['dev-private-us-east-1a', 'dev-private-us-east-1b', 'dev-public']);
    const defaults = planned('dev', 'aws_route').filter((route) => route.values.destination_cidr_block === '0.0.0.0/0');
    expect(defaults.filter((route) => route.address.includes('nat-instance'))).toHaveLength(2);
    expect(defaults.filter((route) => route.address.includes('public-internet-route'))).toHaveLength(1);
  });

  it('runs the NAT instance from a launch template: latest Amazon Linux on Graviton, IMDSv2, encrypted disk, forwarding', () => {
    const [template] = planned('dev', 'aws_launch_template');
    expect(template.values).toMatchObject({
      image_id: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      instance_type: 't4g.nano',
      metadata_options: [expect.objectContaining({ http_tokens: 'required' })],
      block_device_mappings: [expect.objectContaining({ ebs: [expect.objectContaining({ encrypted: 'true' })] })],
    });
    const script = Buffer.from(template.values.user_data, 'base64').toString();
    expect(script).toMatch(/net\.ipv4\.ip_forward = 1/);
    expect(script).toMatch(/iptables -t nat -A POSTROUTING -o "\$interface" -j MASQUERADE/);
    expect(planned('dev', 'aws_instance')[0].values).toMatchObject({ source_dest_check: false, associate_public_ip_address: true });
  });

  it('sets explicit network ACL rules: no SSH nor RDP, web and return traffic to public subnets; the VPC, return traffic and the peers to private ones', () => {
    const rules = (name: string) =>
      planned('qa', 'aws_network_acl')
        .find((acl) => acl.values.tags.Name === name)!
        .values.ingress.map((rule: any) => `${rule.rule_no} ${rule.action} ${rule.protocol} ${rule.cidr_block} ${rule.from_port}-${rule.to_port}`)
        .sort();
    expect(rules('qa-public')).toEqual([
      '100 allow -1 10.20.0.0/16 0-0',
      '110 deny tcp 0.0.0.0/0 22-22',
      '120 deny tcp 0.0.0.0/0 3389-3389',
      '130 allow tcp 0.0.0.0/0 80-80',
      '140 allow tcp 0.0.0.0/0 443-443',
      '150 allow tcp 0.0.0.0/0 1024-65535',
      '160 allow udp 0.0.0.0/0 1024-65535',
    ]);
    expect(rules('qa-private')).toEqual([
      '100 allow -1 10.20.0.0/16 0-0',
      '110 allow tcp 0.0.0.0/0 1024-65535',
      '120 allow udp 0.0.0.0/0 1024-65535',
      '200 allow -1 10.10.0.0/16 0-0',
      '210 allow -1 10.30.0.0/16 0-0',
    ]);
  });

  it('admits from the peers only the listed ports, in the baseline security group; the default one is emptied', () => {
    const baseline = planned('qa', 'aws_security_group').find((group) => group.values.name === 'qa-baseline')!;
    expect(baseline.values.ingress).toEqual([
      expect.objectContaining({ protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['10.10.0.0/16', '10.30.0.0/16'] }),
    ]);
    expect(planned('qa', 'aws_default_security_group')[0].values).toMatchObject({ ingress: [], egress: [] });
  });

  it('sends flow logs to a hardened bucket of the account, expired after 90 days', () => {
    const [flowLog] = planned('prod', 'aws_flow_log');
    expect(flowLog.values).toMatchObject({ log_destination: 'arn:aws:s3:::webomates-flow-logs-444444444444', log_destination_type: 's3', traffic_type: 'ALL' });
    expect(planned('prod', 'aws_s3_bucket_public_access_block')[0].values).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(
      planned('prod', 'aws_s3_bucket_server_side_encryption_configuration')[0].values.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm,
    ).toBe('AES256');
    expect(planned('prod', 'aws_s3_bucket_lifecycle_configuration')[0].values.rule[0].expiration[0].days).toBe(90);
  });

  it("lets only this account's log delivery write flow logs to the bucket, and nobody without TLS", async () => {
    const policy = JSON.parse(planned('prod', 'aws_s3_bucket_policy')[0].values.policy);
    const deliver = (sourceAccount: string, secure: boolean) =>
      runSimulation(
        {
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: policy,
          request: {
            principal: 'delivery.logs.amazonaws.com',
            action: 's3:PutObject',
            resource: { accountId: '444444444444', resource: `arn:aws:s3:::webomates-flow-logs-444444444444/AWSLogs/${sourceAccount}/vpcflowlogs/x.log.gz` },
            contextVariables: {
              'aws:SourceAccount': sourceAccount,
              'aws:SourceArn': `arn:aws:logs:us-east-1:${sourceAccount}:*`,
              's3:x-amz-acl': 'bucket-owner-full-control',
              'aws:SecureTransport': secure ? 'true' : 'false',
            },
          },
        },
        {},
      ).then((response) => (response.resultType === 'error' ? JSON.stringify(response.errors) : response.overallResult));
    expect(await deliver('444444444444', true)).toBe('Allowed');
    expect(await deliver('444444444444', false)).toBe('ExplicitlyDenied');
    expect(await deliver('222222222222', true)).toBe('ImplicitlyDenied');
  });
});

interface PlannedAclRule {
  rule_no: number;
  action: string;
  protocol: string;
  cidr_block: string;
  from_port: number;
  to_port: number;
}

describe.each(Object.keys(PLANNED_ORGS))("the %s organization's network ACLs, as planned", (name) => {
  const acls = [...plannedOrg(name).values()].flatMap((stack) => stack.resources.filter((resource) => resource.type === 'aws_network_acl'));
  const ingress = (kind: string) =>
    acls.filter((acl) => acl.values.tags.Name.endsWith(`-${kind}`)).map((acl) => [acl.values.tags.Name, acl.values.ingress as PlannedAclRule[]] as const);
  /** What the ACL does with a TCP packet from `source`: the first rule by number that matches it decides; none, the default deny. */
  const verdict = (rules: readonly PlannedAclRule[], source: Cidr, port: number) =>
    [...rules]
      .sort((a, b) => a.rule_no - b.rule_no)
      .find(
        (rule) =>
          ['tcp', '-1'].includes(rule.protocol) &&
          cidrContains(cidr(rule.cidr_block), source) &&
          (rule.protocol === '-1' || (rule.from_port <= port && port <= rule.to_port)),
      )?.action ?? 'deny';
  const internet = cidr('203.0.113.7/32');

  it('public ones refuse SSH and RDP from outside the VPC by deny rules numbered before return traffic, and still admit the web and replies', () => {
    expect(ingress('public').length).toBeGreaterThan(0);
    for (const [acl, rules] of ingress('public')) {
      const denies = rules.filter((rule) => rule.action === 'deny');
      expect([acl, denies.map((rule) => `${rule.protocol} ${rule.cidr_block} ${rule.from_port}-${rule.to_port}`)]).toEqual([
        acl,
        ['tcp 0.0.0.0/0 22-22', 'tcp 0.0.0.0/0 3389-3389'],
      ]);
      const returnTraffic = rules.filter((rule) => rule.action === 'allow' && rule.from_port === 1024 && rule.to_port === 65535);
      expect(returnTraffic).toHaveLength(2);
      expect([acl, Math.max(...denies.map((rule) => rule.rule_no)) < Math.min(...returnTraffic.map((rule) => rule.rule_no))]).toEqual([acl, true]);
      expect([acl, [22, 3389, 443, 40000].map((port) => verdict(rules, internet, port))]).toEqual([acl, ['deny', 'deny', 'allow', 'allow']]);
      const insideVpc = { base: cidr(rules.find((rule) => rule.protocol === '-1')!.cidr_block).base + 10, prefix: 32 };
      expect([acl, [22, 3389].map((port) => verdict(rules, insideVpc, port))]).toEqual([acl, ['allow', 'allow']]);
    }
  });
});

describe("the five-accounts organization's networks, as planned: every egress choice", () => {
  const stacks = plannedOrg('five-accounts');
  const planned = (stack: string, type: string) => stacks.get(stack)!.resources.filter((resource) => resource.type === type);
  const defaultRoutes = (stack: string) => planned(stack, 'aws_route').filter((route) => route.values.destination_cidr_block === '0.0.0.0/0');

  it('none: private subnets have no default route; flow logs off: no flow log, no bucket', () => {
    expect(defaultRoutes('payer').map((route) => route.address)).toEqual([expect.stringContaining('public-internet-route')]);
    expect(planned('payer', 'aws_flow_log')).toEqual([]);
    expect(planned('payer', 'aws_s3_bucket')).toEqual([]);
  });

  it('nat-gateway: one gateway with its address for the VPC; nat-gateway-per-zone: one per zone', () => {
    expect(planned('identity', 'aws_nat_gateway')).toHaveLength(1);
    expect(planned('identity', 'aws_eip')).toHaveLength(1);
    expect(planned('production', 'aws_nat_gateway')).toHaveLength(3);
    expect(defaultRoutes('production').filter((route) => route.address.includes('nat-gateways'))).toHaveLength(3);
  });

  it('nat-instance of an x86 type takes the x86 image', () => {
    expect(planned('build', 'aws_launch_template')[0].values).toMatchObject({ instance_type: 't3.nano', image_id: expect.stringMatching(/x86_64$/) });
  });

  it('flow logs kept as long as described', () => {
    expect(planned('production', 'aws_s3_bucket_lifecycle_configuration')[0].values.rule[0].expiration[0].days).toBe(365);
  });

  it('plans the mesh of its 5 VPCs with a provider in each account: 10 connections, their options, 60 routes', () => {
    const mesh = stacks.get(VPC_PEERING_STACK)!;
    const count = (type: string) => mesh.resources.filter((resource) => resource.type === type).length;
    // 15 route tables (2 + 2 + 3 + 4 + 4), each with a route to each of the 4 peers.
    expect([
      count('aws_vpc_peering_connection'),
      count('aws_vpc_peering_connection_accepter'),
      count('aws_vpc_peering_connection_options'),
      count('aws_route'),
    ]).toEqual([10, 10, 20, 60]);
    expect(mesh.check.changes).toEqual({ add: 100, change: 0, destroy: 0 });
    expect(new Set(mesh.check.assumedRoles.map((role) => role.roleArn)).size).toBe(5);
  });
});

describe("npm run bench's generated organizations", () => {
  it('raise the AWS quotas a large mesh needs, as such an organization would have', () => {
    const dir = scratchDir('fifty');
    generateOrganization(dir, 50);
    expect(loadOrganization(dir).network.quotas).toMatchObject({ peeringConnectionsPerVpc: 50, routesPerRouteTable: 51 });
  });

  it('reach the largest mesh the quotas allow, valid, and refuse any larger', () => {
    const dir = scratchDir('largest');
    expect(generateOrganization(dir, MAX_GENERATED_ACCOUNTS)).toEqual({ peeringConnectionsPerVpc: 125, routesPerRouteTable: 128 });
    expect(loadOrganization(dir).accounts).toHaveLength(MAX_GENERATED_ACCOUNTS);
    expect(() => generateOrganization(scratchDir('too-large'), MAX_GENERATED_ACCOUNTS + 1)).toThrow(
      `generated organizations have 2 to 127 accounts, not 128: every account but the management one has a VPC, all of them peered, and AWS allows a VPC at most 125 peering connections`,
    );
  });
});
