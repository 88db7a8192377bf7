// Random organizations for the property tests (fast-check): the shape of a valid description (accounts,
// VPCs, groups, users, access cells), an arbitrary of them, the largest one, and writing one to a directory.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { scratchDir } from './helpers';

const GROUPS = ['dev', 'qa', 'ops', 'data'] as const;
const PERMISSIONS = ['ReadOnlyAccess', 'job-function/ViewOnlyAccess', 'PowerUserAccess', 'AdministratorAccess', 'triage'] as const;

export interface OrgSpec {
  /** Account names, the management account first; the second (if any) is the identity account. */
  readonly accounts: readonly string[];
  /** Per account: its VPC's second octet and prefix (10.<octet>.0.0/<prefix>), or null for none. */
  readonly vpcs: readonly ({ octet: number; prefix: number } | null)[];
  readonly groups: readonly string[];
  readonly users: Readonly<Record<string, readonly string[]>>;
  /** group -> account -> permissions. */
  readonly access: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export const orgSpec = (maxAccounts: number): fc.Arbitrary<OrgSpec> =>
  fc.integer({ min: 1, max: maxAccounts }).chain((count) => {
    const accounts = ['management', ...Array.from({ length: count - 1 }, (_, index) => `workload-${String(index + 1).padStart(2, '0')}`)];
    // Distinct second octets and prefixes of /16 or longer: the VPCs never overlap.
    const vpcs = fc
      .tuple(
        fc.uniqueArray(fc.integer({ min: 0, max: 255 }), {
          minLength: count,
          maxLength: count,
        }),
        fc.array(fc.option(fc.integer({ min: 16, max: 20 }), { nil: null, freq: 3 }), { minLength: count, maxLength: count }),
      )
      .map(([octets, prefixes]) => prefixes.map((prefix, index) => (prefix === null ? null : { octet: octets[index], prefix })));
    return fc.tuple(vpcs, fc.subarray([...GROUPS], { minLength: 1 })).chain(([vpcs, groups]) =>
      fc.record({
        accounts: fc.constant(accounts),
        vpcs: fc.constant(vpcs),
        groups: fc.constant(groups),
        users: fc
          .array(
            fc.subarray(groups, {
              minLength: 1,
              maxLength: Math.min(2, groups.length),
            }),
            { maxLength: 4 },
          )
          .map((memberships) => Object.fromEntries(memberships.map((member, index) => [`user-${index + 1}`, member]))),
        access: fc.record(
          Object.fromEntries(
            groups.map((group) => [
              group,
              fc.subarray(accounts).chain((reached) =>
                fc
                  .tuple(
                    ...reached.map(() =>
                      fc.subarray([...PERMISSIONS], {
                        minLength: 1,
                        maxLength: 2,
                      }),
                    ),
                  )
                  .map((permissions) => Object.fromEntries(reached.map((account, index) => [account, permissions[index]]))),
              ),
            ]),
          ),
        ),
      }),
    );
  });

export const LARGEST: OrgSpec = (() => {
  const accounts = ['management', ...Array.from({ length: 11 }, (_, index) => `workload-${String(index + 1).padStart(2, '0')}`)];
  return {
    accounts,
    vpcs: accounts.map((_, index) => ({
      octet: index * 20,
      prefix: 16 + (index % 5),
    })),
    groups: [...GROUPS],
    users: Object.fromEntries(GROUPS.map((group, index) => [`user-${index + 1}`, [group]])),
    access: Object.fromEntries(GROUPS.map((group) => [group, Object.fromEntries(accounts.map((account) => [account, ['ReadOnlyAccess', 'triage']]))])),
  };
})();

/** The description of `spec`, written into a new directory. */
export function writeOrg(spec: OrgSpec): string {
  const dir = scratchDir('random-org');
  const [management, identity = management] = spec.accounts;
  const organization = {
    name: 'random',
    homeRegion: 'us-east-1',
    allowedRegions: ['us-east-1'],
    managementAccount: management,
    identityAccount: identity,
    groups: Object.fromEntries(spec.groups.map((group) => [group, { description: `The ${group} job function` }])),
    users: Object.fromEntries(Object.entries(spec.users).map(([user, groups]) => [user, { groups }])),
    access: spec.access,
    sharing: {
      ecr: [{ name: 'app' }],
      amis: [{ name: 'base', id: 'ami-0123456789abcdef0', kmsKey: 'project' }],
    },
  };
  writeFileSync(join(dir, 'organization.yaml'), stringify(organization));
  spec.accounts.forEach((account, index) => {
    const vpc = spec.vpcs[index];
    const file = {
      id: String(100000000000 + index),
      email: `${account}@example.com`,
      ...(vpc ? { vpc: { cidr: `10.${vpc.octet}.0.0/${vpc.prefix}` } } : {}),
    };
    writeFileSync(join(dir, `${account}.yaml`), stringify(file));
  });
  return dir;
}
