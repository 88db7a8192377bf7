// The synthesized workspaces: one per account plus bootstrap, each with its own state, a provider that
// assumes the deploy role in exactly its account, default tags, and a deploy order without cycles.
import { loadOrganization } from '../description/load';
import type { TerraformJson } from '../scripts/lib/synthesized';
import { DEFAULT_ORG, editedOrg, synthesizeOrg } from './helpers';
import { plannedOrg } from './setup/planned';

const org = loadOrganization(DEFAULT_ORG);
const stacks = plannedOrg('default');
const json = (name: string): TerraformJson => stacks.get(name)!.json;
const provider = (name: string) => json(name).provider!.aws[0] as Record<string, any>;

describe('the default organization', () => {
  it('synthesizes one stack per account, named after it, plus bootstrap and the VPC peering mesh', () => {
    expect([...stacks.keys()].sort()).toEqual(['bootstrap', 'dev', 'management', 'prod', 'qa', 'vpc-peering']);
  });

  it.each(org.accounts.map((account) => [account.name, account] as const))(
    '%s: its provider assumes the deploy role in its own account only',
    (name, account) => {
      expect(json(name).provider!.aws).toHaveLength(1);
      expect(provider(name)).toEqual({
        region: 'us-east-1',
        allowed_account_ids: [account.id],
        assume_role: [{ role_arn: `arn:aws:iam::${account.id}:role/OrganizationAccountAccessRole`, session_name: `cdktf-webomates-${name}` }],
        default_tags: [{ tags: { Environment: account.environment, ManagedBy: 'cdktf', Organization: 'webomates', CostCenter: account.costCenter } }],
      });
    },
  );

  it.each(org.accounts.map((account) => account.name))('%s: keeps its state under its own key in the bucket, locked natively', (name) => {
    expect(json(name).terraform!.backend).toEqual({
      s3: {
        bucket: 'webomates-tfstate-111111111111',
        key: `cdktf/${name}.tfstate`,
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
        assume_role: { role_arn: 'arn:aws:iam::111111111111:role/TerraformStateAccess', session_name: `cdktf-webomates-${name}-state` },
      },
    });
  });

  it('costs tags in the account file reach the provider: prod and qa are segmented', () => {
    expect(provider('prod').default_tags[0].tags.CostCenter).toBe('production');
    expect(provider('qa').default_tags[0].tags.CostCenter).toBe('engineering');
    expect(provider('management').default_tags[0].tags.Environment).toBe('management');
  });

  it("bootstraps with the caller's management credentials and local state kept outside cdktf.out", () => {
    expect(provider('bootstrap')).toMatchObject({ allowed_account_ids: ['111111111111'], region: 'us-east-1' });
    expect(provider('bootstrap').assume_role).toBeUndefined();
    expect(json('bootstrap').terraform!.backend).toEqual({ local: { path: '../../../terraform.bootstrap.tfstate' } });
  });

  it('deploys in dependency order: bootstrap, then management, then the members; no cycles', () => {
    const dependencies = new Map([...stacks].map(([name, stack]) => [name, stack.dependencies]));
    expect(dependencies.get('bootstrap')).toEqual([]);
    expect(dependencies.get('management')).toEqual(['bootstrap']);
    for (const member of ['dev', 'qa', 'prod']) expect(dependencies.get(member)).toEqual(['management']);
    const order: string[] = [];
    while (order.length < dependencies.size) {
      const next = [...dependencies].find(([name, needs]) => !order.includes(name) && needs.every((need) => order.includes(need)));
      if (!next) throw new Error(`cycle among ${[...dependencies.keys()].filter((name) => !order.includes(name))}`);
      order.push(next[0]);
    }
    expect(order[0]).toBe('bootstrap');
  });

  it('marks the state bucket and the management deploy role prevent_destroy', () => {
    const resources = json('bootstrap').resource!;
    expect(Object.values(resources.aws_s3_bucket)[0].lifecycle).toEqual({ prevent_destroy: true });
    expect(Object.values(resources.aws_s3_bucket)[0].force_destroy).toBe(false);
    expect(Object.values(resources.aws_iam_role).find((role) => role.name === 'OrganizationAccountAccessRole')!.lifecycle).toEqual({
      prevent_destroy: true,
    });
  });
});

