// Chosen connectivity in both topologies, followed reference by reference through the synthesized stacks of
// generated organizations of 3, 5 and 10 accounts whose production is isolated (scripts/lib/generate-org.ts,
// isolateProduction): every allowed pair reaches each other both ways, from every route table, through
// the right hop (their peering connection, or the transit gateway whose route table for the source's
// segment learns the destination's attachment); every denied pair has no way (no route, a blackhole, or
// only the internet's), and no network ACL nor security group admits it. The hub's 5-account organization
// is also planned offline (the global setup); the 10-account ones were planned by hand (docs/network.md).
import { cidrContains, parseCidr } from '../description/cidr';
import type { NetworkedAccount, Organization } from '../description/model';
import { generateOrganization, GENERATED_NETWORK_ACCOUNT } from '../scripts/lib/generate-org';
import type { SynthesizedStack } from '../scripts/lib/synthesized';
import { TRANSIT_GATEWAY_STACK } from '../stacks/transit-gateway-stack';
import { VPC_PEERING_STACK } from '../stacks/vpc-peering-stack';
import { editedOrg, scratchDir, synthesizeOrg } from './helpers';
import { plannedOrg, synthesizedOrg } from './setup/planned';
import { type Instance, SynthesizedReferences } from './synthesized-references';

const cidr = (text: string) => parseCidr(text)!;

/** The pairs the generated rules allow, from the account files alone: both nonproduction, or prod and dev. */
function allowedByTheRules(a: NetworkedAccount, b: NetworkedAccount): boolean {
  const nonprod = (account: NetworkedAccount) => account.ou === 'Workloads/NonProd';
  return (nonprod(a) && nonprod(b)) || [a.name, b.name].sort().join(' ') === 'dev prod';
}

type Hop =
  | { readonly kind: 'peering'; readonly connection: string }
  | { readonly kind: 'transit-gateway'; readonly attachment: string }
  | { readonly kind: 'none' | 'elsewhere' };

