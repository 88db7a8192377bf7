// From what the AWS CLI printed for an existing account (docs/migration.md#inventory gives the commands and
// file names) to a description of it: the account file with its VPC and an `adopt:` block of the existing
// ids, and what organization.yaml needs (users, groups and their access, shared repositories and AMIs).
// It reads files only: AWS is never called. What cannot be adopted as the stacks build it is refused with
// what differs; what is left out is said in notes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { accountFileSchema } from '../../description/schema/account';
import type { organizationFileSchema } from '../../description/schema/organization';
import type { Egress } from '../../description/schema/network';
import { ToolError } from './tool-error';

/** The files the documented commands write, by what they hold. */
export const INVENTORY_FILES = {
  vpcs: 'describe-vpcs.json',
  subnets: 'describe-subnets.json',
  routeTables: 'describe-route-tables.json',
  internetGateways: 'describe-internet-gateways.json',
  natGateways: 'describe-nat-gateways.json',
  networkAcls: 'describe-network-acls.json',
  securityGroups: 'describe-security-groups.json',
  users: 'list-users.json',
  groups: 'list-groups.json',
  repositories: 'describe-repositories.json',
  images: 'describe-images.json',
} as const;
/** Per IAM group, files named after it. */
export const groupFile = (kind: 'get-group' | 'list-attached-group-policies', group: string) => `${kind}-${group}.json`;

type Tagged = { Tags?: { Key: string; Value: string }[] };
type Vpc = Tagged & { VpcId: string; CidrBlock: string; OwnerId: string; CidrBlockAssociationSet?: { CidrBlock: string }[] };
type Subnet = Tagged & { SubnetId: string; VpcId: string; CidrBlock: string; AvailabilityZone: string };
type Route = { DestinationCidrBlock?: string; GatewayId?: string; NatGatewayId?: string };
type RouteTable = Tagged & { RouteTableId: string; VpcId: string; Routes: Route[]; Associations: { Main: boolean; SubnetId?: string }[] };
type NatGateway = {
  NatGatewayId: string;
  SubnetId: string;
  VpcId: string;
  State: string;
  ConnectivityType?: string;
  NatGatewayAddresses: { AllocationId?: string }[];
};
type NetworkAcl = { NetworkAclId: string; VpcId: string; IsDefault: boolean; Associations: { SubnetId: string }[] };
type SecurityGroup = { GroupId: string; GroupName: string; VpcId?: string; IpPermissions: unknown[] };
type Repository = {
  repositoryName: string;
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  imageScanningConfiguration?: { scanOnPush: boolean };
  encryptionConfiguration?: { encryptionType: string; kmsKey?: string };
};
type Image = { ImageId: string; Name?: string; BlockDeviceMappings?: { Ebs?: { Encrypted?: boolean; KmsKeyId?: string } }[] };

export interface InventoryOptions {
  readonly from: string;
  /** The account's name in the description (its file name). */
  readonly account: string;
  /** Which VPC is the account's (id or Name tag); needed when there are several. */
  readonly vpc?: string;
  readonly email: string;
}

export interface Inventory {
  /** The account file, as data. */
  readonly accountFile: z.input<typeof accountFileSchema>;
  /** What organization.yaml needs, as data: merge it there. */
  readonly organization: Partial<
    Pick<z.input<typeof organizationFileSchema>, 'identityAccount' | 'artifactAccount' | 'groups' | 'users' | 'access' | 'sharing'>
  >;
  /** What was left out, and why; each a sentence. */
  readonly notes: readonly string[];
}

