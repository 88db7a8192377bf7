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

/** Writes the organization; returns the network quotas it raised (as such an organization would have asked AWS), if any. */
export function generateOrganization(dir: string, accountCount: number): Record<string, number> | undefined {
  if (accountCount < 2 || accountCount > MAX_GENERATED_ACCOUNTS) {
    throw new Error(
      `generated organizations have 2 to ${MAX_GENERATED_ACCOUNTS} accounts, not ${accountCount}: every account but the management one has a VPC, ` +
        `all of them peered, and AWS allows a VPC at most ${MAX_PEERING_CONNECTIONS_PER_VPC} peering connections`,
    );
  }
  const networkQuotas = meshQuotas(accountCount - 1);
  mkdirSync(dir, { recursive: true });
  const [management, ...members] = generatedAccountNames(accountCount);
  const identity = members[0];
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
      // A mesh this large needs the AWS quotas raised, as such an organization would have done.
      ...(networkQuotas ? { networkQuotas } : {}),
    }),
  );
  const accountId = (index: number) => String(100000000000 + index);
  writeFileSync(join(dir, `${management}.yaml`), stringify({ id: accountId(0), email: `${management}@example.com` }));
  members.forEach((member, index) => {
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