/** What the synthesized stacks do with a packet from one VPC to another. */
function network(org: Organization, stacks: readonly SynthesizedStack[]) {
  const references = new SynthesizedReferences(stacks);
  const present = new Set(stacks.map((stack) => stack.name));
  const instances = (stack: string, type: string) => (present.has(stack) ? references.instances(stack, type) : []);
  const accountOf = (stack: string, instance: Instance) =>
    org.accounts.find((account) => account.id === references.providerAccount(stack, instance.provider))!.name;
  const tablesOf = (account: string) => references.instances(account, 'aws_route_table').map((table) => table.resource.attribute('id'));
  const routes = [
    ...org.network.vpcs.flatMap((account) => references.instances(account.name, 'aws_route').map((instance) => ({ instance, stack: account.name }))),
    ...[VPC_PEERING_STACK, TRANSIT_GATEWAY_STACK].flatMap((stack) => instances(stack, 'aws_route').map((instance) => ({ instance, stack }))),
  ];
  /** The most specific route of a table whose destination holds the address; its stack acts in the table's account. */
  const route = (table: string, address: string) =>
    routes
      .filter(({ instance }) => instance.get('route_table_id') === table && cidrContains(cidr(instance.get('destination_cidr_block') as string), cidr(address)))
      .sort((x, y) => cidr(y.instance.get('destination_cidr_block') as string).prefix - cidr(x.instance.get('destination_cidr_block') as string).prefix)[0];
  const attachments = instances(TRANSIT_GATEWAY_STACK, 'aws_ec2_transit_gateway_vpc_attachment');
  const attachmentOf = (account: NetworkedAccount) =>
    attachments.find((attachment) => attachment.get('vpc_id') === references.instances(account.name, 'aws_vpc')[0].resource.attribute('id'));
  const associations = instances(TRANSIT_GATEWAY_STACK, 'aws_ec2_transit_gateway_route_table_association');
  const propagations = instances(TRANSIT_GATEWAY_STACK, 'aws_ec2_transit_gateway_route_table_propagation');
  const gatewayRoutes = instances(TRANSIT_GATEWAY_STACK, 'aws_ec2_transit_gateway_route');
  const cidrOfAttachment = (attachment: string) => org.network.vpcs.find((account) => attachmentOf(account)?.resource.attribute('id') === attachment)?.vpc.cidr;

  /** Where the gateway sends a packet from `from`'s attachment to `address`: the most specific of its table's routes. */
  const gatewayHop = (from: NetworkedAccount, address: string): Hop => {
    const table = associations
      .find((association) => association.get('transit_gateway_attachment_id') === attachmentOf(from)!.resource.attribute('id'))!
      .get('transit_gateway_route_table_id');
    const learned = propagations
      .filter((propagation) => propagation.get('transit_gateway_route_table_id') === table)
      .flatMap((propagation) => {
        const destination = cidrOfAttachment(propagation.get('transit_gateway_attachment_id') as string);
        return destination ? [{ destination, hop: { kind: 'transit-gateway', attachment: propagation.get('transit_gateway_attachment_id') } as Hop }] : [];
      });
    const fixed = gatewayRoutes
      .filter((candidate) => candidate.get('transit_gateway_route_table_id') === table)
      .map((candidate) => ({
        destination: candidate.get('destination_cidr_block') as string,
        hop: (candidate.get('blackhole') ? { kind: 'none' } : { kind: 'transit-gateway', attachment: candidate.get('transit_gateway_attachment_id') }) as Hop,
      }));
    const best = [...learned, ...fixed]
      .filter((candidate) => cidrContains(cidr(candidate.destination), cidr(address)))
      .sort((x, y) => cidr(y.destination).prefix - cidr(x.destination).prefix)[0];
    return best?.hop ?? { kind: 'none' };
  };

  return {
    references,
    attachments,
    associations,
    propagations,
    accountOf,
    tablesOf,
    attachmentOf,
    /** From each route table of `from`, how a packet to `to`'s VPC (its first private subnet), or to an address, leaves, and in which account the route is made. */
    hops(from: NetworkedAccount, to: NetworkedAccount | string): { account: string; hop: Hop }[] {
      const address = typeof to === 'string' ? to : to.vpc.zones[0].privateSubnet;
      return tablesOf(from.name).map((table) => {
        const found = route(table, address);
        if (!found) return { account: from.name, hop: { kind: 'none' } };
        const { instance, stack } = found;
        const account = stack === from.name ? from.name : accountOf(stack, instance);
        if (instance.get('vpc_peering_connection_id'))
          return { account, hop: { kind: 'peering', connection: instance.get('vpc_peering_connection_id') as string } };
        if (instance.get('transit_gateway_id')) return { account, hop: gatewayHop(from, address) };
        // The internet gateway or a NAT: a private address is not reached that way.
        return { account, hop: { kind: 'elsewhere' } };
      });
    },
    /** The accepted connection between two VPCs, as routes name it. */
    connection(a: NetworkedAccount, b: NetworkedAccount): string | undefined {
      const vpcId = (account: NetworkedAccount) => references.instances(account.name, 'aws_vpc')[0].resource.attribute('id');
      const requested = instances(VPC_PEERING_STACK, 'aws_vpc_peering_connection').find((instance) =>
        [vpcId(a), vpcId(b)].every((id) => [instance.get('vpc_id'), instance.get('peer_vpc_id')].includes(id)),
      );
      return (
        requested &&
        instances(VPC_PEERING_STACK, 'aws_vpc_peering_connection_accepter')
          .find((instance) => instance.get('vpc_peering_connection_id') === requested.resource.attribute('id'))
          ?.resource.attribute('id')
      );
    },
    /** Whether `to`'s private network ACL admits `from` by a rule of its own (not the return traffic every address gets), and on which ports its baseline security group does. */
    admitted(from: NetworkedAccount, to: NetworkedAccount): { acl: boolean; securityGroupPorts: string[] } {
      const source = cidr(from.vpc.cidr);
      const acl = references
        .instances(to.name, 'aws_network_acl')
        .find((candidate) => (candidate.get('tags') as Record<string, string>).Name === `${to.name}-private`)!;
      const rules = acl.get('ingress') as { cidr_block: string; from_port: number; action: string }[];
      const baseline = references.instances(to.name, 'aws_security_group').find((group) => group.get('name') === `${to.name}-baseline`)!;
      const ingress = baseline.get('ingress') as { cidr_blocks: string[]; from_port: number; to_port: number }[];
      return {
        acl: rules.some((rule) => rule.action === 'allow' && rule.from_port !== 1024 && cidrContains(cidr(rule.cidr_block), source)),
        securityGroupPorts: ingress
          .filter((rule) => rule.cidr_blocks.some((block) => cidrContains(cidr(block), source)))
          .map((rule) => `${rule.from_port}-${rule.to_port}`),
      };
    },
  };
}

const ORGANIZATIONS = [3, 5, 10].flatMap((accounts) => [
  { label: `a mesh of ${accounts} accounts`, accounts, transitGateway: false },
  { label: `a transit gateway hub of ${accounts} accounts`, accounts, transitGateway: true },
]);