export function takeInventory(options: InventoryOptions): Inventory {
  const read = <T>(file: string): T => {
    const path = join(options.from, file);
    if (!existsSync(path)) throw new ToolError(`${path} is missing: write it with the command docs/migration.md#inventory gives`);
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch (error) {
      throw new ToolError(`${path} is not the JSON the AWS CLI prints (--output json): ${(error as Error).message}`);
    }
  };
  const notes: string[] = [];
  const vpcs = read<{ Vpcs: Vpc[] }>(INVENTORY_FILES.vpcs).Vpcs;
  const vpc = chooseVpc(vpcs, options.vpc);
  const accountId = vpc?.OwnerId ?? read<{ Users: { Arn: string }[] }>(INVENTORY_FILES.users).Users[0]?.Arn.split(':')[4];
  if (!accountId) throw new ToolError(`${options.from}: holds no VPC and no user: nothing tells which account it is`);
  for (const other of vpcs.filter((candidate) => candidate !== vpc)) {
    notes.push(
      `VPC ${other.VpcId} (${nameTag(other) ?? 'no Name'}, ${other.CidrBlock}) stays outside Terraform: peer it from the account that takes over its workloads ` +
        `(vpc.peers: { name: ${slugOf(nameTag(other) ?? other.VpcId)}-old, vpcId: ${other.VpcId}, accountId: "${other.OwnerId}", cidr: ${other.CidrBlock} }).`,
    );
  }
  const network = vpc ? adoptVpc(vpc, options.from, read, notes) : undefined;
  const identity = adoptIdentity(options, read, notes);
  const sharing = adoptArtifacts(read, notes);

  const adopt = {
    ...(network ? { vpc: network.adopt } : {}),
    ...(Object.keys(identity.adoptUsers).length > 0 ? { users: identity.adoptUsers } : {}),
    ...(Object.keys(identity.adoptGroups).length > 0 ? { groups: identity.adoptGroups } : {}),
    ...(sharing.ecr.length > 0 ? { repositories: sharing.ecr.map((repository) => repository.name) } : {}),
  };
  const holdsIdentity = Object.keys(identity.users).length > 0;
  const holdsArtifacts = sharing.ecr.length + sharing.amis.length > 0;
  return {
    accountFile: {
      id: accountId,
      email: options.email,
      invited: true,
      ...(network ? { vpc: network.vpc } : {}),
      ...(Object.keys(adopt).length > 0 ? { adopt } : {}),
    },
    organization: {
      ...(holdsIdentity ? { identityAccount: options.account, groups: identity.groups, users: identity.users, access: identity.access } : {}),
      ...(holdsArtifacts
        ? {
            artifactAccount: options.account,
            sharing: { ...(sharing.ecr.length > 0 ? { ecr: sharing.ecr } : {}), ...(sharing.amis.length > 0 ? { amis: sharing.amis } : {}) },
          }
        : {}),
    },
    notes,
  };
}

const nameTag = (resource: Tagged) => resource.Tags?.find((tag) => tag.Key === 'Name')?.Value;

/** A name the description accepts (lowercase, dashes): LeadDevelopers -> lead-developers. */
export function slugOf(name: string): string {
  const slug = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  // Names are at least two characters.
  return slug.padEnd(2, 'x');
}

function chooseVpc(vpcs: readonly Vpc[], wanted: string | undefined): Vpc | undefined {
  const list = () => vpcs.map((vpc) => `${vpc.VpcId} (${nameTag(vpc) ?? 'no Name'}, ${vpc.CidrBlock})`).join(', ');
  if (wanted !== undefined) {
    const found = vpcs.filter((vpc) => vpc.VpcId === wanted || nameTag(vpc) === wanted);
    if (found.length !== 1)
      throw new ToolError(`--vpc ${wanted}: ${found.length === 0 ? 'no' : 'more than one'} VPC has that id or Name tag (the VPCs: ${list() || 'none'})`);
    return found[0];
  }
  if (vpcs.length > 1)
    throw new ToolError(
      `the account has ${vpcs.length} VPCs: name the one the account's stack takes over with --vpc <id or Name tag> (the VPCs: ${list()}); the others are left as they are`,
    );
  return vpcs[0];
}

