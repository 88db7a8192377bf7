// A flat account brought under the organization in stages (docs/migration.md): recorded AWS CLI outputs go
// through `npm run inventory` to a description that synthesizes, and each stage's fixture synthesizes to
// exactly that stage's import and removed blocks (offline plans cannot import: they are asserted here, on
// the synthesized JSON; migration-plans.test.ts plans the stacks each stage changes).
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, runNode, scratchDir, synthesizeOrg, type Synthesized } from './helpers';

const FLAT = join(ROOT, '__tests__', 'fixtures', 'flat-account');
const AWS_CLI = join(FLAT, 'aws-cli');
const STAGES = ['stage-1-organization', 'stage-2-new-accounts', 'stage-3-identity', 'stage-4-peering', 'stage-5-forget'] as const;
type Stage = (typeof STAGES)[number];

const FLAT_ACCOUNT = '555555555555';
const readYaml = (path: string) => parse(readFileSync(path, 'utf8'));

/** Every import block of a stack: existing id -> the resource type it is imported into. */
function imports(synthesized: Synthesized, stack: string): Record<string, string> {
  const blocks = (synthesized.stack(stack).import ?? []) as { to: string; id: string }[];
  return Object.fromEntries(blocks.map((block) => [block.id, block.to.split('.')[0]]));
}

/** Every removed block of a stack: the addresses Terraform forgets. */
function removed(synthesized: Synthesized, stack: string): string[] {
  const blocks = (synthesized.stack(stack).removed ?? []) as { from: string; lifecycle: { destroy: boolean } }[];
  for (const block of blocks) expect(block.lifecycle.destroy).toBe(false);
  return blocks.map((block) => block.from);
}

/** What the prod stack imports of the flat account's VPC: every part the stacks build that exists there. */
const ADOPTED_VPC = {
  'vpc-0a1b2c3d4e5f60003': 'aws_vpc',
  'igw-0bb0000000000f001': 'aws_internet_gateway',
  'rtb-0110000000000f001': 'aws_route_table',
  'rtb-0110000000000f001_0.0.0.0/0': 'aws_route',
  'subnet-0aa0000000000f001': 'aws_subnet',
  'subnet-0aa0000000000f002': 'aws_subnet',
  'subnet-0aa0000000000f003': 'aws_subnet',
  'subnet-0aa0000000000f004': 'aws_subnet',
  'subnet-0aa0000000000f001/rtb-0110000000000f001': 'aws_route_table_association',
  'subnet-0aa0000000000f002/rtb-0110000000000f001': 'aws_route_table_association',
  'subnet-0aa0000000000f003/rtb-0110000000000f002': 'aws_route_table_association',
  'subnet-0aa0000000000f004/rtb-0110000000000f003': 'aws_route_table_association',
  'rtb-0110000000000f002': 'aws_route_table',
  'rtb-0110000000000f003': 'aws_route_table',
  'rtb-0110000000000f002_0.0.0.0/0': 'aws_route',
  'rtb-0110000000000f003_0.0.0.0/0': 'aws_route',
  'nat-0cc0000000000f001': 'aws_nat_gateway',
  'eipalloc-0dd0000000000f001': 'aws_eip',
  'acl-0220000000000f001': 'aws_network_acl',
};
const ADOPTED_IDENTITY = {
  alice: 'aws_iam_user',
  bob: 'aws_iam_user',
  carol: 'aws_iam_user',
  dave: 'aws_iam_user',
  erin: 'aws_iam_user',
  Developers: 'aws_iam_group',
  LeadDevelopers: 'aws_iam_group',
  QA: 'aws_iam_group',
  Ops: 'aws_iam_group',
  Billing: 'aws_iam_group',
  webapp: 'aws_ecr_repository',
};

/** What the synth tells the user, which is asserted rather than printed. */
const notices: string[] = [];
const warn = (notice: string) => notices.push(notice);
const synthesized = new Map<Stage, Synthesized>();
beforeAll(async () => {
  for (const stage of STAGES) synthesized.set(stage, await synthesizeOrg(join(FLAT, stage), { warn }));
});
const stage = (name: Stage) => synthesized.get(name)!;