describe.each(ORGANIZATIONS)('production isolated in $label', ({ accounts, transitGateway }) => {
  let org: Organization;
  let net: ReturnType<typeof network>;
  let pairs: [NetworkedAccount, NetworkedAccount][];
  beforeAll(async () => {
    const dir = scratchDir('isolated');
    generateOrganization(dir, accounts, { transitGateway, isolateProduction: true });
    const synthesized = await synthesizeOrg(dir);
    org = synthesized.org;
    net = network(org, synthesized.stacks);
    const vpcs = org.network.vpcs;
    pairs = vpcs.flatMap((a) => vpcs.filter((b) => b !== a).map((b) => [a, b] as [NetworkedAccount, NetworkedAccount]));
  });

  it('lets every allowed pair reach each other both ways, from every route table of the source, through the right hop', () => {
    const allowed = pairs.filter(([a, b]) => allowedByTheRules(a, b));
    if (org.network.vpcs.length > 1) expect(allowed.length).toBeGreaterThan(0);
    for (const [from, to] of allowed) {
      const expected = transitGateway
        ? { kind: 'transit-gateway', attachment: net.attachmentOf(to)!.resource.attribute('id') }
        : { kind: 'peering', connection: net.connection(from, to) };
      expect([from.name, to.name, net.hops(from, to)]).toEqual([
        from.name,
        to.name,
        net.tablesOf(from.name).map(() => ({ account: from.name, hop: expected })),
      ]);
      expect([from.name, to.name, net.admitted(from, to)]).toEqual([
        from.name,
        to.name,
        { acl: true, securityGroupPorts: from.name === 'prod' || to.name === 'prod' ? ['443-443'] : [] },
      ]);
    }
  });

  it("gives every denied pair no way at all: no route but the internet's, or a blackhole; no ACL rule, no security group rule", () => {
    const denied = pairs.filter(([a, b]) => !allowedByTheRules(a, b));
    if (accounts > 3) expect(denied.length).toBeGreaterThan(0);
    for (const [from, to] of denied) {
      for (const { hop } of net.hops(from, to))
        expect([from.name, to.name, ['none', 'elsewhere']]).toEqual([from.name, to.name, expect.arrayContaining([hop.kind])]);
      if (!transitGateway) expect(net.connection(from, to)).toBeUndefined();
      expect([from.name, to.name, net.admitted(from, to)]).toEqual([from.name, to.name, { acl: false, securityGroupPorts: [] }]);
    }
  });

  if (transitGateway) {
    it('attaches each VPC once, from its own account, in its private subnets (one per zone); the egress VPC from the network account', () => {
      expect(net.attachments).toHaveLength(org.network.vpcs.length + 1);
      for (const account of org.network.vpcs) {
        const attachment = net.attachmentOf(account)!;
        expect(net.accountOf(TRANSIT_GATEWAY_STACK, attachment)).toBe(account.name);
        const privateSubnets = net.references
          .instances(account.name, 'aws_subnet')
          .filter((subnet) => (subnet.get('tags') as Record<string, string>).Name.includes('-private-'))
          .map((subnet) => subnet.resource.attribute('id'));
        expect(attachment.get('subnet_ids')).toEqual(privateSubnets);
        expect(privateSubnets).toHaveLength(account.vpc.zones.length);
      }
      const egress = net.attachments.filter((attachment) => !org.network.vpcs.some((account) => net.attachmentOf(account) === attachment));
      expect(egress.map((attachment) => net.accountOf(TRANSIT_GATEWAY_STACK, attachment))).toEqual([GENERATED_NETWORK_ACCOUNT]);
    });

    it("associates each attachment with one segment's table, which learns exactly the VPCs its members may reach", () => {
      expect(net.associations).toHaveLength(net.attachments.length);
      const tableOf = (account: NetworkedAccount) =>
        net.associations
          .find((association) => association.get('transit_gateway_attachment_id') === net.attachmentOf(account)!.resource.attribute('id'))!
          .get('transit_gateway_route_table_id');
      for (const account of org.network.vpcs) {
        const learned = net.propagations
          .filter((propagation) => propagation.get('transit_gateway_route_table_id') === tableOf(account))
          .map((propagation) => propagation.get('transit_gateway_attachment_id'));
        const reach = org.network.vpcs.filter((other) => other === account || allowedByTheRules(account, other));
        expect([account.name, [...learned].sort()]).toEqual([account.name, reach.map((other) => net.attachmentOf(other)!.resource.attribute('id')).sort()]);
        // Members of one segment reach the same VPCs.
        for (const other of org.network.vpcs.filter((candidate) => tableOf(candidate) === tableOf(account))) {
          expect(reach.map((vpc) => vpc.name).filter((name) => name !== other.name && name !== account.name)).toEqual(
            org.network.vpcs.filter((vpc) => vpc !== other && vpc !== account && allowedByTheRules(other, vpc)).map((vpc) => vpc.name),
          );
        }
      }
    });

    it("sends every member's private default route to the gateway, whose tables lead it to the egress VPC; public subnets keep their internet gateway", () => {
      const egress = net.attachments
        .find((attachment) => !org.network.vpcs.some((account) => net.attachmentOf(account) === attachment))!
        .resource.attribute('id');
      for (const account of org.network.vpcs) {
        const internet = net.hops(account, '8.8.8.8/32');
        const tables = net.references.instances(account.name, 'aws_route_table').map((table) => (table.get('tags') as Record<string, string>).Name);
        expect(internet.map(({ hop }, index) => [tables[index], hop])).toEqual(
          tables.map((table) => [table, table.endsWith('-public') ? { kind: 'elsewhere' } : { kind: 'transit-gateway', attachment: egress }]),
        );
      }
      expect(net.references.instances(TRANSIT_GATEWAY_STACK, 'aws_nat_gateway')).toHaveLength(2);
      expect(org.network.vpcs.flatMap((account) => net.references.instances(account.name, 'aws_nat_gateway'))).toEqual([]);
      expect(org.network.vpcs.flatMap((account) => net.references.instances(account.name, 'aws_instance'))).toEqual([]);
    });
  }
});