/** The VPC's zones, tiers, tables, gateways and ACLs, as the stacks build them; refused where they differ. */
function adoptVpc(vpc: Vpc, from: string, read: <T>(file: string) => T, notes: string[]) {
  const refuse = (what: string) => {
    throw new ToolError(`${vpc.VpcId} (${from}) cannot be adopted as the stacks build a VPC: ${what}`);
  };
  const subnets = read<{ Subnets: Subnet[] }>(INVENTORY_FILES.subnets).Subnets.filter((subnet) => subnet.VpcId === vpc.VpcId);
  const tables = read<{ RouteTables: RouteTable[] }>(INVENTORY_FILES.routeTables).RouteTables.filter((table) => table.VpcId === vpc.VpcId);
  const mainTable = tables.find((table) => table.Associations.some((association) => association.Main));
  const tableOf = (subnet: Subnet) => tables.find((table) => table.Associations.some((association) => association.SubnetId === subnet.SubnetId)) ?? mainTable;
  const defaultRoute = (table: RouteTable | undefined) => table?.Routes.find((route) => route.DestinationCidrBlock === '0.0.0.0/0');
  const isPublic = (subnet: Subnet) => defaultRoute(tableOf(subnet))?.GatewayId?.startsWith('igw-') ?? false;
  if ((vpc.CidrBlockAssociationSet?.length ?? 1) > 1)
    notes.push(`${vpc.VpcId} has secondary CIDRs: only ${vpc.CidrBlock} is described; subnets outside it cannot be adopted.`);

  const zoneNames = [...new Set(subnets.map((subnet) => subnet.AvailabilityZone))].sort();
  if (zoneNames.length === 0) refuse('it has no subnet');
  const zones = zoneNames.map((zone) => {
    const inZone = subnets.filter((subnet) => subnet.AvailabilityZone === zone);
    const tier = (publicTier: boolean) => {
      const found = inZone.filter((subnet) => isPublic(subnet) === publicTier);
      const kind = publicTier ? 'public (a default route to the internet gateway)' : 'private';
      if (found.length !== 1) {
        refuse(
          `${zone} has ${found.length} ${kind} subnets${found.length > 0 ? ` (${found.map((subnet) => `${subnet.SubnetId} ${subnet.CidrBlock}`).join(', ')})` : ''}, where the stacks build exactly one public and one private subnet per zone: ` +
            'merge or empty the extra subnets first, or describe the VPC outside this account (vpc.peers from the account that replaces it)',
        );
      }
      return found[0];
    };
    return { zone, public: tier(true), private: tier(false) };
  });

  // A main table is every unassociated subnet's: taken over, it would stop being so. New tables are made instead.
  const adoptable = (table: RouteTable | undefined) => (table && !table.Associations.some((association) => association.Main) ? table : undefined);
  const publicTables = [...new Set(zones.map((zone) => tableOf(zone.public)))];
  if (publicTables.length > 1)
    refuse(
      `its public subnets use ${publicTables.length} route tables (${publicTables.map((table) => table?.RouteTableId).join(', ')}), where the stacks build one for all of them: associate them with one first`,
    );
  const publicTable = adoptable(publicTables[0]);
  if (!publicTable) notes.push(`The public subnets of ${vpc.VpcId} use its main route table: a new public table is made and associated with them.`);
  const privateTables = zones.map((zone) => adoptable(tableOf(zone.private)));
  const shared = privateTables.filter((table, index) => table && privateTables.indexOf(table) < index);
  if (shared.length > 0)
    refuse(
      `its private subnets share route table ${shared[0]!.RouteTableId}, where the stacks give each zone a table of its own: give each private subnet its own table first`,
    );

  const internetGateway = read<{ InternetGateways: { InternetGatewayId: string; Attachments: { VpcId: string }[] }[] }>(
    INVENTORY_FILES.internetGateways,
  ).InternetGateways.find((gateway) => gateway.Attachments.some((attachment) => attachment.VpcId === vpc.VpcId));
  const natGateways = read<{ NatGateways: NatGateway[] }>(INVENTORY_FILES.natGateways).NatGateways.filter(
    (gateway) => gateway.VpcId === vpc.VpcId && gateway.State === 'available' && gateway.ConnectivityType !== 'private',
  );
  const natZone = (gateway: NatGateway) => zones.find((zone) => zone.public.SubnetId === gateway.SubnetId);
  for (const gateway of natGateways) if (!natZone(gateway)) refuse(`NAT gateway ${gateway.NatGatewayId} is not in one of its public subnets`);
  if (natGateways.length > 1 && natGateways.length !== zones.length)
    refuse(`it has ${natGateways.length} NAT gateways for ${zones.length} zones, where the stacks build one, or one per zone`);
  const egress: Egress = natGateways.length === 0 ? 'none' : natGateways.length === 1 ? 'nat-gateway' : 'nat-gateway-per-zone';
  // With one gateway, its zone comes first: egress nat-gateway puts it in the first zone.
  if (egress === 'nat-gateway') zones.sort((a, b) => Number(b === natZone(natGateways[0])) - Number(a === natZone(natGateways[0])));
  for (const [index, zone] of zones.entries()) {
    const table = privateTables[zoneNames.indexOf(zone.zone)];
    const gateway = egress === 'nat-gateway' ? natGateways[0] : natGateways.find((candidate) => natZone(candidate) === zone);
    if (table && gateway && defaultRoute(table)?.NatGatewayId !== gateway.NatGatewayId) {
      refuse(
        `route table ${table.RouteTableId} of ${zone.zone}'s private subnet does not route 0.0.0.0/0 through ${gateway.NatGatewayId}, as the stacks would: route it so first`,
      );
    }
    if (index === 0 && egress === 'none' && table && defaultRoute(table))
      notes.push(`${table.RouteTableId} has a default route through something the stacks do not build: it stays as it is.`);
  }

  const acls = read<{ NetworkAcls: NetworkAcl[] }>(INVENTORY_FILES.networkAcls).NetworkAcls.filter((acl) => acl.VpcId === vpc.VpcId && !acl.IsDefault);
  const aclOf = (members: readonly Subnet[]) => {
    const ids = members.map((subnet) => subnet.SubnetId).sort();
    return acls.find((acl) => JSON.stringify(acl.Associations.map((association) => association.SubnetId).sort()) === JSON.stringify(ids))?.NetworkAclId;
  };
  const networkAcls = { public: aclOf(zones.map((zone) => zone.public)), private: aclOf(zones.map((zone) => zone.private)) };
  for (const acl of acls.filter((candidate) => !Object.values(networkAcls).includes(candidate.NetworkAclId))) {
    notes.push(
      `Network ACL ${acl.NetworkAclId} is associated with other subnets than one tier's: not adopted; the stacks' ACLs take its subnets over, it stays unused.`,
    );
  }
  const defaultGroup = read<{ SecurityGroups: SecurityGroup[] }>(INVENTORY_FILES.securityGroups).SecurityGroups.find(
    (group) => group.VpcId === vpc.VpcId && group.GroupName === 'default',
  );
  if (defaultGroup && defaultGroup.IpPermissions.length > 0) {
    notes.push(
      `The stack empties the default security group ${defaultGroup.GroupId} of ${vpc.VpcId} (${defaultGroup.IpPermissions.length} inbound rule(s) today): move whatever uses it to a group of its own first.`,
    );
  }

  const orderedNames = zones.map((zone) => zone.zone);
  return {
    vpc: { cidr: vpc.CidrBlock, zones: orderedNames, egress },
    adopt: {
      id: vpc.VpcId,
      ...(internetGateway ? { internetGateway: internetGateway.InternetGatewayId } : {}),
      ...(publicTable ? { publicRouteTable: publicTable.RouteTableId } : {}),
      zones: Object.fromEntries(
        zones.map((zone) => {
          const table = privateTables[zoneNames.indexOf(zone.zone)];
          const gateway = egress === 'nat-gateway-per-zone' || zone === zones[0] ? natGateways.find((candidate) => natZone(candidate) === zone) : undefined;
          const allocation = gateway?.NatGatewayAddresses[0]?.AllocationId;
          return [
            zone.zone,
            {
              public: { id: zone.public.SubnetId, cidr: zone.public.CidrBlock },
              private: { id: zone.private.SubnetId, cidr: zone.private.CidrBlock, ...(table ? { routeTable: table.RouteTableId } : {}) },
              ...(gateway && allocation ? { natGateway: { id: gateway.NatGatewayId, allocation } } : {}),
            },
          ];
        }),
      ),
      ...(networkAcls.public || networkAcls.private ? { networkAcls: Object.fromEntries(Object.entries(networkAcls).filter(([, id]) => id)) } : {}),
    },
  };
}

