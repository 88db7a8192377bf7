// The network: CIDR arithmetic, each account's VPC as described, the errors for networks AWS would
// refuse, and the peering mesh of organizations of 3, 5 and 10 accounts, followed reference by reference
// through the synthesized stacks.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { aggregateCidrs, allocateBlocks, blockSize, cidrContains, cidrsOverlap, type Cidr, coveringPrefixes, formatCidr, parseCidr } from '../description/cidr';
import { loadOrganization } from '../description/load';
import type { Organization } from '../description/model';
import { FIXED_ROUTES_PER_TABLE, PRIVATE_ACL_FIXED_INBOUND_RULES } from '../description/network';
import { generateOrganization, MAX_GENERATED_ACCOUNTS } from '../scripts/lib/generate-org';
import { amazonLinuxImage } from '../stacks/network';
import { VPC_PEERING_STACK } from '../stacks/vpc-peering-stack';
import { DEFAULT_ORG, editedOrg, problemsOf, scratchDir, type Synthesized } from './helpers';
import { PLANNED_ORGS, plannedOrg, synthesizedOrg, TEN_ACCOUNTS, TEN_ACCOUNTS_DIR } from './setup/planned';
import { type Instance, SynthesizedReferences } from './synthesized-references';

const cidr = (text: string): Cidr => parseCidr(text)!;
const addresses = (blocks: readonly Cidr[]) => blocks.reduce((sum, block) => sum + blockSize(block.prefix), 0);

