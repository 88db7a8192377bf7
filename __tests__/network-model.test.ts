// The network as the description resolves it, without terraform: CIDR arithmetic, each account's VPC
// (zones, subnets, peers' prefixes), and the networks AWS would refuse, named with file and field.
import fc from 'fast-check';
import { aggregateCidrs, allocateBlocks, blockSize, cidrContains, cidrsOverlap, type Cidr, coveringPrefixes, formatCidr, parseCidr } from '../description/cidr';
import { loadOrganization } from '../description/load';
import type { Organization } from '../description/model';
import { generateOrganization } from '../scripts/lib/generate-org';
import { amazonLinuxImage } from '../stacks/network';
import { DEFAULT_ORG, editedOrg, problemsOf, scratchDir } from './helpers';
import { PLANNED_ORGS } from './setup/planned';

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
