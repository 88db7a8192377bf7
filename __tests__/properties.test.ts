// Properties that hold for any organization a description can express (fast-check): random valid
// organizations synthesize and keep the invariants; a random single mutation of one into an invalid one
// is refused with a problem naming the mutated file and field; generated organizations of any size the
// mesh allows keep their documents within AWS's limits. Runs and sizes are bounded: every synth costs
// about a second of CPU (docs/maintaining.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateIdentityPolicy, validateResourcePolicy, validateServiceControlPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { App, Aspects } from 'cdktf';
import { loadOrganization } from '../description/load';
import { SynthGuardrails } from '../modules/synth-guardrails/synth-guardrails';
import { generateOrganization, MAX_GENERATED_ACCOUNTS } from '../scripts/lib/generate-org';
import { AccountStack } from '../stacks/account-stack';
import type { TerraformJson } from '../scripts/lib/synthesized';
import { problemsOf, scratchDir, synthesizeOrg } from './helpers';

const GROUPS = ['dev', 'qa', 'ops', 'data'] as const;
const PERMISSIONS = ['ReadOnlyAccess', 'job-function/ViewOnlyAccess', 'PowerUserAccess', 'AdministratorAccess', 'triage'] as const;

interface OrgSpec {
  /** Account names, the management account first; the second (if any) is the identity account. */
  readonly accounts: readonly string[];
  /** Per account: its VPC's second octet and prefix (10.<octet>.0.0/<prefix>), or null for none. */
  readonly vpcs: readonly ({ octet: number; prefix: number } | null)[];
  readonly groups: readonly string[];
  readonly users: Readonly<Record<string, readonly string[]>>;
  /** group -> account -> permissions. */
  readonly access: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

const orgSpec = (maxAccounts: number): fc.Arbitrary<OrgSpec> =>
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

const LARGEST: OrgSpec = (() => {
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
function writeOrg(spec: OrgSpec): string {
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

type Stacks = ReadonlyMap<string, TerraformJson>;

interface PolicyFound {
  readonly where: string;
  readonly kind: 'trust' | 'identity' | 'resource' | 'scp';
  readonly document: { Statement: any[] | any };
}

/** Which validator a policy document of this resource attribute is for. */
const POLICY_KINDS: Readonly<Record<string, PolicyFound['kind']>> = {
  'aws_iam_role.assume_role_policy': 'trust',
  'aws_iam_policy.policy': 'identity',
  'aws_iam_role_policy.policy': 'identity',
  'aws_iam_group_policy.policy': 'identity',
  'aws_iam_user_policy.policy': 'identity',
  'aws_s3_bucket_policy.policy': 'resource',
  'aws_ecr_repository_policy.policy': 'resource',
  'aws_kms_key.policy': 'resource',
  'aws_organizations_policy.content': 'scp',
};

/** Every policy document (a JSON string with a Statement) in every resource attribute, top level. */
function policies(stacks: Stacks): PolicyFound[] {
  const found: PolicyFound[] = [];
  for (const [stack, json] of stacks) {
    for (const [type, blocks] of Object.entries(json.resource ?? {})) {
      for (const [name, block] of Object.entries(blocks)) {
        for (const [attribute, value] of Object.entries(block)) {
          if (typeof value !== 'string' || !value.includes('"Statement"')) continue;
          const kind = POLICY_KINDS[`${type}.${attribute}`];
          const where = `${stack}: ${type}.${name}.${attribute}`;
          // A policy of a kind not listed above fails the kind check below: list it, with its validator.
          found.push({
            where,
            kind: kind ?? (`unlisted ${type}.${attribute}` as never),
            document: JSON.parse(value),
          });
        }
      }
    }
  }
  return found;
}

const VALIDATORS = {
  trust: validateTrustPolicy,
  identity: validateIdentityPolicy,
  resource: validateResourcePolicy,
  scp: validateServiceControlPolicy,
};
const statements = (policy: PolicyFound) => [policy.document.Statement].flat();
const allowsAnyone = (principal: unknown): boolean => principal === '*' || (typeof principal === 'object' && principal !== null && Object.values(principal).flat().includes('*'));

/** The statements that keep an insider in their row of the access matrix (__tests__/insider.test.ts proves each). */
const ISOLATION_STATEMENTS = [
  'DenyGroupTagsOnUsers',
  'DenyOtherUsersCredentials',
  'DenyIamUsersOutsideIdentityAccount',
  'ProtectPlatformPolicies',
  'ProtectSharedRepositories',
  'ProtectAccountBaseline',
  'DenyAllInSuspendedAccounts',
];

/** Every problem with the invariants, as readable lines (empty when they hold). */
function invariantViolations(spec: OrgSpec, stacks: Stacks): string[] {
  const problems: string[] = [];
  const found = policies(stacks);
  for (const policy of found) {
    const validate = VALIDATORS[policy.kind];
    if (!validate) problems.push(`${policy.where}: a policy of a kind the test does not validate`);
    else for (const error of validate(policy.document)) problems.push(`${policy.where}: invalid ${policy.kind} policy: ${error.message} at ${error.path}`);
    // Denying everyone (e.g. insecure transport) is what a "*" principal is for.
    for (const statement of statements(policy)) if (statement.Effect === 'Allow' && allowsAnyone(statement.Principal)) problems.push(`${policy.where}: allows principal "*"`);
  }
  // Every role people switch into requires MFA, in every statement that lets anyone assume it.
  for (const [stack, json] of stacks) {
    for (const [name, role] of Object.entries(json.resource?.aws_iam_role ?? {})) {
      if (!String(role.name).startsWith('cross-')) continue;
      for (const statement of [JSON.parse(role.assume_role_policy as string).Statement].flat()) {
        if (statement.Effect === 'Allow' && statement.Condition?.Bool?.['aws:MultiFactorAuthPresent'] !== 'true') problems.push(`${stack}: ${name} is assumed without MFA`);
      }
    }
    // Every taggable resource carries the Environment tag: every provider tags by default.
    for (const provider of json.provider?.aws ?? []) {
      const tags = (provider.default_tags as { tags?: Record<string, string> }[] | undefined)?.[0]?.tags;
      if (!tags?.Environment) problems.push(`${stack}: provider ${String(provider.alias ?? 'default')} has no Environment default tag`);
    }
  }
  // The guardrails: every isolation statement, in policies AWS accepts (5,120 characters, 5 per target with FullAWSAccess).
  const management = stacks.get(spec.accounts[0]);
  const scps = Object.values(management?.resource?.aws_organizations_policy ?? {}).filter((policy) => policy.type === 'SERVICE_CONTROL_POLICY');
  const sids = new Set(scps.flatMap((policy) => JSON.parse(policy.content as string).Statement.map((statement: { Sid: string }) => statement.Sid)));
  const missing = ISOLATION_STATEMENTS.filter((sid) => !sids.has(sid));
  if (missing.length > 0) problems.push(`no guardrail statement ${missing.join(', ')}`);
  for (const policy of scps) if ((policy.content as string).length > 5120) problems.push(`${String(policy.name)}: ${(policy.content as string).length} characters`);
  const perTarget = new Map<string, number>();
  for (const attachment of Object.values(management?.resource?.aws_organizations_policy_attachment ?? {})) {
    if (!String(attachment.policy_id).includes('environmentTagPolicy')) perTarget.set(String(attachment.target_id), (perTarget.get(String(attachment.target_id)) ?? 0) + 1);
  }
  for (const [target, count] of perTarget) if (count > 4) problems.push(`${count} service control policies on ${target}`);
  // The mesh: one connection per pair of VPCs, and routes both ways to each peer's CIDR.
  const cidrs = new Map(spec.accounts.flatMap((account, index) => (spec.vpcs[index] ? [[account, `10.${spec.vpcs[index]!.octet}.0.0/${spec.vpcs[index]!.prefix}`] as const] : [])));
  const mesh = stacks.get('vpc-peering');
  if (cidrs.size < 2) {
    if (mesh) problems.push('a mesh without two VPCs');
  } else {
    const forEachKeys = (type: string) => Object.values(mesh?.resource?.[type] ?? {}).flatMap((block) => Object.keys(block.for_each as object));
    const pairs = (cidrs.size * (cidrs.size - 1)) / 2;
    if (forEachKeys('aws_vpc_peering_connection').length !== pairs) problems.push(`${forEachKeys('aws_vpc_peering_connection').length} connections for ${cidrs.size} VPCs`);
    if (forEachKeys('aws_vpc_peering_connection_accepter').length !== pairs)
      problems.push(`${forEachKeys('aws_vpc_peering_connection_accepter').length} accepters for ${cidrs.size} VPCs`);
    const routed = new Set<string>();
    for (const block of Object.values(mesh?.resource?.aws_route ?? {})) {
      const owner = /\/mesh\/(.+)-routes$/.exec((block['//'] as any).metadata.path)![1];
      for (const [key, route] of Object.entries(block.for_each as Record<string, { destination: string }>)) {
        const peer = key.slice(0, key.indexOf(':'));
        if (route.destination !== cidrs.get(peer)) problems.push(`${owner} routes to ${peer} by ${route.destination}, not ${cidrs.get(peer)}`);
        routed.add(`${owner}->${peer}`);
      }
    }
    for (const a of cidrs.keys()) for (const b of cidrs.keys()) if (a !== b && !routed.has(`${a}->${b}`)) problems.push(`${a} has no route to ${b}`);
  }
  return problems;
}

it('random valid organizations (1 to 12 accounts) synthesize and keep every invariant', async () => {
  await fc.assert(
    fc.asyncProperty(orgSpec(12), async (spec) => {
      const synthesized = await synthesizeOrg(writeOrg(spec));
      const stacks = new Map(synthesized.stacks.map((stack) => [stack.name, stack.json!]));
      expect(stacks.size).toBe(spec.accounts.length + 1 + (spec.vpcs.filter(Boolean).length >= 2 ? 1 : 0));
      expect(policies(stacks).length).toBeGreaterThan(spec.accounts.length);
      expect(invariantViolations(spec, stacks)).toEqual([]);
    }),
    // Always the largest organization too, every account with a VPC and every group reaching everywhere.
    { numRuns: 12, examples: [[LARGEST]] },
  );
});

it('the invariant checks find a broken invariant (they are not vacuous)', () => {
  const spec: OrgSpec = {
    accounts: ['management', 'dev', 'prod'],
    vpcs: [null, { octet: 1, prefix: 16 }, { octet: 2, prefix: 16 }],
    groups: ['dev'],
    users: {},
    access: {},
  };
  const role = (principal: unknown, condition?: object) => ({
    name: 'cross-dev',
    assume_role_policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: principal,
          Action: 'sts:AssumeRole',
          ...(condition ? { Condition: condition } : {}),
        },
      ],
    }),
  });
  const stacks: Stacks = new Map<string, TerraformJson>([
    [
      'dev',
      {
        provider: { aws: [{ default_tags: [{ tags: {} }] }] },
        resource: {
          aws_iam_role: {
            open: role('*'),
            nomfa: role({ AWS: 'arn:aws:iam::222222222222:root' }),
          },
          aws_iam_policy: {
            typo: {
              policy: JSON.stringify({
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allw', Action: 's3:GetObject', Resource: '*' }],
              }),
            },
          },
          aws_glacier_vault: {
            unlisted: { access_policy: JSON.stringify({ Statement: [] }) },
          },
        },
      },
    ],
    [
      'vpc-peering',
      {
        resource: {
          aws_vpc_peering_connection: {},
          aws_vpc_peering_connection_accepter: {},
          aws_route: {},
        },
      },
    ],
  ]);
  expect(invariantViolations(spec, stacks)).toEqual([
    'dev: aws_iam_role.open.assume_role_policy: allows principal "*"',
    'dev: aws_iam_policy.typo.policy: invalid identity policy: Effect must be present and exactly "Allow" or "Deny" at Statement[0].Effect',
    'dev: aws_glacier_vault.unlisted.access_policy: a policy of a kind the test does not validate',
    'dev: open is assumed without MFA',
    'dev: nomfa is assumed without MFA',
    'dev: provider default has no Environment default tag',
    `no guardrail statement ${ISOLATION_STATEMENTS.join(', ')}`,
    '0 connections for 2 VPCs',
    '0 accepters for 2 VPCs',
    'dev has no route to prod',
    'prod has no route to dev',
  ]);
});