describe('npm run inventory', () => {
  const out = scratchDir('inventory');
  let result: ReturnType<typeof runNode>;
  beforeAll(() => {
    result = runNode('scripts/inventory.ts', ['--from', AWS_CLI, '--account', 'prod', '--vpc', 'prod', '--email', 'aws@flatco.example', '--out', out]);
  });

  it('writes the account file and the organization additions, notes what it leaves out, and calls no AWS', () => {
    expect([result.status, result.stdout]).toEqual([0, `wrote ${join(out, 'prod.yaml')} and ${join(out, 'organization-additions.yaml')}\n`]);
    const notes = result.stderr.split('\n').filter(Boolean);
    expect(notes).toEqual([
      expect.stringMatching(
        /^note: VPC vpc-0a1b2c3d4e5f60001 \(dev, 10\.0\.0\.0\/16\) stays outside Terraform: peer it .*name: dev-old, vpcId: vpc-0a1b2c3d4e5f60001, accountId: "555555555555", cidr: 10\.0\.0\.0\/16/,
      ),
      expect.stringMatching(/^note: VPC vpc-0a1b2c3d4e5f60002 \(qa, /),
      expect.stringMatching(/^note: The stack empties the default security group sg-0330000000000f000 /),
      expect.stringMatching(/^note: Group Billing's customer managed policy arn:aws:iam::555555555555:policy\/legacy-invoices is not described/),
      expect.stringMatching(/^note: Repository services\/api is encrypted with the key arn:aws:kms:.* so it is not adopted/),
    ]);
  });

  it('describes the flat account as the stage fixtures do: its VPC and adopt block, its users, groups, access and artifacts', () => {
    const account = readYaml(join(out, 'prod.yaml'));
    const stage3 = readYaml(join(FLAT, 'stage-3-identity', 'prod.yaml'));
    expect(account).toEqual({ ...stage3, ou: undefined });
    expect(readYaml(join(FLAT, 'stage-1-organization', 'prod.yaml')).adopt.vpc).toEqual(account.adopt.vpc);
    const additions = readYaml(join(out, 'organization-additions.yaml'));
    const organization = readYaml(join(FLAT, 'stage-3-identity', 'organization.yaml'));
    expect(additions.groups).toEqual(organization.groups);
    expect(additions.users).toEqual(organization.users);
    expect(additions.sharing).toEqual(organization.sharing);
    // The flat account's column of the access matrix: each group's AWS managed policies there.
    expect(additions.access).toEqual(
      Object.fromEntries(Object.entries(organization.access as Record<string, Record<string, string[]>>).map(([group, row]) => [group, { prod: row.prod }])),
    );
    expect([additions.identityAccount, additions.artifactAccount]).toEqual(['prod', 'prod']);
  });

  it('its output, put into the description, synthesizes to the import blocks of the adopted stacks', async () => {
    const dir = scratchDir('inventoried');
    cpSync(join(FLAT, 'stage-3-identity'), dir, { recursive: true });
    writeFileSync(join(dir, 'prod.yaml'), `${readFileSync(join(out, 'prod.yaml'), 'utf8')}ou: Workloads/Prod\n`);
    expect(imports(await synthesizeOrg(dir, { warn }), 'prod')).toEqual({ ...ADOPTED_VPC, ...ADOPTED_IDENTITY });
  });

  it.each([
    [['--vpc', 'staging'], /^inventory: --vpc staging: no VPC has that id or Name tag \(the VPCs: vpc-0a1b2c3d4e5f60001 \(dev, 10\.0\.0\.0\/16\), /],
    [[], /^inventory: the account has 3 VPCs: name the one the account's stack takes over with --vpc <id or Name tag>/],
    [
      ['--vpc', 'qa'],
      /^inventory: vpc-0a1b2c3d4e5f60002 \(.*\) cannot be adopted as the stacks build a VPC: us-east-1a has 2 private subnets \(subnet-0aa0000000000e002 10\.1\.10\.0\/24, subnet-0aa0000000000e003 10\.1\.11\.0\/24\), where the stacks build exactly one public and one private subnet per zone/,
    ],
  ])('%j: refused in one line, exit 2, nothing written', (args, message) => {
    const refusedOut = join(scratchDir('refused'), 'out');
    const refused = runNode('scripts/inventory.ts', ['--from', AWS_CLI, '--out', refusedOut, ...args]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(message);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(refusedOut)).toBe(false);
  });
});

describe('the flat account split in stages', () => {
  it('1: the organization around the flat account: prod imports its VPC, the management stack adopts the account, bootstrap-prod makes its deploy role', () => {
    const synth = stage('stage-1-organization');
    expect(imports(synth, 'prod')).toEqual(ADOPTED_VPC);
    expect(imports(synth, 'management')).toEqual({ [FLAT_ACCOUNT]: 'aws_organizations_account' });
    const bootstrap = synth.stack('bootstrap-prod');
    expect(bootstrap.terraform!.backend).toEqual({ local: { path: '../../../terraform.bootstrap-prod.tfstate' } });
    expect(bootstrap.provider!.aws[0]).toMatchObject({ allowed_account_ids: [FLAT_ACCOUNT] });
    expect(bootstrap.provider!.aws[0].assume_role).toBeUndefined();
    const role = Object.values(bootstrap.resource!.aws_iam_role as Record<string, any>)[0];
    expect(role.name).toBe('OrganizationAccountAccessRole');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ AWS: ['arn:aws:iam::111100000001:root'] });
    expect(notices[0]).toMatch(
      /^1 invited account\(s\) need the deploy role OrganizationAccountAccessRole, .*\n {2}prod \(555555555555\): npx cdktf deploy bootstrap-prod$/,
    );
  });

  it('2: new accounts for dev and qa: new VPCs, nothing imported there; prod as in stage 1', () => {
    const synth = stage('stage-2-new-accounts');
    expect([imports(synth, 'dev'), imports(synth, 'qa'), imports(synth, 'prod')]).toEqual([{}, {}, ADOPTED_VPC]);
    expect(synth.stacks.map((stack) => stack.name).sort()).toEqual(['bootstrap', 'bootstrap-prod', 'dev', 'management', 'prod', 'qa', 'vpc-peering']);
  });

  it('3: the IAM users, groups and repository taken over in prod, the identity and artifact account, where they are', () => {
    expect(imports(stage('stage-3-identity'), 'prod')).toEqual({ ...ADOPTED_VPC, ...ADOPTED_IDENTITY });
    // Renamed in place: the description's names, the existing objects' ids.
    const groups = stage('stage-3-identity').stack('prod').resource!.aws_iam_group as Record<string, { name: string }>;
    expect(
      Object.values(groups)
        .map((group) => group.name)
        .sort(),
    ).toEqual(['billing', 'developers', 'lead-developers', 'ops', 'qa']);
  });

  it('4: dev and qa request peering with their old VPCs and route to them in every table, nothing else on the old side', () => {
    const synth = stage('stage-4-peering');
    for (const [account, vpcId, cidr] of [
      ['dev', 'vpc-0a1b2c3d4e5f60001', '10.0.0.0/16'],
      ['qa', 'vpc-0a1b2c3d4e5f60002', '10.1.0.0/16'],
    ]) {
      const resource = synth.stack(account).resource!;
      expect(Object.values(resource.aws_vpc_peering_connection as Record<string, any>)).toEqual([
        expect.objectContaining({ peer_vpc_id: vpcId, peer_owner_id: FLAT_ACCOUNT, tags: { Name: `${account}-${account}-old` } }),
      ]);
      expect(resource.aws_vpc_peering_connection_accepter).toBeUndefined();
      const routes = Object.entries(resource.aws_route as Record<string, any>).filter(([, route]) => route.destination_cidr_block === cidr);
      expect(routes.map(([key]) => key.split('_')[1]).sort()).toEqual(['private-us-east-1a-route', 'private-us-east-1b-route', 'public-route']);
      expect([imports(synth, account), removed(synth, account)]).toEqual([{}, []]);
    }
  });

  it('5: the peerings retired: Terraform forgets the connections and their routes (removed blocks), destroying nothing', () => {
    const synth = stage('stage-5-forget');
    for (const account of ['dev', 'qa']) {
      const resource = synth.stack(account).resource!;
      expect(resource.aws_vpc_peering_connection).toBeUndefined();
      expect(removed(synth, account).sort()).toEqual(
        [
          `aws_route.peer-${account}-old_private-us-east-1a-route`,
          `aws_route.peer-${account}-old_private-us-east-1b-route`,
          `aws_route.peer-${account}-old_public-route`,
          `aws_vpc_peering_connection.peer-${account}-old_connection`,
        ].map((address) => expect.stringMatching(new RegExp(`^${address.replaceAll('.', '\\.')}_[0-9A-F]{8}$`))),
      );
      // The addresses forgotten are those stage 4 built.
      const built = Object.entries(stage('stage-4-peering').stack(account).resource!).flatMap(([type, resources]) =>
        Object.keys(resources as object)
          .filter((key) => key.startsWith('peer-'))
          .map((key) => `${type}.${key}`),
      );
      expect(removed(synth, account).sort()).toEqual(built.sort());
    }
  });

  it('each stage changes the import and removed blocks of only the stacks it is about', () => {
    const blocks = (name: Stage) =>
      Object.fromEntries(stage(name).stacks.map((stack) => [stack.name, { imports: imports(stage(name), stack.name), removed: stack.json!.removed ?? [] }]));
    const changed = (from: Stage, to: Stage) => {
      const before = blocks(from);
      return Object.entries(blocks(to))
        .filter(([name, now]) => JSON.stringify(now) !== JSON.stringify(before[name] ?? { imports: {}, removed: [] }))
        .map(([name]) => name);
    };
    expect(changed('stage-1-organization', 'stage-2-new-accounts')).toEqual(['management']);
    expect(changed('stage-2-new-accounts', 'stage-3-identity')).toEqual(['prod']);
    expect(changed('stage-3-identity', 'stage-4-peering')).toEqual([]);
    expect(changed('stage-4-peering', 'stage-5-forget').sort()).toEqual(['dev', 'qa']);
  });
});
