// Writes a synthetic organization of any size, shaped like the default one: for the bench and for tests
// that must hold for organizations larger than the example.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

const GROUPS = ['dev', 'dev-leads', 'qa', 'ops', 'billing'] as const;

/** Account names of an organization of `count` accounts: management, then dev, qa, prod, workload-05... */
function generatedAccountNames(count: number): string[] {
  const members = Array.from({ length: count - 1 }, (_, index) => ['dev', 'qa', 'prod'][index] ?? `workload-${String(index + 2).padStart(2, '0')}`);
  return ['management', ...members];
}

/** AWS defaults of the quotas a full mesh of VPCs grows into. */
const DEFAULT_PEERINGS_PER_VPC = 50;
const DEFAULT_ROUTES_PER_TABLE = 50;

function meshQuotas(vpcs: number): { networkQuotas?: Record<string, number> } {
  const peers = vpcs - 1;
  // A route per peer, plus local, the default route and the S3 endpoint.
  const routes = peers + 3;
  if (peers <= DEFAULT_PEERINGS_PER_VPC && routes <= DEFAULT_ROUTES_PER_TABLE) return {};
  return { networkQuotas: { peeringConnectionsPerVpc: Math.max(peers, DEFAULT_PEERINGS_PER_VPC), routesPerRouteTable: Math.max(routes, DEFAULT_ROUTES_PER_TABLE) } };
}

export function generateOrganization(dir: string, accountCount: number): void {
  if (accountCount < 2 || accountCount > 250) throw new Error(`generated organizations have 2 to 250 accounts, not ${accountCount}`);
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
      sharing: { ecr: [{ name: 'app' }], amis: [{ name: 'base', id: 'ami-0123456789abcdef0' }] },
      // A mesh this large needs the AWS quotas raised, as such an organization would have done.
      ...meshQuotas(members.length),
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
}
