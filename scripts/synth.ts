// npm run synth [-- --hcl] [--out <dir>]: every stack of the organization in ORG_DIR (default
// environments/) into <dir> (default cdktf.out), as Terraform JSON or as formatted HCL.
import { parseArgs } from 'node:util';
import { loadOrganizationOrExit } from '../description/load';
import { runCommand } from './lib/command';
import { synthesize } from './lib/synthesize';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: process.env.CDKTF_OUTDIR || 'cdktf.out' }, hcl: { type: 'boolean', default: false } },
  });
  const org = loadOrganizationOrExit();
  const stacks = await synthesize(org, { out: values.out, hcl: values.hcl });
  console.log(`${stacks.length} stacks (${stacks.join(', ')}) from ${org.dir}/ -> ${values.out}/${values.hcl ? ' as HCL' : ''}`);
  return 0;
}

runCommand('synth', main);
