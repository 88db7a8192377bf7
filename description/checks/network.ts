// The network as a whole: VPCs that can be peered (no overlap), subnets that fit, zones of the home region,
// and a mesh within the AWS quotas the organization has (networkQuotas). Every VPC described counts, those
// of accounts not created yet included: the mesh must still fit once they are. A retired account's VPC
// still exists, with its peering connections and the routes to it (forgotten, not destroyed): it keeps
// its addresses and counts against the connection and route quotas, but no VPC admits it any more.
import { cidrsOverlap, parseCidr } from '../cidr';
import { FIXED_ROUTES_PER_TABLE, layoutZones, peerPrefixes, PRIVATE_ACL_FIXED_INBOUND_RULES, subnetPrefixes, zoneNames } from '../network';
import type { Problems } from '../problems';
import { MAX_PREFIX, type NetworkQuotas, type VpcFile } from '../schema/network';
import { type DraftAccount, type DraftOrganization, knownForEveryAccount } from './draft';

type Networked = DraftAccount & { readonly vpc: VpcFile };

const count = (value: number) => value.toLocaleString('en-US');

export function checkNetwork(draft: DraftOrganization, problems: Problems): void {
  const networked = draft.accounts.filter((account): account is Networked => account.vpc !== undefined);
  const overlapping = checkOverlaps(networked, problems);
  const region = draft.org.homeRegion;
  const laidOut = networked.filter((account) => checkZonesAndSubnets(account, region, problems));
  // Quotas are only meaningful for a mesh that can exist at all, and is known whole.
  const knownWhole = knownForEveryAccount(draft, 'vpc') && knownForEveryAccount(draft, 'retired');
  if (!region || !draft.org.networkQuotas || !knownWhole || overlapping || laidOut.length < networked.length) return;
  checkMeshQuotas(draft, region, draft.org.networkQuotas, networked, problems);
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

function checkMeshQuotas(draft: DraftOrganization, region: string, quotas: NetworkQuotas, networked: readonly Networked[], problems: Problems): void {
  const peers = networked.length - 1;
  if (peers > quotas.peeringConnectionsPerVpc) {
    const fix =
      peers <= 125
        ? `ask AWS to raise "Active VPC peering connections per VPC" to ${peers} or more in every account with a VPC (${region}), then set networkQuotas.peeringConnectionsPerVpc to match`
        : 'AWS allows at most 125, so a full mesh of this many VPCs is not possible: give fewer accounts a VPC';
    problems.add(
      draft.orgFilePath,
      ['networkQuotas', 'peeringConnectionsPerVpc'],
      `is ${quotas.peeringConnectionsPerVpc}, but each of the ${networked.length} VPCs is peered with the ${peers} others: ${fix}`,
    );
  }
  const routes = peers + FIXED_ROUTES_PER_TABLE;
  if (routes > quotas.routesPerRouteTable) {
    problems.add(
      draft.orgFilePath,
      ['networkQuotas', 'routesPerRouteTable'],
      `is ${quotas.routesPerRouteTable}, but every route table would hold ${routes} routes (one per each of the ${peers} peered VPCs, local, the default route and the S3 endpoint): ` +
        `ask AWS to raise "Routes per route table" to ${routes} or more in every account with a VPC (${region}), then set networkQuotas.routesPerRouteTable to match`,
    );
  }
  const inService = networked.filter((account) => !account.retired);
  const organization = inService.map((account) => account.vpc.cidr);
  for (const account of inService) {
    const admitted = peerPrefixes(account.vpc.cidr, organization);
    const aclRules = PRIVATE_ACL_FIXED_INBOUND_RULES + admitted.acl.length;
    if (aclRules > quotas.networkAclRulesPerDirection) {
      problems.add(
        account.file,
        ['vpc', 'cidr'],
        `"${account.vpc.cidr}": the private network ACL would need ${aclRules} inbound rules (${admitted.acl.length} prefixes to admit the other VPCs, ` +
          `which summarize no further, plus ${PRIVATE_ACL_FIXED_INBOUND_RULES} fixed), more than networkQuotas.networkAclRulesPerDirection (${quotas.networkAclRulesPerDirection}): ` +
          `allocate the VPC CIDRs from one contiguous range so that they summarize, or ask AWS to raise "Rules per network ACL" (at most 40) and set networkQuotas.networkAclRulesPerDirection to match`,
      );
    }
    const sgRules = account.vpc.peerPorts.length * admitted.securityGroup.length;
    if (sgRules > quotas.securityGroupRulesPerDirection) {
      problems.add(
        account.file,
        ['vpc', 'peerPorts'],
        `would need ${sgRules} inbound rules in the baseline security group (${account.vpc.peerPorts.length} ports x ${admitted.securityGroup.length} prefixes covering the other VPCs), ` +
          `more than networkQuotas.securityGroupRulesPerDirection (${quotas.securityGroupRulesPerDirection}): list fewer ports (a range such as "8000-8100" is one), ` +
          `allocate the VPC CIDRs from one contiguous range, or ask AWS to raise "Inbound or outbound rules per security group" and set networkQuotas.securityGroupRulesPerDirection to match`,
      );
    }
  }
}