describe('the hub organization of 5 accounts, as planned offline (its transit-gateway stack)', () => {
  const planned = plannedOrg('five-hub').get(TRANSIT_GATEWAY_STACK)!;
  const count = (type: string) => planned.resources.filter((resource) => resource.type === type).length;

  it("plans the gateway, its share, an attachment per VPC and the egress VPC's, a table per segment and the egress one", () => {
    expect(planned.check.ok).toBe(true);
    // dev, qa and prod; segments: dev (reaches qa and prod), qa (dev), prod (dev).
    expect([
      count('aws_ec2_transit_gateway'),
      count('aws_ram_resource_share'),
      count('aws_ec2_transit_gateway_vpc_attachment'),
      count('aws_ec2_transit_gateway_route_table'),
    ]).toEqual([1, 1, 4, 4]);
    expect(count('aws_ec2_transit_gateway_route_table_association')).toBe(4);
    const gateway = planned.resources.find((resource) => resource.type === 'aws_ec2_transit_gateway')!.values;
    expect(gateway).toMatchObject({
      auto_accept_shared_attachments: 'enable',
      default_route_table_association: 'disable',
      default_route_table_propagation: 'disable',
      dns_support: 'enable',
    });
    expect(new Set(planned.check.assumedRoles.map((role) => role.roleArn)).size).toBe(4);
  });
});

describe('the two-step migration of the default organization from the mesh to the gateway', () => {
  const step = (keepPeering: boolean) =>
    synthesizeOrg(editedOrg({ 'organization.yaml': (file: any) => (file.network = { topology: 'transit-gateway', account: 'management', keepPeering }) }));

  it('step 1 (keepPeering): both paths, the gateway by the more specific halves of each peer, the mesh unchanged', async () => {
    const synthesized = await step(true);
    const net = network(synthesized.org, synthesized.stacks);
    const meshBefore = synthesizedOrg('default').find((stack) => stack.name === VPC_PEERING_STACK)!.json;
    expect(synthesized.stack(VPC_PEERING_STACK)).toEqual(meshBefore);
    for (const from of synthesized.org.network.vpcs) {
      for (const to of synthesized.org.network.vpcs.filter((vpc) => vpc !== from)) {
        expect(net.hops(from, to).map(({ hop }) => hop)).toEqual(
          net.tablesOf(from.name).map(() => ({ kind: 'transit-gateway', attachment: net.attachmentOf(to)!.resource.attribute('id') })),
        );
      }
    }
  });

  it("step 2: the mesh's stack is gone, the gateway routes each peer by its own prefix", async () => {
    const synthesized = await step(false);
    expect(synthesized.stacks.map((stack) => stack.name)).not.toContain(VPC_PEERING_STACK);
    const routes = Object.values(synthesized.stack(TRANSIT_GATEWAY_STACK).resource!.aws_route).flatMap((block) =>
      Object.values(block.for_each as Record<string, { destination: string }>),
    );
    expect(new Set(routes.map((route) => route.destination))).toEqual(new Set(['10.10.0.0/16', '10.20.0.0/16', '10.30.0.0/16']));
  });
});
