// The offline plans: every stack of both organizations inits, validates and plans with terraform and no
// AWS account; the plans hold the values the description asked for.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../description/load';
import { editedOrg, runNode, scratchDir, synthesizeOrg } from './helpers';
import { PLANNED_ORGS, plannedOrg } from './setup/planned';

describe.each(Object.keys(PLANNED_ORGS))('the %s organization', (name) => {
  const stacks = plannedOrg(name);
  const org = loadOrganization(PLANNED_ORGS[name]);

  it('plans every stack offline', () => {
    const failures = [...stacks.values()].filter(({ check }) => !check.ok).map(({ check }) => `${check.stack}: ${check.error}`);
    expect(failures).toEqual([]);
    // An account stack each, bootstrap, and the peering mesh of their VPCs.
    expect(stacks.size).toBe(org.accounts.length + 2);
  });

  it('assumes, while planning, exactly the deploy role of each account, and checks the account it lands in', () => {
    for (const account of org.accounts) {
      const roles = new Set(stacks.get(account.name)!.check.assumedRoles.map((role) => `${role.roleArn} as ${role.sessionName}`));
      expect([...roles]).toEqual([`arn:aws:iam::${account.id}:role/${org.deployRole} as cdktf-${org.name}-${account.name}`]);
    }
    expect(stacks.get('bootstrap')!.check.assumedRoles).toEqual([]);
  });

  it('plans with the provider configuration as synthesized (the override only adds fake keys and the local STS)', () => {
    for (const account of org.accounts) {
      const expressions = stacks.get(account.name)!.plan.configuration.provider_config.aws.expressions;
      expect(expressions.assume_role[0].role_arn.constant_value).toBe(`arn:aws:iam::${account.id}:role/${org.deployRole}`);
      expect(expressions.allowed_account_ids.constant_value).toEqual([account.id]);
      expect(expressions.region.constant_value).toBe(org.homeRegion);
    }
  });

  it("tags every planned taggable resource with the account's default tags", () => {
    let tagged = 0;
    const described = [...org.accounts, ...org.pendingAccounts];
    for (const account of org.accounts) {
      for (const resource of stacks.get(account.name)!.resources.filter((r) => 'tags_all' in r.values)) {
        // The management stack's aws_organizations_account resources stand for the member accounts: their tags.
        const owner = resource.type === 'aws_organizations_account' ? described.find((member) => member.name === resource.values.name)! : account;
        expect(resource.values.tags_all).toMatchObject({ Environment: owner.environment, ManagedBy: 'cdktf', [org.costTagKey]: owner.costCenter });
        tagged++;
      }
    }
    const { management } = org;
    for (const resource of stacks.get('bootstrap')!.resources.filter((r) => 'tags_all' in r.values)) {
      expect(resource.values.tags_all).toMatchObject({ Environment: management.environment, Organization: org.name });
      tagged++;
    }
    expect(tagged).toBeGreaterThan(0);
  });

  it('only creates: nothing to change or destroy on a fresh organization', () => {
    for (const { check } of stacks.values()) expect(check.changes).toMatchObject({ change: 0, destroy: 0 });
  });
});

describe('the bootstrap plan of the default organization', () => {
  const bootstrap = plannedOrg('default').get('bootstrap')!;
  const planned = (type: string) => bootstrap.resources.filter((resource) => resource.type === type).map((resource) => resource.values);

  it('creates the hardened state bucket, and the bucket of its access logs', () => {
    expect(planned('aws_s3_bucket').map((bucket) => [bucket.bucket, bucket.force_destroy])).toEqual([
      ['webomates-tfstate-logs-111111111111', false],
      ['webomates-tfstate-111111111111', false],
    ]);
    expect(planned('aws_s3_bucket_versioning')[0].versioning_configuration).toEqual([expect.objectContaining({ status: 'Enabled' })]);
    expect(planned('aws_s3_bucket_server_side_encryption_configuration')[0].rule[0].apply_server_side_encryption_by_default[0].sse_algorithm).toBe('AES256');
    expect(planned('aws_s3_bucket_public_access_block')[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    for (const { policy } of planned('aws_s3_bucket_policy')) {
      expect(JSON.parse(policy).Statement[0]).toEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('creates the state role, limited to the state keys, and the management deploy role', () => {
    const roles = planned('aws_iam_role');
    expect(roles.map((role) => role.name).sort()).toEqual(['OrganizationAccountAccessRole', 'TerraformStateAccess']);
    for (const role of roles) {
      expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
        { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root'] }, Action: 'sts:AssumeRole' },
      ]);
    }
    const access = JSON.parse(planned('aws_iam_role_policy')[0].policy);
    expect(access.Statement[1]).toEqual({
      Sid: 'ReadWriteStateAndLocks',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: 'arn:aws:s3:::webomates-tfstate-111111111111/cdktf/*',
    });
  });
});

describe('plan:offline as a command', () => {
  let outdir: string;
  beforeAll(async () => {
    outdir = (await synthesizeOrg(editedOrg({}))).outdir;
  });

  it('fails with a clear message when terraform is missing', () => {
    const result = runNode('scripts/plan-offline.ts', ['--no-synth', '--out', outdir], { PATH: '/nonexistent', TERRAFORM: '' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('plan:offline: terraform was not found on PATH');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('fails with a clear message when the named mirror lacks the provider', () => {
    const result = runNode('scripts/plan-offline.ts', ['--no-synth', '--out', outdir], { TF_PROVIDER_MIRROR: scratchDir('empty-mirror') });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/TF_PROVIDER_MIRROR=\S+ does not hold hashicorp\/aws 5\.100\.0 for linux_amd64/);
  });

  it("reports a stack that does not plan, with terraform's own words, and exits non-zero", async () => {
    const broken = (await synthesizeOrg()).outdir;
    const file = join(broken, 'stacks', 'qa', 'cdk.tf.json');
    const stack = JSON.parse(readFileSync(file, 'utf8'));
    stack.resource.aws_ebs_encryption_by_default[Object.keys(stack.resource.aws_ebs_encryption_by_default)[0]].enabled = 'maybe';
    writeFileSync(file, JSON.stringify(stack));
    // Only qa is left to check, to keep the test short.
    for (const other of ['bootstrap', 'management', 'dev', 'prod', 'vpc-peering']) {
      const manifest = JSON.parse(readFileSync(join(broken, 'manifest.json'), 'utf8'));
      delete manifest.stacks[other];
      writeFileSync(join(broken, 'manifest.json'), JSON.stringify(manifest));
    }
    const result = runNode('scripts/plan-offline.ts', ['--no-synth', '--out', broken]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAILED qa');
    expect(result.stderr).toContain('terraform plan failed');
    expect(result.stderr).toMatch(/Incorrect attribute value type|a bool is required/);
  });
});