/** One way to break a valid description, and the file and field its problem must name. */
interface Mutation {
  readonly file: string;
  readonly field: string;
  apply(dir: string): void;
}

const edit = (dir: string, file: string, change: (content: any) => void) => {
  const path = join(dir, file);
  const content = parse(readFileSync(path, 'utf8'));
  change(content);
  writeFileSync(path, stringify(content));
};

const mutation = (spec: OrgSpec): fc.Arbitrary<Mutation> => {
  const account = fc.constantFrom(...spec.accounts);
  const networked = spec.accounts.filter((_, index) => spec.vpcs[index]);
  const junk = fc.stringMatching(/^[a-z]{3,8}$/);
  const mutations: fc.Arbitrary<Mutation>[] = [
    fc.tuple(account, fc.stringMatching(/^[0-9]{1,11}$/)).map(([name, id]) => ({
      file: `${name}.yaml`,
      field: 'id',
      apply: (dir) => edit(dir, `${name}.yaml`, (file) => (file.id = id)),
    })),
    fc.tuple(account, junk).map(([name, email]) => ({
      file: `${name}.yaml`,
      field: 'email',
      apply: (dir) => edit(dir, `${name}.yaml`, (file) => (file.email = email)),
    })),
    fc.tuple(account, junk).map(([name, key]) => ({
      file: `${name}.yaml`,
      field: `x${key}`,
      apply: (dir) => edit(dir, `${name}.yaml`, (file) => (file[`x${key}`] = true)),
    })),
    junk.map((key) => ({
      file: 'organization.yaml',
      field: `x${key}`,
      apply: (dir) => edit(dir, 'organization.yaml', (org) => (org[`x${key}`] = 1)),
    })),
    junk.map((name) => ({
      file: 'organization.yaml',
      field: 'identityAccount',
      apply: (dir) => edit(dir, 'organization.yaml', (org) => (org.identityAccount = `no-${name}`)),
    })),
    fc.constantFrom('eu-west-9', 'useast1', 'US-EAST-1').map((region) => ({
      file: 'organization.yaml',
      field: 'homeRegion',
      apply: (dir) => edit(dir, 'organization.yaml', (org) => (org.homeRegion = region)),
    })),
    fc.tuple(fc.constantFrom(...spec.groups), account, junk).map(([group, name, policy]) => ({
      file: 'organization.yaml',
      field: `access.${group}.${name}[0]`,
      apply: (dir) => edit(dir, 'organization.yaml', (org) => ((org.access[group] ??= {})[name] = [`Zz${policy}`])),
    })),
    fc.tuple(fc.constantFrom(...spec.groups), junk).map(([group, name]) => ({
      file: 'organization.yaml',
      field: `access.${group}.no-${name}`,
      apply: (dir) => edit(dir, 'organization.yaml', (org) => ((org.access[group] ??= {})[`no-${name}`] = ['ReadOnlyAccess'])),
    })),
    junk.map((group) => ({
      file: 'organization.yaml',
      field: 'users.mallory.groups[0]',
      apply: (dir) => edit(dir, 'organization.yaml', (org) => (org.users.mallory = { groups: [`no-${group}`] })),
    })),
    fc.stringMatching(/^ami-[0-9a-f]{1,7}$/).map((id) => ({
      file: 'organization.yaml',
      field: 'sharing.amis[0].id',
      apply: (dir) => edit(dir, 'organization.yaml', (org) => (org.sharing.amis[0].id = id)),
    })),
  ];
  if (networked.length >= 2) {
    // The second VPC takes a block inside the first's.
    mutations.push(
      fc.constant({
        file: `${networked[1]}.yaml`,
        field: 'vpc.cidr',
        apply: (dir: string) => {
          const first = spec.vpcs[spec.accounts.indexOf(networked[0])]!;
          edit(dir, `${networked[1]}.yaml`, (file) => (file.vpc.cidr = `10.${first.octet}.0.0/24`));
        },
      }),
    );
  }
  if (networked.length >= 1) {
    mutations.push(
      fc.integer({ min: 29, max: 32 }).map((prefix) => ({
        file: `${networked[0]}.yaml`,
        field: 'vpc.cidr',
        apply: (dir: string) => edit(dir, `${networked[0]}.yaml`, (file) => (file.vpc.cidr = `10.0.0.0/${prefix}`)),
      })),
    );
  }
  return fc.oneof(...mutations);
};

