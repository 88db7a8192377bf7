// The network as a whole: VPCs that can be connected (no overlap), subnets that fit, zones of the home
// region, connectivity rules and a topology that name what exists, and a network within the AWS quotas the
// organization has (networkQuotas), counted on the same plan the model is built from. Every VPC described
// counts, those of accounts not created yet included: the network must still fit once they are. A retired
// account's VPC still exists, with its peering connections and the routes to it (forgotten, not
// destroyed): it keeps its addresses and counts against the connection and route quotas, but no VPC
// admits it any more.
import { cidrsOverlap, parseCidr } from '../cidr';
import {
  ANYWHERE,
  FIXED_ROUTES_PER_TABLE,
  layoutZones,
  type NetworkPlan,
  planNetwork,
  PRIVATE_ACL_FIXED_INBOUND_RULES,
  subnetPrefixes,
  zoneNames,
} from '../network';
import type { Problems } from '../problems';
import { MAX_PEERING_CONNECTIONS_PER_VPC, MAX_PREFIX, type NetworkFile, type NetworkQuotas, type VpcFile } from '../schema/network';
import { checkAccountReference, type DraftAccount, type DraftOrganization, knownForEveryAccount } from './draft';

type Networked = DraftAccount & { readonly vpc: VpcFile };

const count = (value: number) => value.toLocaleString('en-US');

export function checkNetwork(draft: DraftOrganization, problems: Problems): void {
  const networked = draft.accounts.filter((account): account is Networked => account.vpc !== undefined);
  const overlapping = checkOverlaps(networked, problems);
  const region = draft.org.homeRegion;
  const laidOut = networked.filter((account) => checkZonesAndSubnets(account, region, problems));
  const network = draft.org.network;
  const topologyValid = network !== undefined && checkTopology(draft, network, networked, problems);
  // Quotas are only meaningful for a network that can exist at all, and is known whole.
  const knownWhole = (['vpc', 'retired', 'environment', 'ou'] as const).every((field) => knownForEveryAccount(draft, field));
  if (!region || !draft.org.networkQuotas || !topologyValid || !knownWhole || overlapping || laidOut.length < networked.length) return;
  checkQuotas(draft, region, network, draft.org.networkQuotas, networked, problems);
}

/** True when the connectivity rules, the network account and the egress VPC name what exists and fit together. */
function checkTopology(draft: DraftOrganization, network: NetworkFile, networked: readonly Networked[], problems: Problems): boolean {
  const before = problems.count;
  const file = draft.orgFilePath;
  network.connectivity?.forEach((rule, index) =>
    rule.between.forEach((selector, side) => {
      const path = ['network', 'connectivity', index, 'between', side];
      if ('account' in selector) checkAccountReference(draft, problems, [...path, 'account'], selector.account);
      else if (
        'environment' in selector &&
        knownForEveryAccount(draft, 'environment') &&
        !draft.accounts.some((account) => account.environment === selector.environment)
      ) {
        problems.add(
          file,
          [...path, 'environment'],
          `"${selector.environment}" is no account's environment (known: ${[...new Set(draft.accounts.map((account) => account.environment))].join(', ')})`,
        );
      } else if (
        'ou' in selector &&
        knownForEveryAccount(draft, 'ou') &&
        !draft.accounts.some((account) => account.ou === selector.ou || account.ou?.startsWith(`${selector.ou}/`))
      ) {
        problems.add(file, [...path, 'ou'], `"${selector.ou}" holds no account`);
      }
    }),
  );
  const gateway = network.topology === 'transit-gateway';
  if (gateway && network.account === undefined) {
    problems.add(
      file,
      ['network', 'account'],
      'is missing: topology transit-gateway needs the account that holds the gateway (a network account, not the management one by default)',
    );
  } else if (network.account !== undefined) {
    if (!gateway) problems.add(file, ['network', 'account'], 'is only used with topology: transit-gateway');
    checkAccountReference(draft, problems, ['network', 'account'], network.account);
    const holder = draft.accounts.find((account) => account.name === network.account);
    if (holder?.retired) problems.add(file, ['network', 'account'], `names ${holder.name}, which is retired: the gateway needs an account in service`);
    else if (holder && !holder.unknownFields.has('id') && holder.id === undefined) {
      problems.add(
        file,
        ['network', 'account'],
        `names ${holder.name}, which has no id yet: create it first (the mesh can stay until then), then switch the topology`,
      );
    }
  }
  if (network.egress === 'centralized' && !gateway)
    problems.add(file, ['network', 'egress'], 'centralized needs topology: transit-gateway (the members reach the egress VPC through it)');
  if (network.egress === 'centralized' && !network.egressVpc)
    problems.add(file, ['network', 'egressVpc'], "is missing: egress centralized needs the egress VPC's cidr");
  if (network.egressVpc && network.egress !== 'centralized') problems.add(file, ['network', 'egressVpc'], 'is only used with egress: centralized');
  if (network.egressVpc) {
    const egress = parseCidr(network.egressVpc.cidr)!;
    const overlapped = networked.find((account) => cidrsOverlap(egress, parseCidr(account.vpc.cidr)!));
    if (overlapped)
      problems.add(
        file,
        ['network', 'egressVpc', 'cidr'],
        `"${network.egressVpc.cidr}" overlaps ${overlapped.name}'s VPC "${overlapped.vpc.cidr}" (${overlapped.file})`,
      );
    else if (!layoutZones({ cidr: network.egressVpc.cidr, subnets: {} }, zoneNames({ azs: network.egressVpc.azs }, draft.org.homeRegion ?? ''))) {
      problems.add(
        file,
        ['network', 'egressVpc', 'cidr'],
        `"${network.egressVpc.cidr}" is too small for ${network.egressVpc.azs} zones of subnets: use a larger block`,
      );
    }
  }
  if (network.keepPeering && !gateway)
    problems.add(file, ['network', 'keepPeering'], 'is only used with topology: transit-gateway (the mesh is kept while the gateway is added)');
  return problems.count === before;
}