/** Groups (slugged names), users in them, and each group's AWS managed policies as its permissions in this account. */
function adoptIdentity(options: InventoryOptions, read: <T>(file: string) => T, notes: string[]) {
  const groupNames = read<{ Groups: { GroupName: string }[] }>(INVENTORY_FILES.groups).Groups.map((group) => group.GroupName);
  const groups: Record<string, { description: string }> = {};
  const adoptGroups: Record<string, string> = {};
  const access: Record<string, Record<string, string[]>> = {};
  const memberships = new Map<string, string[]>();
  for (const existing of groupNames) {
    const name = slugOf(existing);
    groups[name] = { description: `IAM group ${existing} of the flat account` };
    adoptGroups[name] = existing;
    for (const user of read<{ Users: { UserName: string }[] }>(groupFile('get-group', existing)).Users)
      memberships.set(user.UserName, [...(memberships.get(user.UserName) ?? []), name]);
    const policies = read<{ AttachedPolicies: { PolicyName: string; PolicyArn: string }[] }>(
      groupFile('list-attached-group-policies', existing),
    ).AttachedPolicies;
    const managed = policies.flatMap((policy) => {
      const awsManaged = /^arn:aws[\w-]*:iam::aws:policy\/(.+)$/.exec(policy.PolicyArn)?.[1];
      if (!awsManaged)
        notes.push(
          `Group ${existing}'s customer managed policy ${policy.PolicyArn} is not described: it stays attached; describe what it grants with AWS managed or the project's permissions.`,
        );
      return awsManaged ? [awsManaged] : [];
    });
    if (managed.length > 0) access[name] = { [options.account]: managed };
  }
  const users: Record<string, { groups: string[] }> = {};
  const adoptUsers: Record<string, string> = {};
  for (const { UserName } of read<{ Users: { UserName: string }[] }>(INVENTORY_FILES.users).Users) {
    const inGroups = memberships.get(UserName);
    if (!inGroups) {
      notes.push(`User ${UserName} is in no group: not adopted (the description gives every user a group); add it to one, then to users and adopt.users.`);
      continue;
    }
    users[UserName] = { groups: inGroups };
    adoptUsers[UserName] = UserName;
  }
  return { groups, adoptGroups, users, adoptUsers, access };
}