describe('an account without an id yet', () => {
  it('gets no stack, and the synth says what to do', async () => {
    const warnings: string[] = [];
    const dir = editedOrg({ 'qa.yaml': (qa) => delete qa.id });
    const { stacks: synthesized } = await synthesizeOrg(dir, { warn: (message) => warnings.push(message) });
    expect(synthesized.map((stack) => stack.name).sort()).toEqual(['bootstrap', 'dev', 'management', 'prod', 'vpc-peering']);
    expect(warnings.join('\n')).toContain(`qa: once created, record its id in ${dir}/qa.yaml`);
  });
});

describe('the state backend choice', () => {
  it('Terraform Cloud: one workspace per stack, <prefix>-<stack>, bootstrap included', async () => {
    const { stacks: synthesized, stack } = await synthesizeOrg(
      // Without a state bucket, the trail has no state reads and writes to record.
      editedOrg({
        'organization.yaml': (o) => ((o.state = { backend: 'cloud', organization: 'webomates-tfc', project: 'aws' }), (o.audit.trail.stateDataEvents = false)),
      }),
    );
    for (const { name } of synthesized) {
      expect(stack(name).terraform!.backend).toBeUndefined();
      expect(stack(name).terraform!.cloud).toEqual({
        hostname: 'app.terraform.io',
        organization: 'webomates-tfc',
        workspaces: { name: `webomates-${name}`, project: 'aws' },
      });
    }
    // No bucket to create: bootstrap only makes the management account's deploy role.
    expect(Object.keys(stack('bootstrap').resource!).sort()).toEqual(['aws_iam_role', 'aws_iam_role_policy_attachment']);
  });

  it('once bootstrapped, bootstrap keeps its own state in the bucket too', async () => {
    const { stack } = await synthesizeOrg(editedOrg({ 'organization.yaml': (o) => (o.state.bootstrapStateInBucket = true) }));
    expect(stack('bootstrap').terraform!.backend!.s3).toMatchObject({ key: 'cdktf/bootstrap.tfstate', use_lockfile: true });
  });

  it('honours a named bucket, region and key prefix', async () => {
    const { stack } = await synthesizeOrg(
      editedOrg({ 'organization.yaml': (o) => Object.assign(o.state, { bucket: 'acme-state', region: 'us-west-2', keyPrefix: 'org/aws' }) }),
    );
    expect(stack('qa').terraform!.backend!.s3).toMatchObject({ bucket: 'acme-state', region: 'us-west-2', key: 'org/aws/qa.tfstate' });
    expect(Object.values(stack('bootstrap').resource!.aws_s3_bucket).map((bucket) => bucket.bucket)).toContain('acme-state');
  });
});

describe('a second organization, with the same code', () => {
  const five = plannedOrg('five-accounts');
  const fiveOrg = loadOrganization(`${__dirname}/fixtures/five-accounts`);

  it('synthesizes its five accounts plus bootstrap and the VPC peering mesh, with its own names, region and deploy role', () => {
    expect([...five.keys()].sort()).toEqual(['bootstrap', 'build', 'identity', 'payer', 'production', 'staging', 'vpc-peering']);
    for (const account of fiveOrg.accounts) {
      expect(five.get(account.name)!.json.provider!.aws[0]).toMatchObject({
        region: 'eu-west-1',
        allowed_account_ids: [account.id],
        assume_role: [{ role_arn: `arn:aws:iam::${account.id}:role/TerraformDeploy` }],
        default_tags: [{ tags: { Environment: account.environment, 'cost-center': account.costCenter, Organization: 'acme' } }],
      });
    }
  });

  it('keeps state in Terraform Cloud workspaces of its own project', () => {
    expect(five.get('staging')!.json.terraform!.cloud).toEqual({
      hostname: 'app.terraform.io',
      organization: 'acme-platform',
      workspaces: { name: 'acme-aws-staging', project: 'aws-organization' },
    });
  });
});