function checkOverlaps(networked: readonly Networked[], problems: Problems): boolean {
  let overlapping = false;
  networked.forEach((first, index) => {
    for (const second of networked.slice(index + 1)) {
      if (!cidrsOverlap(parseCidr(first.vpc.cidr)!, parseCidr(second.vpc.cidr)!)) continue;
      overlapping = true;
      // The VPC to change is the later one, unless that one is retired: its VPC exists, and stays as it is.
      const [kept, changed] = second.retired && !first.retired ? [second, first] : [first, second];
      problems.add(
        changed.file,
        ['vpc', 'cidr'],
        `"${changed.vpc.cidr}" overlaps ${kept.name}'s VPC "${kept.vpc.cidr}" (${kept.file})` +
          (kept.retired ? ', which is retired but still exists, as do the routes to it in the other VPCs' : '') +
          '; peered VPCs need disjoint CIDRs',
      );
    }
  });
  return overlapping;
}

/** True when the account's zones and subnets can be laid out. */
function checkZonesAndSubnets(account: Networked, region: string | undefined, problems: Problems): boolean {
  const { vpc, file } = account;
  const before = problems.count;
  if (vpc.zones && vpc.azs !== undefined && vpc.zones.length !== vpc.azs) {
    problems.add(file, ['vpc', 'azs'], `is ${vpc.azs} but vpc.zones lists ${vpc.zones.length} (${vpc.zones.join(', ')}); give one of them, or make them agree`);
  }
  vpc.zones?.forEach((zone, index) => {
    if (vpc.zones!.indexOf(zone) !== index) problems.add(file, ['vpc', 'zones', index], `"${zone}" is listed twice`);
    else if (region && !zone.startsWith(region)) {
      problems.add(file, ['vpc', 'zones', index], `"${zone}" is not in the home region ${region} (homeRegion in organization.yaml)`);
    }
  });
  if (problems.count > before || !region) return problems.count === before;
  // An adopted VPC keeps its subnets: checks/adoption.ts checks them against the VPC.
  if (account.adopt?.vpc) return true;

  const zones = zoneNames(vpc, region);
  const prefixes = subnetPrefixes(vpc, zones.length);
  const vpcCidr = parseCidr(vpc.cidr)!;
  if (prefixes.private > MAX_PREFIX || prefixes.public > MAX_PREFIX) {
    const largerVpc = vpc.subnets.private === undefined ? `, or use a VPC of /${MAX_PREFIX - 2 - (prefixes.private - vpcCidr.prefix)} or larger` : '';
    problems.add(
      file,
      ['vpc', 'subnets'],
      `come to private /${prefixes.private} and public /${prefixes.public} in the VPC "${vpc.cidr}" with ${zones.length} zone(s), smaller than AWS allows (/${MAX_PREFIX}): ` +
        `set vpc.subnets.private and vpc.subnets.public${largerVpc}`,
    );
    return false;
  }
  if (!layoutZones(vpc, zones)) {
    const needed = zones.length * (2 ** (32 - prefixes.private) + 2 ** (32 - prefixes.public));
    problems.add(
      file,
      ['vpc', 'subnets'],
      `${zones.length} private /${prefixes.private} and ${zones.length} public /${prefixes.public} subnets need ${count(needed)} addresses; ` +
        `the VPC "${vpc.cidr}" has ${count(2 ** (32 - vpcCidr.prefix))}: use longer prefixes in vpc.subnets, fewer zones, or a larger VPC`,
    );
    return false;
  }
  return true;
}

