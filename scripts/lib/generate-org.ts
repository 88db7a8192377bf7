// Writes a synthetic organization of any size, shaped like the default one: for the bench and for tests
// that must hold for organizations larger than the example.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadOrganization } from '../../description/load';
import { MAX_PEERING_CONNECTIONS_PER_VPC } from '../../description/schema/network';

const GROUPS = ['dev', 'dev-leads', 'qa', 'ops', 'billing'] as const;

/** Account names of an organization of `count` accounts: management, then dev, qa, prod, workload-05... */
function generatedAccountNames(count: number): string[] {
  const members = Array.from({ length: count - 1 }, (_, index) => ['dev', 'qa', 'prod'][index] ?? `workload-${String(index + 2).padStart(2, '0')}`);
  return ['management', ...members];
}

/** AWS defaults of the quotas a full mesh of VPCs grows into. */
const DEFAULT_PEERINGS_PER_VPC = 50;
const DEFAULT_ROUTES_PER_TABLE = 50;

/** Every account but the management one has a VPC, and all of them are peered: one VPC more than a VPC's peers. */
export const MAX_GENERATED_ACCOUNTS = MAX_PEERING_CONNECTIONS_PER_VPC + 2;

/** The quotas the mesh of `vpcs` VPCs needs raised above AWS's defaults; none when it fits them. */
function meshQuotas(vpcs: number): Record<string, number> | undefined {
  const peers = vpcs - 1;
  // A route per peer, plus local, the default route and the S3 endpoint.
  const routes = peers + 3;
  if (peers <= DEFAULT_PEERINGS_PER_VPC && routes <= DEFAULT_ROUTES_PER_TABLE) return undefined;
  return { peeringConnectionsPerVpc: Math.max(peers, DEFAULT_PEERINGS_PER_VPC), routesPerRouteTable: Math.max(routes, DEFAULT_ROUTES_PER_TABLE) };
}

/** Accounts of a generated hub organization at most: its VPCs are 10.<n>.0.0/16, n from 1 to 254. */
export const MAX_GENERATED_HUB_ACCOUNTS = 255;

/** The account that holds the transit gateway in a generated hub organization; it has no VPC. */
export const GENERATED_NETWORK_ACCOUNT = 'network';

/**
 * The connectivity rules of a generated organization with isolated production: the nonproduction accounts
 * reach each other, prod (when there is one) reaches dev alone, on 443 only.
 */
function isolatedProduction(accounts: readonly string[]) {
  return [
    { between: [{ ou: 'Workloads/NonProd' }] },
    ...(accounts.includes('prod') ? [{ between: [{ account: 'prod' }, { account: 'dev' }], ports: [443] }] : []),
  ];
}

export interface GeneratedNetwork {
  /** A transit gateway in a network account, with centralized egress, instead of the mesh. */
  readonly transitGateway?: boolean;
  /** Connectivity rules instead of all-to-all: nonproduction accounts reach each other, prod reaches dev alone (443). */
  readonly isolateProduction?: boolean;
}

/** Writes the organization; returns the network quotas it raised (as such an organization would have asked AWS), if any. */
export function generateOrganization(dir: string, accountCount: number, network: GeneratedNetwork = {}): Record<string, number> | undefined {
  const hub = network.transitGateway === true;
  const most = hub ? MAX_GENERATED_HUB_ACCOUNTS : MAX_GENERATED_ACCOUNTS;
  if (accountCount < (hub ? 3 : 2) || accountCount > most) {
    throw new Error(
      hub
        ? `generated hub organizations have 3 to ${most} accounts, not ${accountCount}: a network account, and every other account but the management one has a VPC 10.<n>.0.0/16`
        : `generated organizations have 2 to ${most} accounts, not ${accountCount}: every account but the management one has a VPC, ` +
            `all of them peered, and AWS allows a VPC at most ${MAX_PEERING_CONNECTIONS_PER_VPC} peering connections`,
    );
  }
  const networkQuotas = hub ? undefined : meshQuotas(accountCount - 1);
  mkdirSync(dir, { recursive: true });
  const [management, ...others] = generatedAccountNames(hub ? accountCount - 1 : accountCount);
  const members = hub ? [GENERATED_NETWORK_ACCOUNT, ...others] : others;
  const networked = hub ? others : members;
  const identity = networked[0];
  const cell = (permissions: string[]) => Object.fromEntries(members.map((member) => [member, member === identity ? permissions : ['ReadOnlyAccess']]));
  writeFileSync(
    join(dir, 'organization.yaml'),
    stringify({
      name: `generated-${accountCount}`,
      homeRegion: 'us-east-1',
      allowedRegions: ['us-east-1', 'us-west-2'],
      managementAccount: management,
      identityAccount: identity,
      groups: Object.fromEntries(GROUPS.map((group) => [group, { description: `The ${group} job function` }])),
      users: Object.fromEntries(GROUPS.map((group, index) => [`user-${index + 1}`, { groups: [group] }])),
      access: {
        dev: cell(['PowerUserAccess']),
        'dev-leads': cell(['PowerUserAccess', 'pass-application-roles']),
        qa: cell(['ReadOnlyAccess']),
        ops: { ...Object.fromEntries(members.map((member) => [member, ['AdministratorAccess']])), [management]: ['ReadOnlyAccess'] },
        billing: { [identity]: ['AWSBillingReadOnlyAccess'], [management]: ['job-function/Billing'] },
      },
      // The AMI encrypted with the project's key: its key policy is one of those that grow with the consumers.
      sharing: { ecr: [{ name: 'app' }], amis: [{ name: 'base', id: 'ami-0123456789abcdef0', kmsKey: 'project' }] },
      ...(hub || network.isolateProduction
        ? {
            network: {
              ...(hub ? { topology: 'transit-gateway', account: GENERATED_NETWORK_ACCOUNT, egress: 'centralized', egressVpc: { cidr: '192.168.0.0/24' } } : {}),
              ...(network.isolateProduction ? { connectivity: isolatedProduction(networked) } : {}),
            },
          }
        : {}),
      // A mesh this large needs the AWS quotas raised, as such an organization would have done.
      ...(networkQuotas ? { networkQuotas } : {}),
    }),
  );
  const accountId = (index: number) => String(100000000000 + index);
  writeFileSync(join(dir, `${management}.yaml`), stringify({ id: accountId(0), email: `${management}@example.com` }));
  if (hub)
    writeFileSync(
      join(dir, `${GENERATED_NETWORK_ACCOUNT}.yaml`),
      stringify({ id: accountId(accountCount - 1), email: `${GENERATED_NETWORK_ACCOUNT}@example.com`, ou: 'Infrastructure' }),
    );
  networked.forEach((member, index) => {
    const number = index + 1;
    writeFileSync(
      join(dir, `${member}.yaml`),
      stringify({
        id: accountId(number),
        email: `${member}@example.com`,
        ou: member === 'prod' ? 'Workloads/Prod' : 'Workloads/NonProd',
        vpc: { cidr: `10.${number}.0.0/16` },
      }),
    );
  });
  // Never an organization its own checks refuse (the synth's limits on documents are the largest one's test).
  loadOrganization(dir);
  return networkQuotas;
}
