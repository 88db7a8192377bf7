// The description: what the default resolves to, and the exact error every kind of bad input gets.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../description/load';
import { DEFAULT_ORG, editedOrg, problemsOf, runNode, scratchDir } from './helpers';

describe('the default organization', () => {
  const org = loadOrganization(DEFAULT_ORG);

  it('is the seed: a management account plus dev, qa and prod, management first', () => {
    expect(org.accounts.map((account) => account.name)).toEqual(['management', 'dev', 'prod', 'qa']);
    expect(org.accounts.map((account) => account.id)).toEqual(['111111111111', '222222222222', '444444444444', '333333333333']);
  });

  it('has the VPCs of the seed and the five job-function groups', () => {
    expect(Object.fromEntries(org.accounts.filter((a) => a.vpc).map((a) => [a.name, a.vpc!.cidr]))).toEqual({
      dev: '10.10.0.0/16',
      qa: '10.20.0.0/16',
      prod: '10.30.0.0/16',
    });
    expect(Object.keys(org.groups)).toEqual(['dev', 'dev-leads', 'qa', 'ops', 'billing']);
  });

  it('resolves the defaults it does not spell out', () => {
    expect(org.state).toMatchObject({ backend: 's3', bucket: 'webomates-tfstate-111111111111', region: 'us-east-1', keyPrefix: 'cdktf' });
    expect(org.artifact.name).toBe('dev');
    expect(org.sharing.ecr[0].consumers).toEqual(['prod', 'qa']);
    expect(org.sharing.amis[0].consumers).toEqual(['prod', 'qa']);
    expect(org.accounts.find((a) => a.name === 'dev')!.environment).toBe('dev');
  });
});

describe('an account without an id', () => {
  it('is pending: described, but not among the accounts that get a stack', () => {
    const org = loadOrganization(editedOrg({ 'qa.yaml': (qa) => delete qa.id }));
    expect(org.accounts.map((account) => account.name)).toEqual(['management', 'dev', 'prod']);
    expect(org.pendingAccounts.map((account) => account.name)).toEqual(['qa']);
    expect(org.sharing.ecr[0].consumers).toEqual(['prod']);
  });

  it('is refused for the accounts everything else is built from', () => {
    expect(problemsOf(editedOrg({ 'dev.yaml': (dev) => delete dev.id, 'management.yaml': (m) => delete m.id }))).toEqual([
      'dev.yaml: id is missing: dev is the identity and artifact account, which must exist (create it first, then record its id)',
      'management.yaml: id is missing: management is the management and log archive account, which must exist (create it first, then record its id)',
    ]);
  });
});