function checkQuotas(
  draft: DraftOrganization,
  region: string,
  network: NetworkFile,
  quotas: NetworkQuotas,
  networked: readonly Networked[],
  problems: Problems,
): void {
  // Every VPC as if in service: those of accounts not created yet will be.
  const described = (accounts: readonly Networked[]) =>
    accounts.map((account) => ({ name: account.name, environment: account.environment!, ou: account.ou, vpc: account.vpc, inService: true }));
  // The network as it will be built, a retired account's VPC still in it: it exists, and so do its connections and routes.
  const built = planNetwork(described(networked), network, region);
  const connectionsOf = new Map<string, number>();
  for (const { requester, accepter } of built.connections)
    for (const side of [requester, accepter]) connectionsOf.set(side, (connectionsOf.get(side) ?? 0) + 1);
  const peers = Math.max(0, ...connectionsOf.values());
  if (peers > quotas.peeringConnectionsPerVpc) {
    const fix =
      peers <= MAX_PEERING_CONNECTIONS_PER_VPC
        ? `ask AWS to raise "Active VPC peering connections per VPC" to ${peers} or more in every account with a VPC (${region}), then set networkQuotas.peeringConnectionsPerVpc to match`
        : `AWS allows at most ${MAX_PEERING_CONNECTIONS_PER_VPC}: connect fewer VPCs (network.connectivity), or use network.topology: transit-gateway`;
    problems.add(
      draft.orgFilePath,
      ['networkQuotas', 'peeringConnectionsPerVpc'],
      `is ${quotas.peeringConnectionsPerVpc}, but a VPC would be peered with ${peers} others (of the ${networked.length} VPCs): ${fix}`,
    );
  }
  // The default route is one of the fixed ones, whichever way it goes.
  const tables = [...built.vpcs.values()].flatMap((vpc) =>
    vpc.routeTables.map((table) => vpc.routes.filter((route) => route.table === table && route.destination !== ANYWHERE).length),
  );
  const routes = Math.max(0, ...tables) + FIXED_ROUTES_PER_TABLE;
  if (routes > quotas.routesPerRouteTable) {
    const through =
      network.topology === 'transit-gateway'
        ? 'through the transit gateway, to the prefixes summarizing the VPCs it may reach'
        : 'to the VPCs it is peered with';
    problems.add(
      draft.orgFilePath,
      ['networkQuotas', 'routesPerRouteTable'],
      `is ${quotas.routesPerRouteTable}, but a route table would hold ${routes} routes (${routes - FIXED_ROUTES_PER_TABLE} ${through}; local, the default route and the S3 endpoint): ` +
        `ask AWS to raise "Routes per route table" to ${routes} or more in every account with a VPC (${region}), then set networkQuotas.routesPerRouteTable to match`,
    );
  }
  if (network.topology === 'transit-gateway') checkGatewayQuotas(draft, region, network, quotas, built, problems);
  // No VPC admits a retired one.
  const inService = networked.some((account) => account.retired)
    ? planNetwork(described(networked.filter((account) => !account.retired)), network, region)
    : built;
  for (const account of networked.filter((candidate) => inService.vpcs.has(candidate.name))) {
    const admitted = inService.vpcs.get(account.name)!;
    const aclRules = PRIVATE_ACL_FIXED_INBOUND_RULES + admitted.peerAclPrefixes.length;
    if (aclRules > quotas.networkAclRulesPerDirection) {
      problems.add(
        account.file,
        ['vpc', 'cidr'],
        `"${account.vpc.cidr}": the private network ACL would need ${aclRules} inbound rules (${admitted.peerAclPrefixes.length} prefixes to admit the VPCs it may reach, ` +
          `which summarize no further, plus ${PRIVATE_ACL_FIXED_INBOUND_RULES} fixed), more than networkQuotas.networkAclRulesPerDirection (${quotas.networkAclRulesPerDirection}): ` +
          `allocate the VPC CIDRs from one contiguous range so that they summarize, or ask AWS to raise "Rules per network ACL" (at most 40) and set networkQuotas.networkAclRulesPerDirection to match`,
      );
    }
    const sgRules = admitted.peerSecurityGroupRules.reduce((sum, rule) => sum + rule.prefixes.length, 0);
    if (sgRules > quotas.securityGroupRulesPerDirection) {
      problems.add(
        account.file,
        ['vpc', 'peerPorts'],
        `would need ${sgRules} inbound rules in the baseline security group (${admitted.peerSecurityGroupRules.length} port ranges x the prefixes covering the VPCs each is open to), ` +
          `more than networkQuotas.securityGroupRulesPerDirection (${quotas.securityGroupRulesPerDirection}): list fewer ports (a range such as "8000-8100" is one), ` +
          `allocate the VPC CIDRs from one contiguous range, or ask AWS to raise "Inbound or outbound rules per security group" and set networkQuotas.securityGroupRulesPerDirection to match`,
      );
    }
  }
}