it('refuses a random single mutation of a valid organization, naming the mutated file and field', () => {
  fc.assert(
    fc.property(
      orgSpec(6).chain((spec) => fc.tuple(fc.constant(spec), mutation(spec))),
      ([spec, change]) => {
        const dir = writeOrg(spec);
        expect(() => loadOrganization(dir)).not.toThrow();
        change.apply(dir);
        const problems = problemsOf(dir);
        expect(problems.filter((problem) => problem.startsWith(`${change.file}: ${change.field} `))).not.toEqual([]);
      },
    ),
    { numRuns: 40 },
  );
});

it('generated organizations of any size up to the largest mesh keep every document and attachment set of their growing stacks within AWS\'s limits', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: MAX_GENERATED_ACCOUNTS }), (count) => {
      const dir = scratchDir('generated');
      generateOrganization(dir, count);
      const org = loadOrganization(dir);
      // The stacks whose documents name accounts: management (guardrails, log archive), identity (groups),
      // artifact (repository, key), and the last account (its roles); the others are like the last.
      const growing = new Set([org.management.name, org.identity.name, org.artifact.name, org.accounts[org.accounts.length - 1].name]);
      const app = new App({ outdir: join(dir, 'out') });
      const guardrails = new SynthGuardrails({ organizationAccountIds: org.accounts.map((account) => account.id), iamQuotas: org.iamQuotas });
      for (const account of org.accounts.filter((candidate) => growing.has(candidate.name))) Aspects.of(new AccountStack(app, { org, account })).add(guardrails);
      // The guardrails fail the synth on a document over its limit.
      app.synth();
    }),
    { numRuns: 4 },
  );
});
