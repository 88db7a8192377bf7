// npm run review [-- --out <dir>] [--no-synth] [--no-plan] [--no-cache] [--base <dir>]: synthesizes the organization in
// ORG_DIR (default environments/), plans every stack offline, and writes <out>/review/REVIEW.md and its
// data, review.json (see scripts/lib/review/). --base compares with a previous run's review.json.
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrganizationOrExit } from '../description/load';
import { runCommand } from './lib/command';
import { loadIamSimulator, MissingDevDependencyError } from './lib/iam-simulator';
import { checkOffline, OFFLINE_CACHE_DIR } from './lib/offline-plan';
import type { SimulatorOrReason } from './lib/review/access';
import { compareReviews, countChanges } from './lib/review/changes';
import { readReviewInputs } from './lib/review/inputs';
import { loadPrices, PRICES_FILE } from './lib/review/prices';
import { writeReview } from './lib/review/report';
import { collectReview, readReviewData } from './lib/review/review-data';
import { synthesize } from './lib/synthesize';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: process.env.CDKTF_OUTDIR || 'cdktf.out' },
      'no-synth': { type: 'boolean', default: false },
      'no-plan': { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      base: { type: 'string' },
    },
  });
  const out = values.out;
  const base = values.base ? readReviewData(values.base) : undefined;
  const org = loadOrganizationOrExit();
  if (!values['no-synth']) await synthesize(org, { out });
  const failures = new Map<string, string>();
  if (!values['no-plan']) {
    const cache = values['no-cache'] ? undefined : OFFLINE_CACHE_DIR;
    for (const result of await checkOffline({ outdir: out, planJson: true, cache, log: (line) => console.log(line) })) {
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

runCommand('review', main);
