// Properties that hold for any organization a description can express (fast-check): random valid
// organizations (__tests__/random-organizations.ts) synthesize, every policy is valid for its kind, and the
// guardrail and mesh invariants hold; the checks themselves are shown to find a broken invariant. Runs and
// sizes are bounded: every synth costs about a second of CPU (docs/maintaining.md).
import { validateIdentityPolicy, validateResourcePolicy, validateServiceControlPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import fc from 'fast-check';
import type { TerraformJson } from '../scripts/lib/synthesized';
import { synthesizeOrg } from './helpers';
import { LARGEST, type OrgSpec, orgSpec, writeOrg } from './random-organizations';

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
const allowsAnyone = (principal: unknown): boolean =>
  principal === '*' || (typeof principal === 'object' && principal !== null && Object.values(principal).flat().includes('*'));

/** The statements that keep an insider in their row of the access matrix (the insider-*.test.ts files prove each). */
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
    for (const statement of statements(policy))
      if (statement.Effect === 'Allow' && allowsAnyone(statement.Principal)) problems.push(`${policy.where}: allows principal "*"`);
  }
  // Every role people switch into requires MFA, in every statement that lets anyone assume it.
  for (const [stack, json] of stacks) {
    for (const [name, role] of Object.entries(json.resource?.aws_iam_role ?? {})) {
      if (!String(role.name).startsWith('cross-')) continue;
      for (const statement of [JSON.parse(role.assume_role_policy as string).Statement].flat()) {
        if (statement.Effect === 'Allow' && statement.Condition?.Bool?.['aws:MultiFactorAuthPresent'] !== 'true')
          problems.push(`${stack}: ${name} is assumed without MFA`);
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
  for (const policy of scps)
    if ((policy.content as string).length > 5120) problems.push(`${String(policy.name)}: ${(policy.content as string).length} characters`);
  const perTarget = new Map<string, number>();
  for (const attachment of Object.values(management?.resource?.aws_organizations_policy_attachment ?? {})) {
    if (!String(attachment.policy_id).includes('environmentTagPolicy'))
      perTarget.set(String(attachment.target_id), (perTarget.get(String(attachment.target_id)) ?? 0) + 1);
  }
  for (const [target, count] of perTarget) if (count > 4) problems.push(`${count} service control policies on ${target}`);
  // The mesh: one connection per pair of VPCs, and routes both ways to each peer's CIDR.
  const cidrs = new Map(
    spec.accounts.flatMap((account, index) => (spec.vpcs[index] ? [[account, `10.${spec.vpcs[index]!.octet}.0.0/${spec.vpcs[index]!.prefix}`] as const] : [])),
  );
  const mesh = stacks.get('vpc-peering');
  if (cidrs.size < 2) {
    if (mesh) problems.push('a mesh without two VPCs');
  } else {
    const forEachKeys = (type: string) => Object.values(mesh?.resource?.[type] ?? {}).flatMap((block) => Object.keys(block.for_each as object));
    const pairs = (cidrs.size * (cidrs.size - 1)) / 2;
    if (forEachKeys('aws_vpc_peering_connection').length !== pairs)
      problems.push(`${forEachKeys('aws_vpc_peering_connection').length} connections for ${cidrs.size} VPCs`);
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
