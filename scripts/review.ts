// npm run review [-- --out <dir>] [--no-synth] [--no-plan] [--base <dir>]: synthesizes the organization in
// ORG_DIR (default environments/), plans every stack offline, and writes <out>/review/REVIEW.md and its
// data, review.json (see scripts/lib/review/). --base compares with a previous run's review.json.
import { join, relative } from 'node:path';
import { loadOrganizationOrExit } from '../description/load';
import { DESCRIPTION_ENVIRONMENT, NO_SYNTH_OPTION, OUT_OPTION, runCommand, TERRAFORM_ENVIRONMENT, type CommandLine } from './lib/command';
import { loadIamSimulator, MissingDevDependencyError } from './lib/iam-simulator';
import { checkOffline } from './lib/offline-plan';
import type { SimulatorOrReason } from './lib/review/access';
import { compareReviews, countChanges } from './lib/review/changes';
import { readReviewInputs } from './lib/review/inputs';
import { loadPrices, PRICES_FILE } from './lib/review/prices';
import { writeReview } from './lib/review/report';
import { collectReview, readBaseReviewData } from './lib/review/review-data';
import { synthesize } from './lib/synthesize';

const command = {
  name: 'review',
  summary:
    'Synthesizes, plans every stack offline, then writes <out>/review/REVIEW.md and its data, review.json:\n' +
    'accounts, access, sharing, network (Mermaid), cost, plans. Two reviews of the same description are\n' +
    'byte for byte the same.',
  options: {
    base: { type: 'string', value: '<dir>', description: "Compare with an earlier review's review.json (the file or its directory)." },
    'no-plan': { type: 'boolean', description: 'Review the plans already in <out>/plans/ (npm run plan:offline).' },
    'no-synth': NO_SYNTH_OPTION,
    out: OUT_OPTION,
  },
  environment: { ...DESCRIPTION_ENVIRONMENT, ...TERRAFORM_ENVIRONMENT },
  exitStatuses: {
    0: 'the review is written',
    1: 'the description has problems, or a stack failed to plan (the review is written and says which)',
    2: 'a bad option, no terraform, no synth or base review, or a synth a guardrail refused',
  },
  example: 'npm run review -- --base /tmp/review-of-main',
} as const;

async function main({ values }: CommandLine<typeof command.options>): Promise<number> {
  const out = values.out;
  const base = values.base ? readBaseReviewData(values.base, (message) => console.warn(message)) : undefined;
  const org = loadOrganizationOrExit();
  if (!values['no-synth']) await synthesize(org, { out });
  const failures = new Map<string, string>();
  if (!values['no-plan']) {
    for (const result of await checkOffline({ outdir: out, log: (line) => console.log(line) })) {
      if (!result.ok) failures.set(result.stack, `plan failed: ${(result.error ?? '').split('\n').find((line) => line.trim().startsWith('Error')) ?? 'see npm run plan:offline'}`);
    }
  }
  const data = await collectReview(readReviewInputs(org, out, failures), {
    simulation: loadSimulator(),
    prices: loadPrices(),
    priceFile: relative(process.cwd(), PRICES_FILE),
  });
  const report = writeReview(join(out, 'review'), data, base);
  console.log(`review of ${org.name}: ${report}${base ? `, ${countChanges(compareReviews(base, data))} change(s) since the base` : ''}`);
  for (const [stack, failure] of failures) console.error(`  ${stack}: ${failure}`);
  return failures.size > 0 ? 1 : 0;
}

/** The simulator's devDependencies are a reviewer's; without them the report says the verdicts were skipped. */
function loadSimulator(): SimulatorOrReason {
  try {
    return { simulator: loadIamSimulator() };
  } catch (error) {
    if (!(error instanceof MissingDevDependencyError)) throw error;
    console.warn(`review: simulated verdicts skipped: ${error.message}`);
    return { skipped: error.message };
  }
}

runCommand(command, main);