/** Repositories the stacks can take over as they are, and the account's own AMIs. */
function adoptArtifacts(read: <T>(file: string) => T, notes: string[]) {
  const ecr = read<{ repositories: Repository[] }>(INVENTORY_FILES.repositories).repositories.flatMap((repository) => {
    const encryption = repository.encryptionConfiguration ?? { encryptionType: 'AES256' };
    if (encryption.kmsKey && !/alias\/aws\/ecr$/.test(encryption.kmsKey)) {
      notes.push(
        `Repository ${repository.repositoryName} is encrypted with the key ${encryption.kmsKey}: the stacks use AES256 or the aws/ecr key, and a repository's encryption cannot change, so it is not adopted.`,
      );
      return [];
    }
    return [
      {
        name: repository.repositoryName,
        imageTagMutability: repository.imageTagMutability,
        scanOnPush: repository.imageScanningConfiguration?.scanOnPush ?? false,
        encryption: encryption.encryptionType === 'KMS' ? ('KMS' as const) : ('AES256' as const),
      },
    ];
  });
  const amis = read<{ Images: Image[] }>(INVENTORY_FILES.images).Images.flatMap((image) => {
    const keys = [...new Set((image.BlockDeviceMappings ?? []).flatMap((mapping) => (mapping.Ebs?.Encrypted ? [mapping.Ebs.KmsKeyId ?? 'aws/ebs'] : [])))];
    if (keys.length > 0) notes.push(`AMI ${image.ImageId} is encrypted (${keys.join(', ')}): its entry needs kmsKey (docs/sharing.md).`);
    return [{ name: slugOf(image.Name ?? image.ImageId), id: image.ImageId }];
  });
  return { ecr, amis };
}
