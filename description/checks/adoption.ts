// What an account adopts must fit what its stack builds: a VPC described by the account, one public and one
// private subnet per zone inside it, a NAT gateway where egress puts one, users, groups and repositories the
// description has, in the account that holds them; and no existing object adopted twice. Peers outside the
// organization must be routable from the VPC without shadowing a VPC of the organization.
import { cidrContains, cidrsOverlap, parseCidr } from '../cidr';
import { FIXED_ROUTES_PER_TABLE, zoneNames } from '../network';
import type { Problems } from '../problems';
import type { AdoptedVpc } from '../schema/adoption';
import type { VpcFile } from '../schema/network';
import type { DraftAccount, DraftOrganization } from './draft';

type Path = (string | number)[];

export function checkAdoption(draft: DraftOrganization, problems: Problems): void {
  const adopters = new Map<string, { file: string; path: Path }>();
  /** Each existing object is taken over once: a second adopter would fight the first over it. */
  const claim = (account: DraftAccount, path: Path, id: string) => {
    const first = adopters.get(id);
    if (first)
      problems.add(
        account.file,
        path,
        `"${id}" is already adopted by ${first.file} (${first.path.join('.')}): an existing object is taken over once; adopt another or remove one`,
      );
    else adopters.set(id, { file: account.file, path });
  };
  for (const account of draft.accounts) {
    if (account.invited && account.name === draft.org.managementAccount) {
      problems.add(
        account.file,
        ['invited'],
        'is true, but this is the management account, which owns the organization and is never invited into it: remove invited',
      );
    } else if (account.invited && account.id === undefined && !account.unknownFields.has('id')) {
      problems.add(account.file, ['invited'], 'is true, but the account has no id: an invited account exists already; give its id (12 digits, quoted)');
    }
    const { adopt } = account;
    if (adopt?.vpc) checkAdoptedVpc(draft, account, adopt.vpc, claim, problems);
    checkNamed(draft, account, 'users', 'identityAccount', draft.org.users && Object.keys(draft.org.users), problems);
    checkNamed(draft, account, 'groups', 'identityAccount', draft.org.groups && Object.keys(draft.org.groups), problems);
    checkNamed(
      draft,
      account,
      'repositories',
      'artifactAccount',
      draft.org.sharing?.ecr.map((repository) => repository.name),
      problems,
    );
    for (const kind of ['users', 'groups'] as const) {
      const existing = Object.entries(adopt?.[kind] ?? {});
      existing.forEach(([name, existingName], index) => {
        const first = existing.findIndex(([, other]) => other === existingName);
        if (first < index)
          problems.add(
            account.file,
            ['adopt', kind, name],
            `"${existingName}" is already adopted as ${existing[first][0]}: one existing IAM ${kind.slice(0, -1)} becomes one of the description's`,
          );
      });
    }
  }
  for (const account of draft.accounts) if (account.vpc) checkPeers(draft, account, account.vpc, adopters, problems);
}

