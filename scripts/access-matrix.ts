// npm run access-matrix [-- --no-synth] [--out <dir>]: synthesizes the organization in ORG_DIR (default
// environments/) and prints, for every group and account, whether members can switch in and which
// representative actions they may take there, as the IAM simulator evaluates the synthesized policies,
// flagging every cell that reads data in a production account.
// A reviewer's command: it needs the devDependencies (see scripts/lib/iam-simulator.ts).
import { loadOrganizationOrExit } from '../description/load';
import { COMMON_EXIT_STATUSES, DESCRIPTION_ENVIRONMENT, NO_SYNTH_OPTION, OUT_OPTION, runCommand, type CommandLine } from './lib/command';
import { accessPathOf, type AccessPath, computeAccessMatrix, formatAccessMatrix } from './lib/access-matrix';
import { loadIamSimulator, MissingDevDependencyError } from './lib/iam-simulator';
import { synthesize } from './lib/synthesize';
import { readSynthesized } from './lib/synthesized';
import { readSynthesizedIam } from './lib/synthesized-iam';

const command = {
  name: 'access-matrix',
  summary:
    'Synthesizes, then prints group x account x action -> allow/deny, as the IAM simulator evaluates the\n' +
    'synthesized policies: who can switch into which account, with and without MFA, and do what there.\n' +
    'Needs the devDependencies (npm ci without --omit=dev).',
  options: { 'no-synth': NO_SYNTH_OPTION, out: OUT_OPTION },
  environment: DESCRIPTION_ENVIRONMENT,
  exitStatuses: { ...COMMON_EXIT_STATUSES, 2: 'a bad option, the devDependencies missing, or a synth a guardrail refused' },
  example: 'npm run access-matrix -- --no-synth',
} as const;

async function main({ values }: CommandLine<typeof command.options>): Promise<number> {
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
  // In both mode, each path's table: the migration keeps the same access either way.
  const paths: AccessPath[] = org.identityMode === 'both' ? ['iam-users', 'identity-center'] : [accessPathOf(org)];
  for (const [index, path] of paths.entries()) {
    process.stdout.write(`${index ? '\n' : ''}${formatAccessMatrix(org, await computeAccessMatrix(org, iam, simulator, path), path)}`);
  }
  return 0;
}

runCommand(command, main);