describe('CIDR arithmetic', () => {
  // Blocks of a small universe (10.0.0.0/24 split down to /30s) keep brute force cheap and collisions likely.
  const block = fc.tuple(fc.integer({ min: 26, max: 30 }), fc.nat()).map(([prefix, index]) => {
    const size = blockSize(prefix);
    return { base: cidr('10.0.0.0/24').base + (index % (256 / size)) * size, prefix };
  });
  const disjoint = fc
    .array(block, { maxLength: 12 })
    .map((blocks) => blocks.filter((candidate, index) => blocks.slice(0, index).every((other) => !cidrsOverlap(candidate, other))));

  it('allocates blocks inside the VPC, disjoint, of the sizes asked, exactly when they fit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 24 }), fc.array(fc.integer({ min: 16, max: 28 }), { maxLength: 12 }), (vpcPrefix, prefixes) => {
        const vpc = cidr(`10.0.0.0/${vpcPrefix}`);
        const blocks = allocateBlocks(vpc, prefixes);
        const fits = prefixes.every((prefix) => prefix >= vpcPrefix) && addresses(prefixes.map((prefix) => ({ base: 0, prefix }))) <= blockSize(vpcPrefix);
        expect(blocks !== undefined).toBe(fits);
        if (!blocks) return;
        expect(blocks.map((b) => b.prefix)).toEqual(prefixes);
        blocks.forEach((b, index) => {
          expect(cidrContains(vpc, b)).toBe(true);
          expect(parseCidr(formatCidr(b))).toEqual(b); // aligned: no host bits
          for (const other of blocks.slice(index + 1)) expect(cidrsOverlap(b, other)).toBe(false);
        });
      }),
    );
  });

  /** Two blocks that are the halves of one parent, which one prefix would cover instead. */
  const siblings = (a: Cidr, b: Cidr) =>
    a.prefix === b.prefix && Math.abs(a.base - b.base) === blockSize(a.prefix) && Math.min(a.base, b.base) % blockSize(a.prefix - 1) === 0;

  it('aggregates blocks into the fewest prefixes covering exactly the same addresses', () => {
    fc.assert(
      fc.property(disjoint, (blocks) => {
        const aggregate = aggregateCidrs(blocks);
        expect(addresses(aggregate)).toBe(addresses(blocks));
        for (const b of blocks) expect(aggregate.some((a) => cidrContains(a, b))).toBe(true);
        for (const a of aggregate) for (const b of aggregate) if (a !== b) expect(cidrsOverlap(a, b) || siblings(a, b)).toBe(false);
      }),
    );
  });

  it("covers the peers with maximal prefixes of the organization's addresses, one per block that holds a peer", () => {
    fc.assert(
      fc.property(
        disjoint.filter((blocks) => blocks.length >= 2),
        fc.nat(),
        (organization, ownIndex) => {
          const own = organization[ownIndex % organization.length];
          const peers = organization.filter((b) => b !== own);
          const covering = coveringPrefixes(peers, organization);
          const inside = (c: Cidr) => addresses(aggregateCidrs([...organization, c])) === addresses(organization);
          for (const peer of peers) expect(covering.some((c) => cidrContains(c, peer))).toBe(true);
          for (const c of covering) {
            expect(inside(c)).toBe(true);
            // Maximal: its parent holds an address outside the organization. Every prefix inside the
            // organization lies in exactly one such block, so a cover needs one per block holding a peer.
            expect(inside({ base: c.base - (c.base % blockSize(c.prefix - 1)), prefix: c.prefix - 1 })).toBe(false);
            expect(peers.some((peer) => cidrsOverlap(c, peer))).toBe(true);
          }
        },
      ),
    );
  });

  it('covers the peers with as few prefixes as the best cover an exhaustive search finds', () => {
    // Every organization of /30 blocks in a /28 and every own VPC in it, against every set of prefixes of the /28.
    const quarter = (index: number) => ({ base: cidr('10.0.0.0/28').base + 4 * index, prefix: 30 });
    const prefixes = [cidr('10.0.0.0/28'), cidr('10.0.0.0/29'), cidr('10.0.0.8/29'), ...[0, 1, 2, 3].map(quarter)];
    let cases = 0;
    for (let members = 0; members < 16; members++) {
      const organization = [0, 1, 2, 3].filter((index) => members & (1 << index)).map(quarter);
      for (const own of organization.length >= 2 ? organization : []) {
        const peers = organization.filter((b) => b !== own);
        const allowed = prefixes.filter((p) => organization.filter((o) => cidrContains(p, o)).length * 4 === blockSize(p.prefix));
        let best = Infinity;
        for (let subset = 1; subset < 1 << allowed.length; subset++) {
          const chosen = allowed.filter((_, index) => subset & (1 << index));
          if (peers.every((peer) => chosen.some((c) => cidrContains(c, peer)))) best = Math.min(best, chosen.length);
        }
        expect(coveringPrefixes(peers, organization)).toHaveLength(best);
        cases++;
      }
    }
    expect(cases).toBe(28);
  });

  it('summarizes a 49-VPC organization of /16s into 7 prefixes for the network ACLs', () => {
    const organization = Array.from({ length: 49 }, (_, index) => cidr(`10.${index + 1}.0.0/16`));
    const covering = coveringPrefixes(organization.slice(1), organization).map(formatCidr);
    expect(covering).toEqual(['10.2.0.0/15', '10.4.0.0/14', '10.8.0.0/13', '10.16.0.0/12', '10.32.0.0/12', '10.48.0.0/15']);
  });
});

