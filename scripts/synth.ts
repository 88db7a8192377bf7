// npm run synth [-- --hcl] [--out <dir>]: every stack of the organization in ORG_DIR (default
// environments/) into <dir> (default cdktf.out), as Terraform JSON or as formatted HCL.
import { loadOrganizationOrExit } from '../description/load';
import { DESCRIPTION_ENVIRONMENT, OUT_OPTION, runCommand } from './lib/command';
import { synthesize } from './lib/synthesize';

runCommand(
  {
    name: 'synth',
    summary:
      'Synthesizes every stack of the organization (one per account, plus bootstrap, and vpc-peering or\ntransit-gateway) into ' +
      '<out>/stacks/<stack>/, replacing <out> whole, never half-way. `npm run synth:hcl` is `--hcl`.',
    options: {
      out: { ...OUT_OPTION, description: 'Write the stacks there (CDKTF_OUTDIR, else cdktf.out).' },
      hcl: { type: 'boolean', description: 'Formatted HCL (cdk.tf) instead of Terraform JSON.' },
    },
    environment: { ...DESCRIPTION_ENVIRONMENT, TERRAFORM: 'The terraform binary that formats the HCL (default: terraform on PATH).' },
    example: 'ORG_DIR=__tests__/fixtures/five-accounts npm run synth -- --out /tmp/five',
  },
  async ({ values }) => {
    const org = loadOrganizationOrExit();
    const stacks = await synthesize(org, { out: values.out, hcl: values.hcl });
    console.log(`${stacks.length} stacks (${stacks.join(', ')}) from ${org.dir}/ -> ${values.out}/${values.hcl ? ' as HCL' : ''}`);
    return 0;
  },
);