describe('bad input', () => {
  it('names file, field, value and what was expected, for every problem at once', () => {
    const dir = editedOrg({
      'qa.yaml': (qa) => (qa.vpc.cidr = '10.20.0.0/33'),
      'prod.yaml': (prod) => ((prod.vcp = prod.vpc), delete prod.vpc),
      'dev.yaml': (dev) => (dev.email = 'not-an-email'),
      'organization.yaml': (org) => (org.state.backend = 's4'),
    });
    expect(problemsOf(dir)).toEqual([
      'organization.yaml: state.backend is "s4", expected "s3" or "cloud"',
      'dev.yaml: email "not-an-email" is not a valid email address',
      'prod.yaml: vcp is not a known field (did you mean "vpc"?)',
      'qa.yaml: vpc.cidr "10.20.0.0/33" is not a valid IPv4 CIDR',
    ]);
  });

  it.each([
    [
      'an unquoted account id',
      { 'qa.yaml': 'id: 333333333333\nemail: qa@example.com\n' },
      ['qa.yaml: id 333333333333 is not a valid AWS account id (12 digits, quoted in YAML)'],
    ],
    ['a short account id', { 'qa.yaml': (qa: any) => (qa.id = '12345') }, ['qa.yaml: id "12345" is not a valid AWS account id (12 digits, quoted in YAML)']],
    ['a missing field', { 'qa.yaml': (qa: any) => delete qa.email }, ['qa.yaml: email is required (expected a string)']],
    ['a duplicate account id', { 'qa.yaml': (qa: any) => (qa.id = '222222222222') }, ['qa.yaml: id "222222222222" is already used by dev.yaml']],
    [
      'overlapping VPCs',
      { 'qa.yaml': (qa: any) => (qa.vpc.cidr = '10.10.128.0/17') },
      ['qa.yaml: vpc.cidr "10.10.128.0/17" overlaps dev\'s VPC "10.10.0.0/16" (dev.yaml); peered VPCs need disjoint CIDRs'],
    ],
    ['host bits in a CIDR', { 'qa.yaml': (qa: any) => (qa.vpc.cidr = '10.20.0.1/16') }, ['qa.yaml: vpc.cidr "10.20.0.1/16" is not a valid IPv4 CIDR']],
    [
      'a user in an unknown group',
      { 'organization.yaml': (org: any) => (org.users.bob.groups = ['devs']) },
      ['organization.yaml: users.bob.groups[0] names group "devs", which is not in groups (dev, dev-leads, qa, ops, billing)'],
    ],
    [
      'an access cell for an unknown account',
      { 'organization.yaml': (org: any) => (org.access.ops.staging = ['ReadOnlyAccess']) },
      ['organization.yaml: access.ops.staging names account "staging", which has no file (known: dev, management, prod, qa)'],
    ],
    [
      'an identity account that is not an account',
      { 'organization.yaml': (org: any) => (org.identityAccount = 'identity') },
      ['organization.yaml: identityAccount names account "identity", which has no file (known: dev, management, prod, qa)'],
    ],
    [
      'a home region outside the allowed ones',
      { 'organization.yaml': (org: any) => (org.homeRegion = 'eu-west-1') },
      ['organization.yaml: homeRegion "eu-west-1" is not in allowedRegions (us-east-1, us-west-2)'],
    ],
    [
      'an AMI id of the wrong form',
      { 'organization.yaml': (org: any) => (org.sharing.amis[0].id = 'ami-xyz') },
      ['organization.yaml: sharing.amis[0].id "ami-xyz" is not a valid AMI id (ami- and 8 or 17 hex digits)'],
    ],
    [
      'an artifact shared with its own account',
      { 'organization.yaml': (org: any) => (org.sharing.ecr[0].consumers = ['dev', 'qa']) },
      ['organization.yaml: sharing.ecr[0].consumers[0] is the artifact account "dev" itself, which owns the artifact'],
    ],
    [
      'malformed YAML',
      { 'qa.yaml': 'id: "333333333333"\nvpc: [\n' },
      ['qa.yaml:3:1: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ],
    ['an empty account file', { 'qa.yaml': '' }, ['qa.yaml: is empty (expected a mapping of fields)']],
    [
      'an account file name that is not a name',
      { 'QA.yaml': 'id: "555555555555"\nemail: x@example.com\n' },
      ['QA.yaml: file name "QA" is not a valid account name (lowercase letters, digits and dashes, 2-32 characters)'],
    ],
    [
      'a reserved account name',
      { 'bootstrap.yaml': 'id: "555555555555"\nemail: x@example.com\n' },
      ['bootstrap.yaml: file name "bootstrap" is reserved; name the account otherwise'],
    ],
    ['no organization file', { 'organization.yaml': null }, ['organization.yaml: is missing: every organization needs one']],
  ])('%s', (_label, edits, expected) => {
    expect(problemsOf(editedOrg(edits as never))).toEqual(expected);
  });

  it('stops the app with the problems, no stack trace, and nothing synthesized', () => {
    const dir = editedOrg({ 'qa.yaml': (qa) => (qa.vpc.cidr = '10.20.0.0/33'), 'dev.yaml': (dev) => (dev.id = 'x') });
    const outdir = join(scratchDir('out'), 'cdktf.out');
    const result = runNode('main.ts', [], { ORG_DIR: dir, CDKTF_OUTDIR: outdir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${dir}/qa.yaml: vpc.cidr "10.20.0.0/33" is not a valid IPv4 CIDR`);
    expect(result.stderr).toContain(`${dir}/dev.yaml: id "x" is not a valid AWS account id`);
    expect(result.stderr).toContain('has 2 problems');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(outdir)).toBe(false);
  });

  it('says so when ORG_DIR is not a directory', () => {
    const missing = join(scratchDir('empty'), 'nowhere');
    expect(problemsOf(missing)).toEqual([`${missing}: is not a directory (set ORG_DIR to the directory holding organization.yaml)`]);
    const empty = scratchDir('empty');
    mkdirSync(empty, { recursive: true });
    expect(problemsOf(empty)).toEqual(['organization.yaml: is missing: every organization needs one', `${empty}: holds no account files (<account>.yaml)`]);
  });
});
