// synth:hcl: the same stacks as formatted HCL, for reviewers and as an exit path to plain Terraform.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOffline } from '../scripts/lib/offline-plan';
import { runNode, scratchDir } from './helpers';
import { offlineCache } from './setup/planned';

describe('npm run synth:hcl', () => {
  const outdir = join(scratchDir('hcl'), 'cdktf.out');
  beforeAll(() => {
    const result = runNode('scripts/synth.ts', ['--hcl', '--out', outdir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('writes every kind of stack as HCL that terraform validates without a warning', async () => {
    // qa and prod are built by the same code as dev, less the identity account's part: validating them too
    // would cost ~4 s of CPU each and show nothing more.
    const kinds = ['bootstrap', 'dev', 'management', 'vpc-peering'];
    const results = await checkOffline({ outdir, validateOnly: true, only: kinds, cache: offlineCache() });
    expect(results.map((r) => [r.stack, r.ok, r.error ?? '', r.warnings])).toEqual(kinds.map((stack) => [stack, true, '', []]));
  });

  it('names providers, dependencies and ignored changes by bare reference, not in quotes', () => {
    const dev = readFileSync(join(outdir, 'stacks', 'dev', 'cdk.tf'), 'utf8');
    const peering = readFileSync(join(outdir, 'stacks', 'vpc-peering', 'cdk.tf'), 'utf8');
    const management = readFileSync(join(outdir, 'stacks', 'management', 'cdk.tf'), 'utf8');
    expect(dev).toMatch(/depends_on = \[\n\s+aws_iam_policy\.\S+,\n/);
    expect(peering).toMatch(/^ {2}provider\s+= aws\.prod$/m);
    expect(management).toMatch(/ignore_changes = \[\n\s+name,\n\s+email,/);
    expect(`${dev}${peering}${management}`).not.toMatch(/^\s*(provider\s*= "|"aws_\w+\.\w)/m);
  });

  it('is formatted as terraform fmt would', () => {
    const check = spawnSync('terraform', ['fmt', '-check', '-recursive', outdir], {
      encoding: 'utf8',
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' },
    });
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });

  it('says the same as the JSON: backend, locking and the assumed role', () => {
    const dev = readFileSync(join(outdir, 'stacks', 'dev', 'cdk.tf'), 'utf8');
    expect(dev).toMatch(/backend "s3" \{[^}]*key\s+= "cdktf\/dev\.tfstate"/);
    expect(dev).toMatch(/use_lockfile\s+= true/);
    expect(dev).toMatch(/assume_role \{\s+role_arn\s+= "arn:aws:iam::222222222222:role\/OrganizationAccountAccessRole"/);
  });

  it('holds the import blocks that adopt the organization and its accounts', () => {
    const management = readFileSync(join(outdir, 'stacks', 'management', 'cdk.tf'), 'utf8');
    expect(management).toMatch(/import \{\s+to\s+= aws_organizations_organization\.\S+\s+id\s+= "o-a1b2c3d4e5"\s+\}/);
    expect(management.match(/^import \{/gm)).toHaveLength(4);
  });
});