describe("an account's VPC, as the description resolves it", () => {
  const org = loadOrganization(DEFAULT_ORG);
  const five = loadOrganization(PLANNED_ORGS['five-accounts']);
  const vpcOf = (o: Organization, name: string) => o.network.vpcs.find((vpc) => vpc.name === name)!.vpc;

  it('lays out private and public subnets per zone from the VPC CIDR, zones named from the region', () => {
    expect(vpcOf(org, 'dev').zones).toEqual([
      { name: 'us-east-1a', privateSubnet: '10.10.0.0/18', publicSubnet: '10.10.128.0/20' },
      { name: 'us-east-1b', privateSubnet: '10.10.64.0/18', publicSubnet: '10.10.144.0/20' },
    ]);
    expect(vpcOf(five, 'staging').zones.map((zone) => [zone.name, zone.privateSubnet, zone.publicSubnet])).toEqual([
      ['eu-west-1a', '172.17.0.0/18', '172.17.192.0/20'],
      ['eu-west-1b', '172.17.64.0/18', '172.17.208.0/20'],
      ['eu-west-1c', '172.17.128.0/18', '172.17.224.0/20'],
    ]);
    // Zones and sizes as described.
    expect(vpcOf(five, 'identity').zones).toEqual([{ name: 'eu-west-1b', privateSubnet: '172.19.0.0/22', publicSubnet: '172.19.4.0/24' }]);
  });

  it('defaults to a NAT instance, flow logs kept 90 days, and admits no peer port unless listed', () => {
    const file = loadOrganization(editedOrg({ 'dev.yaml': (dev) => (dev.vpc = { cidr: '10.10.0.0/16' }) }));
    expect(vpcOf(file, 'dev')).toMatchObject({
      egress: 'nat-instance',
      natInstanceType: 't4g.nano',
      flowLogs: { enabled: true, retentionDays: 90 },
      peerPorts: [],
    });
    expect(vpcOf(five, 'staging').peerPorts).toEqual([
      { from: 443, to: 443 },
      { from: 8000, to: 8100 },
    ]);
  });

  it("admits peers by prefixes that summarize the organization's VPCs, and security groups by exactly the peers", () => {
    expect(vpcOf(five, 'staging')).toMatchObject({
      peerAclPrefixes: ['172.16.0.0/15', '172.18.0.0/16', '172.19.0.0/20', '172.20.0.0/24'],
      peerSecurityGroupRules: [443, '8000-8100'].map((port) => ({
        ports: typeof port === 'number' ? { from: port, to: port } : { from: 8000, to: 8100 },
        prefixes: ['172.16.0.0/16', '172.18.0.0/16', '172.19.0.0/20', '172.20.0.0/24'],
      })),
    });
  });

  it('holds the mesh as data: the connections, and each route by table, destination and connection', () => {
    expect(org.network.connections).toEqual([
      { requester: 'dev', accepter: 'prod' },
      { requester: 'dev', accepter: 'qa' },
      { requester: 'prod', accepter: 'qa' },
    ]);
    expect(vpcOf(org, 'qa').routes.filter((route) => 'peer' in route && route.peer === 'prod')).toEqual(
      ['public', 'private-us-east-1a', 'private-us-east-1b'].map((table) => ({
        table,
        destination: '10.30.0.0/16',
        peer: 'prod',
        connection: { requester: 'prod', accepter: 'qa' },
      })),
    );
  });

  it("connects only the pairs the connectivity rules allow, by environment, admitting the rule's ports or else the VPC's own", () => {
    const ruled = loadOrganization(
      editedOrg({
        'organization.yaml': (file: any) =>
          (file.network = {
            connectivity: [
              { between: [{ environment: 'dev' }, { environment: 'qa' }], ports: [8080] },
              { between: [{ environment: 'qa' }, { environment: 'prod' }] },
            ],
          }),
      }),
    );
    expect(Object.fromEntries(ruled.network.vpcs.map((account) => [account.name, account.vpc.peers]))).toEqual({
      dev: ['qa'],
      prod: ['qa'],
      qa: ['dev', 'prod'],
    });
    expect(ruled.network.connections).toEqual([
      { requester: 'dev', accepter: 'qa' },
      { requester: 'prod', accepter: 'qa' },
    ]);
    expect(vpcOf(ruled, 'qa').peerSecurityGroupRules).toEqual([
      { ports: { from: 8080, to: 8080 }, prefixes: ['10.10.0.0/16'] },
      { ports: { from: 443, to: 443 }, prefixes: ['10.30.0.0/16'] },
    ]);
    // dev's ACL admits qa alone: no prefix of its reaches prod's addresses, and it routes nowhere else.
    expect(vpcOf(ruled, 'dev').peerAclPrefixes).toEqual(['10.20.0.0/16']);
    expect(new Set(vpcOf(ruled, 'dev').routes.map((route) => route.destination))).toEqual(new Set(['10.20.0.0/16']));
  });

  it("runs the NAT instance on Amazon Linux 2023 for the instance type's architecture", () => {
    expect(['t4g.nano', 'c7gn.large', 'm6gd.xlarge', 'a1.medium'].map(amazonLinuxImage)).toEqual(
      Array(4).fill('resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64'),
    );
    expect(['t3.nano', 'g4dn.xlarge', 'm7i.large'].map(amazonLinuxImage)).toEqual(
      Array(3).fill('resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'),
    );
  });
});

