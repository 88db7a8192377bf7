// npm run access-matrix [-- --no-synth] [--out <dir>]: synthesizes the organization in ORG_DIR (default
// environments/) and prints, for every group and account, whether members can switch in and which
// representative actions they may take there, as the IAM simulator evaluates the synthesized policies,
// flagging every cell that reads data in a production account.
// A reviewer's command: it needs the devDependencies (see scripts/lib/iam-simulator.ts).
import { parseArgs } from 'node:util';
import { loadOrganizationOrExit } from '../description/load';
import { runCommand } from './lib/command';
import { computeAccessMatrix, formatAccessMatrix } from './lib/access-matrix';
import { loadIamSimulator, MissingDevDependencyError } from './lib/iam-simulator';
import { synthesize } from './lib/synthesize';
import { readSynthesized } from './lib/synthesized';
import { readSynthesizedIam } from './lib/synthesized-iam';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: process.env.CDKTF_OUTDIR || 'cdktf.out' }, 'no-synth': { type: 'boolean', default: false } },
  });
  let simulator;
  try {
    simulator = loadIamSimulator();
  } catch (error) {
    if (!(error instanceof MissingDevDependencyError)) throw error;
    process.stderr.write(`access-matrix: ${error.message}\n`);
    return 2;
  }
  const org = loadOrganizationOrExit();
  if (!values['no-synth']) await synthesize(org, { out: values.out });
  const stacks = readSynthesized(values.out).flatMap(({ name, json }) => (json ? [{ name, json }] : []));
  const iam = readSynthesizedIam(stacks, (name) => simulator.awsManagedPolicy(name));
  process.stdout.write(formatAccessMatrix(org, await computeAccessMatrix(org, iam, simulator)));
  return 0;
}

runCommand('access-matrix', main);