/** The zones, subnets, route tables and NAT gateways of an adopted VPC against the VPC the account describes. */
function checkAdoptedVpc(
  draft: DraftOrganization,
  account: DraftAccount,
  adopted: AdoptedVpc,
  claim: (account: DraftAccount, path: Path, id: string) => void,
  problems: Problems,
): void {
  const { file, vpc } = account;
  if (!vpc) {
    if (!account.unknownFields.has('vpc'))
      problems.add(
        file,
        ['adopt', 'vpc'],
        'adopts a VPC, but the account describes none: add vpc (its cidr, zones and egress as they are), or remove adopt.vpc',
      );
    return;
  }
  claim(account, ['adopt', 'vpc', 'id'], adopted.id);
  if (adopted.internetGateway) claim(account, ['adopt', 'vpc', 'internetGateway'], adopted.internetGateway);
  if (adopted.publicRouteTable) claim(account, ['adopt', 'vpc', 'publicRouteTable'], adopted.publicRouteTable);
  for (const tier of ['public', 'private'] as const) {
    const acl = adopted.networkAcls?.[tier];
    if (acl) claim(account, ['adopt', 'vpc', 'networkAcls', tier], acl);
  }
  const region = draft.org.homeRegion;
  if (!region) return;
  const zones = zoneNames(vpc, region);
  const adoptedZones = Object.keys(adopted.zones);
  const missing = zones.filter((zone) => !adoptedZones.includes(zone));
  if (missing.length > 0) {
    problems.add(
      file,
      ['adopt', 'vpc', 'zones'],
      `lacks ${missing.join(', ')}, a zone of the VPC (vpc.zones: ${zones.join(', ')}): an adopted VPC keeps its subnets, one public and one private per zone; ` +
        'adopt the subnets of every zone, or list in vpc.zones only the zones adopted',
    );
  }
  const vpcCidr = parseCidr(vpc.cidr)!;
  const subnets: { path: Path; cidr: string }[] = [];
  const firstZone = zones[0];
  for (const [zone, adoptedZone] of Object.entries(adopted.zones)) {
    const at = (...rest: Path): Path => ['adopt', 'vpc', 'zones', zone, ...rest];
    if (!zones.includes(zone)) {
      problems.add(file, at(), `is not a zone of the VPC (vpc.zones: ${zones.join(', ')}): add it to vpc.zones, or adopt subnets of the VPC's zones only`);
      continue;
    }
    for (const tier of ['public', 'private'] as const) {
      const subnet = adoptedZone[tier];
      claim(account, at(tier, 'id'), subnet.id);
      const cidr = parseCidr(subnet.cidr)!;
      if (!cidrContains(vpcCidr, cidr)) {
        problems.add(
          file,
          at(tier, 'cidr'),
          `"${subnet.cidr}" is not inside the VPC's "${vpc.cidr}" (vpc.cidr): an adopted subnet keeps its CIDR and belongs to the adopted VPC; ` +
            `correct vpc.cidr to the VPC's own, or adopt a subnet of that VPC`,
        );
        continue;
      }
      const overlapped = subnets.find((other) => cidrsOverlap(parseCidr(other.cidr)!, cidr));
      if (overlapped)
        problems.add(
          file,
          at(tier, 'cidr'),
          `"${subnet.cidr}" overlaps ${overlapped.path.join('.')} ("${overlapped.cidr}"): two subnets of one VPC never overlap; one of the ids is not the subnet meant`,
        );
      else subnets.push({ path: at(tier, 'cidr'), cidr: subnet.cidr });
    }
    if (adoptedZone.private.routeTable) claim(account, at('private', 'routeTable'), adoptedZone.private.routeTable);
    if (adoptedZone.natGateway) {
      claim(account, at('natGateway', 'id'), adoptedZone.natGateway.id);
      claim(account, at('natGateway', 'allocation'), adoptedZone.natGateway.allocation);
      const egress = vpc.egress;
      if (egress !== 'nat-gateway' && egress !== 'nat-gateway-per-zone') {
        problems.add(
          file,
          at('natGateway'),
          `is adopted, but vpc.egress is ${egress}, which has no NAT gateway: set vpc.egress to nat-gateway (one, in the first zone) or nat-gateway-per-zone, or remove it`,
        );
      } else if (egress === 'nat-gateway' && zone !== firstZone) {
        problems.add(
          file,
          at('natGateway'),
          `is in ${zone}, but egress nat-gateway has its one gateway in the first zone, ${firstZone}: list ${zone} first in vpc.zones, or set vpc.egress to nat-gateway-per-zone`,
        );
      }
    }
  }
}