describe('a network AWS would refuse', () => {
  it.each([
    [
      'a VPC larger than AWS allows',
      { 'qa.yaml': (qa: any) => (qa.vpc.cidr = '10.0.0.0/8') },
      ['qa.yaml: vpc.cidr "10.0.0.0/8" is not a VPC size AWS accepts (/16 to /28)'],
    ],
    [
      'subnets that do not fit',
      { 'qa.yaml': (qa: any) => (qa.vpc.subnets = { private: 17, public: 20 }) },
      [
        'qa.yaml: vpc.subnets 2 private /17 and 2 public /20 subnets need 73,728 addresses; the VPC "10.20.0.0/16" has 65,536: use longer prefixes in vpc.subnets, fewer zones, or a larger VPC',
      ],
    ],
    [
      'a VPC too small for the default subnets',
      { 'qa.yaml': (qa: any) => (qa.vpc.cidr = '10.20.0.0/26') },
      [
        'qa.yaml: vpc.subnets come to private /28 and public /30 in the VPC "10.20.0.0/26" with 2 zone(s), smaller than AWS allows (/28): set vpc.subnets.private and vpc.subnets.public, or use a VPC of /24 or larger',
      ],
    ],
    [
      'zones outside the home region, or listed twice',
      { 'qa.yaml': (qa: any) => (qa.vpc.zones = ['us-west-2a', 'us-east-1b', 'us-east-1b']) },
      [
        'qa.yaml: vpc.zones[0] "us-west-2a" is not in the home region us-east-1 (homeRegion in organization.yaml)',
        'qa.yaml: vpc.zones[2] "us-east-1b" is listed twice',
      ],
    ],
    [
      'zones and a zone count that disagree',
      { 'qa.yaml': (qa: any) => Object.assign(qa.vpc, { azs: 3, zones: ['us-east-1a', 'us-east-1b'] }) },
      ['qa.yaml: vpc.azs is 3 but vpc.zones lists 2 (us-east-1a, us-east-1b); give one of them, or make them agree'],
    ],
    [
      'an unknown egress',
      { 'qa.yaml': (qa: any) => (qa.vpc.egress = 'nat') },
      ['qa.yaml: vpc.egress is "nat", expected "none" or "nat-instance" or "nat-gateway" or "nat-gateway-per-zone"'],
    ],
    [
      'a port that is not one',
      { 'qa.yaml': (qa: any) => (qa.vpc.peerPorts = [443, 'https', '90-80', 70000]) },
      [
        'qa.yaml: vpc.peerPorts[1] "https" is not a TCP port or range (e.g. 443 or "8000-8100")',
        'qa.yaml: vpc.peerPorts[2] "90-80" is not a TCP port or range (e.g. 443 or "8000-8100")',
        'qa.yaml: vpc.peerPorts[3] is 70000, expected at most 65535',
      ],
    ],
    [
      'more peering connections per VPC than the quota',
      { 'organization.yaml': (org: any) => (org.networkQuotas = { peeringConnectionsPerVpc: 1 }) },
      [
        'organization.yaml: networkQuotas.peeringConnectionsPerVpc is 1, but a VPC would be peered with 2 others (of the 3 VPCs): ask AWS to raise "Active VPC peering connections per VPC" to 2 or more in every account with a VPC (us-east-1), then set networkQuotas.peeringConnectionsPerVpc to match',
      ],
    ],
    [
      'more routes per route table than the quota',
      { 'organization.yaml': (org: any) => (org.networkQuotas = { routesPerRouteTable: 4 }) },
      [
        'organization.yaml: networkQuotas.routesPerRouteTable is 4, but a route table would hold 5 routes (2 to the VPCs it is peered with; local, the default route and the S3 endpoint): ask AWS to raise "Routes per route table" to 5 or more in every account with a VPC (us-east-1), then set networkQuotas.routesPerRouteTable to match',
      ],
    ],
    [
      'a quota above what AWS allows',
      { 'organization.yaml': (org: any) => (org.networkQuotas = { peeringConnectionsPerVpc: 200 }) },
      ['organization.yaml: networkQuotas.peeringConnectionsPerVpc is 200, expected at most 125'],
    ],
  ])('%s', (_label, edits, expected) => {
    expect(problemsOf(editedOrg(edits as never))).toEqual(expected);
  });

  it('VPC CIDRs too scattered for the network ACL rules', () => {
    // 20 VPCs, every other /16: no two summarize, so each ACL needs 19 peer rules.
    const dir = scratchDir('scattered');
    generateOrganization(dir, 21);
    const edits = Object.fromEntries(
      Array.from({ length: 20 }, (_, index) => [
        `${['dev', 'qa', 'prod'][index] ?? `workload-${String(index + 2).padStart(2, '0')}`}.yaml`,
        (account: any) => (account.vpc.cidr = `10.${2 * index}.0.0/16`),
      ]),
    );
    const problems = problemsOf(editedOrg(edits, dir));
    expect(problems).toHaveLength(20);
    expect(problems[0]).toBe(
      'dev.yaml: vpc.cidr "10.0.0.0/16": the private network ACL would need 23 inbound rules (19 prefixes to admit the VPCs it may reach, which summarize no further, plus 4 fixed), more than networkQuotas.networkAclRulesPerDirection (20): ' +
        'allocate the VPC CIDRs from one contiguous range so that they summarize, or ask AWS to raise "Rules per network ACL" (at most 40) and set networkQuotas.networkAclRulesPerDirection to match',
    );
    // Raised to what the rules need, the same organization is accepted.
    expect(() =>
      loadOrganization(editedOrg({ 'organization.yaml': (org: any) => (org.networkQuotas = { networkAclRulesPerDirection: 23 }) }, editedOrg(edits, dir))),
    ).not.toThrow();
  });

  it('more baseline security group rules than the quota', () => {
    const ports = Array.from({ length: 31 }, (_, index) => 8000 + index);
    expect(problemsOf(editedOrg({ 'qa.yaml': (qa: any) => (qa.vpc.peerPorts = ports) }))).toEqual([
      'qa.yaml: vpc.peerPorts would need 62 inbound rules in the baseline security group (31 port ranges x the prefixes covering the VPCs each is open to), more than networkQuotas.securityGroupRulesPerDirection (60): ' +
        'list fewer ports (a range such as "8000-8100" is one), allocate the VPC CIDRs from one contiguous range, or ask AWS to raise "Inbound or outbound rules per security group" and set networkQuotas.securityGroupRulesPerDirection to match',
    ]);
  });

  it('counts the VPCs of accounts not created yet: the mesh must fit once they are', () => {
    expect(
      problemsOf(editedOrg({ 'qa.yaml': (qa: any) => delete qa.id, 'organization.yaml': (org: any) => (org.networkQuotas = { peeringConnectionsPerVpc: 1 }) })),
    ).toEqual([expect.stringContaining('a VPC would be peered with 2 others (of the 3 VPCs)')]);
  });
});

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