/** The gateway's attachments (one per VPC, and the egress VPC's), route tables (one per segment, and the egress one) and routes (propagated and static). */
export function gatewayCounts(plan: NetworkPlan): {
  readonly attachments: number;
  readonly routeTables: number;
  readonly routes: number;
  readonly largestTable: number;
} {
  const egress = plan.egress ? 1 : 0;
  const perTable = [
    ...plan.segments.map((segment) => segment.propagations.length + segment.blackholes.length + egress),
    ...(plan.egress ? [plan.segments.reduce((sum, segment) => sum + segment.members.length, 0)] : []),
  ];
  return {
    attachments: plan.segments.reduce((sum, segment) => sum + segment.members.length, 0) + egress,
    routeTables: plan.segments.length + egress,
    routes: perTable.reduce((sum, routes) => sum + routes, 0),
    largestTable: Math.max(0, ...perTable),
  };
}

function checkGatewayQuotas(
  draft: DraftOrganization,
  region: string,
  network: NetworkFile,
  quotas: NetworkQuotas,
  plan: NetworkPlan,
  problems: Problems,
): void {
  const counts = gatewayCounts(plan);
  const where = `in the network account ${network.account} (${region})`;
  const exceeded: [keyof NetworkQuotas, number, string, string][] = [
    [
      'transitGatewayAttachments',
      counts.attachments,
      'Attachments per transit gateway',
      `attachments (one per VPC${plan.egress ? ' and the egress VPC' : ''})`,
    ],
    [
      'transitGatewayRouteTables',
      counts.routeTables,
      'Transit gateway route tables per transit gateway',
      `route tables (one per segment of VPCs that reach the same VPCs${plan.egress ? ", and the egress VPC's" : ''})`,
    ],
    [
      'transitGatewayRoutes',
      counts.routes,
      'Routes per transit gateway',
      `routes over its route tables (propagations and static routes; the largest table holds ${counts.largestTable})`,
    ],
  ];
  for (const [field, needed, quotaName, what] of exceeded) {
    if (needed <= quotas[field]) continue;
    problems.add(
      draft.orgFilePath,
      ['networkQuotas', field],
      `is ${count(quotas[field])}, but the transit gateway would need ${count(needed)} ${what}: ask AWS to raise "${quotaName}" to ${count(needed)} or more ${where}, then set networkQuotas.${field} to match` +
        (field === 'transitGatewayRouteTables' ? ', or write connectivity rules that make fewer distinct segments' : ''),
    );
  }
}