/** Names adopted in `kind` must be the description's, and adopted in the account organization.yaml gives them to. */
function checkNamed(
  draft: DraftOrganization,
  account: DraftAccount,
  kind: 'users' | 'groups' | 'repositories',
  role: 'identityAccount' | 'artifactAccount',
  described: readonly string[] | undefined,
  problems: Problems,
): void {
  const adopted = account.adopt?.[kind];
  if (!adopted) return;
  const names = Array.isArray(adopted) ? adopted : Object.keys(adopted);
  const holder = role === 'artifactAccount' ? (draft.org.artifactAccount ?? draft.org.identityAccount) : draft.org.identityAccount;
  if (holder !== undefined && holder !== account.name && names.length > 0) {
    problems.add(
      account.file,
      ['adopt', kind],
      `are adopted in ${account.name}, but organization.yaml makes ${holder} the ${role.replace('Account', ' account')}, where they are built: adopt them in ${holder}.yaml, or make ${account.name} the ${role}`,
    );
    return;
  }
  if (!described) return;
  const field = kind === 'repositories' ? 'sharing.ecr' : kind;
  names.forEach((name, index) => {
    if (!described.includes(name)) {
      problems.add(
        account.file,
        ['adopt', kind, Array.isArray(adopted) ? index : name],
        `names "${name}", which organization.yaml's ${field} does not describe (${described.join(', ') || 'none'}): describe it there, or remove it here`,
      );
    }
  });
}

/** Peers outside the organization: distinct names, each VPC peered once, routable from this VPC. */
function checkPeers(draft: DraftOrganization, account: DraftAccount, vpc: VpcFile, adopted: ReadonlyMap<string, { file: string }>, problems: Problems): void {
  const organization = draft.accounts.filter((other) => other.vpc).map((other) => ({ name: other.name, cidr: other.vpc!.cidr }));
  const quota = draft.org.networkQuotas?.routesPerRouteTable;
  // A retired peer's routes are forgotten, and deleted by hand (docs/migration.md).
  const inService = vpc.peers.filter((peer) => !peer.retired).length;
  const routes = organization.length - 1 + FIXED_ROUTES_PER_TABLE + inService;
  if (quota !== undefined && inService > 0 && routes > quota) {
    problems.add(
      account.file,
      ['vpc', 'peers'],
      `would put ${routes} routes in each route table (${organization.length - 1} for the organization's other VPCs, ${inService} for the peers in service, local, the default route and the S3 endpoint), ` +
        `more than networkQuotas.routesPerRouteTable (${quota}): retire peers done with (then delete their routes), or ask AWS to raise "Routes per route table" and set networkQuotas.routesPerRouteTable to match`,
    );
  }
  vpc.peers.forEach((peer, index) => {
    const path = (field: string): Path => ['vpc', 'peers', index, field];
    if (vpc.peers.findIndex((other) => other.name === peer.name) < index) problems.add(account.file, path('name'), `"${peer.name}" is listed twice`);
    if (vpc.peers.findIndex((other) => other.vpcId === peer.vpcId) < index) problems.add(account.file, path('vpcId'), `"${peer.vpcId}" is peered twice`);
    const adopter = adopted.get(peer.vpcId);
    if (adopter)
      problems.add(
        account.file,
        path('vpcId'),
        `"${peer.vpcId}" is adopted by ${adopter.file}: it is a VPC of the organization, which the peering mesh connects; remove this peer`,
      );
    if (peer.accountId === account.id)
      problems.add(
        account.file,
        path('accountId'),
        `is this account's own id: a peer is a VPC of another account (this account's own VPC is the one vpc describes)`,
      );
    const overlapped = organization.find((other) => cidrsOverlap(parseCidr(other.cidr)!, parseCidr(peer.cidr)!));
    if (overlapped) {
      problems.add(
        account.file,
        path('cidr'),
        `"${peer.cidr}" overlaps ${overlapped.name}'s VPC "${overlapped.cidr}": a route to it would ${overlapped.name === account.name ? "shadow the VPC's own addresses" : 'compete with the peering mesh'}; peered VPCs need disjoint CIDRs`,
      );
    }
  });
}
