// npm run review [-- --out <dir>] [--no-synth] [--no-plan] [--no-cache] [--base <dir>]: synthesizes the
// organization in ORG_DIR (default environments/), plans every stack offline, and writes
// <out>/review/REVIEW.md and its data, review.json (see scripts/lib/review/). --base compares with a
// previous run's review.json, and plans each stack against the state that run's plans leave (base-state.ts). Past one machine: `--shard <i>/<n>` plans one shard of the stacks and
// writes <out>/review/shard.json instead of a report; `--merge <shard out dirs...>` reports on them all.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { loadOrganizationOrExit } from '../description/load';
import { type CommandLine, DESCRIPTION_ENVIRONMENT, NO_SYNTH_OPTION, OUT_OPTION, runCommand, TERRAFORM_ENVIRONMENT } from './lib/command';
import { loadIamSimulator, MissingDevDependencyError } from './lib/iam-simulator';
import { checkOffline, OFFLINE_CACHE_DIR, planTextFile, withProducers } from './lib/offline-plan';
import type { SimulatorOrReason } from './lib/review/access';
import { compareReviews, countChanges } from './lib/review/changes';
import { type BasePlanning, readReviewInputs } from './lib/review/inputs';
import { PROVIDER_SCHEMA_CACHE_DIR, settleBaseStates } from './lib/base-state';
import { loadPrices, PRICES_FILE } from './lib/review/prices';
import { writeReview } from './lib/review/report';
import { collectReview, readBaseReviewData } from './lib/review/review-data';
import { parseShard, type Shard, stacksOfShard } from './lib/shards';
import { readSynthesized } from './lib/synthesized';
import { synthesize } from './lib/synthesize';
import { ToolError } from './lib/tool-error';

const command = {
  name: 'review',
  summary:
    'Synthesizes, plans every stack offline, then writes <out>/review/REVIEW.md and its data, review.json:\n' +
    'accounts, access, sharing, network (Mermaid), cost, plans. Two reviews of the same description are\n' +
    'byte for byte the same.',
  arguments: [{ name: 'shard-out-dir', description: 'With --merge: the --out directory of every `review --shard` run.', variadic: true }],
  options: {
    base: {
      type: 'string',
      value: '<dir>',
      description: "Compare with an earlier review's review.json (the file or its directory), and plan against the state its plans leave.",
    },
    'no-plan': { type: 'boolean', description: 'Review the plans already in <out>/plans/ (npm run plan:offline -- --json).' },
    'no-synth': NO_SYNTH_OPTION,
    'no-cache': { type: 'boolean', description: 'Plan every stack, whatever the offline cache holds.' },
    shard: { type: 'string', value: '<i>/<n>', description: 'Plan only shard i of n and write <out>/review/shard.json, no report.' },
    merge: { type: 'boolean', description: 'Report on the plans of every shard, whose --out directories follow.' },
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

/** What a shard leaves for the merge: which stacks it planned, and why any failed. */
interface ShardResult {
  readonly shard: Shard;
  readonly stacks: readonly string[];
  readonly failures: Record<string, string>;
  /** With --base: its stacks planned against the base's settled states (in <out>/base-state/states), and why not the others. */
  readonly againstBase?: readonly string[];
  readonly notAgainstBase?: Record<string, string>;
}

async function main({ values, positionals }: CommandLine<typeof command.options>): Promise<number> {
  if (positionals.length > 0 && !values.merge) throw new ToolError(`unexpected argument ${positionals[0]} (shards to merge follow --merge)`);
  if (values.merge && (positionals.length === 0 || values.shard || values['no-plan']))
    throw new ToolError('--merge takes the out directories of every shard, and neither --shard nor --no-plan');
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const out = values.out;
  const base = values.base ? readBaseReviewData(values.base, (message) => console.warn(message)) : undefined;
  const org = loadOrganizationOrExit();
  if (!values['no-synth']) await synthesize(org, { out });
  const failures = new Map<string, string>();
  let basePlanning: BasePlanning | undefined;
  if (values.merge) {
    const merged = mergeShards(positionals, out, base && values.base ? baseOutOf(values.base) : undefined);
    for (const [stack, failure] of merged.failures) failures.set(stack, failure);
    basePlanning = merged.planning;
  } else if (!values['no-plan']) {
    const cache = values['no-cache'] ? undefined : OFFLINE_CACHE_DIR;
    const only = shard && stacksOfShard(readSynthesized(out), shard);
    basePlanning = base && values.base ? await planningAgainst(values.base, out, cache) : undefined;
    const priorStates = basePlanning?.statesDir;
    // Against the base, what a stack reads from another must be that stack's plan against the base too.
    const planned = only && priorStates ? withProducers(only, readSynthesized(out)) : only;
    for (const result of await checkOffline({ outdir: out, planJson: true, cache, only: planned, priorStates, log: (line) => console.log(line) })) {
      if (!result.ok)
        failures.set(
          result.stack,
          `plan failed: ${(result.error ?? '').split('\n').find((line) => line.trim().startsWith('Error')) ?? 'see npm run plan:offline'}`,
        );
    }
    if (shard && only) {
      mkdirSync(join(out, 'review'), { recursive: true });
      const planning = basePlanning && {
        againstBase: only.filter((stack) => basePlanning!.againstBase.has(stack)),
        notAgainstBase: Object.fromEntries(
          only.flatMap((stack) => (basePlanning!.notAgainstBase.has(stack) ? [[stack, basePlanning!.notAgainstBase.get(stack)!]] : [])),
        ),
      };
      writeFileSync(
        join(out, 'review', 'shard.json'),
        JSON.stringify(
          { shard, stacks: only, failures: Object.fromEntries([...failures].filter(([stack]) => only.includes(stack))), ...planning } satisfies ShardResult,
          null,
          2,
        ),
      );
      console.log(`review shard ${shard.index}/${shard.count}: planned ${only.join(', ')}; merge every shard's ${out}/ with --merge`);
      return failures.size > 0 ? 1 : 0;
    }
  }
  const data = await collectReview(readReviewInputs(org, out, failures, basePlanning), {
    simulation: loadSimulator(),
    prices: loadPrices(),
    priceFile: relative(process.cwd(), PRICES_FILE),
  });
  const report = writeReview(join(out, 'review'), data, base, join(out, 'plans'));
  console.log(`review of ${org.name}: ${report}${base ? `, ${countChanges(compareReviews(base, data))} change(s) since the base` : ''}`);
  for (const [stack, failure] of failures) console.error(`  ${stack}: ${failure}`);
  return failures.size > 0 ? 1 : 0;
}
/**
 * Gathers the shards' plans into <out>/plans/ (and, planned against `baseOut`, the states they were planned
 * against) and returns their failures and planning; refuses shards that are not exactly every shard of one
 * split of these stacks.
 */
function mergeShards(dirs: readonly string[], out: string, baseOut: string | undefined): { failures: Map<string, string>; planning?: BasePlanning } {
  const results = dirs.map((dir) => {
    const file = join(dir, 'review', 'shard.json');
    if (!existsSync(file)) throw new ToolError(`--merge ${dir}: no review/shard.json (give the --out directory of a \`review --shard\` run)`);
    return { dir, ...(JSON.parse(readFileSync(file, 'utf8')) as ShardResult) };
  });
  const count = results[0].shard.count;
  const indices = results.map((result) => result.shard.index).sort((a, b) => a - b);
  if (results.some((result) => result.shard.count !== count) || indices.join() !== Array.from({ length: count }, (_, index) => index + 1).join()) {
    throw new ToolError(
      `--merge: shards ${results.map((result) => `${result.shard.index}/${result.shard.count}`).join(', ')} are not every shard of one split`,
    );
  }
  const expected = readSynthesized(out)
    .map((stack) => stack.name)
    .sort();
  const planned = results.flatMap((result) => result.stacks).sort();
  if (planned.join() !== expected.join())
    throw new ToolError(`--merge: the shards planned ${planned.join(', ')}, not this synth's stacks (${expected.join(', ')})`);
  const statesDir = join(out, 'base-state', 'states');
  mkdirSync(join(out, 'plans'), { recursive: true });
  mkdirSync(statesDir, { recursive: true });
  const failures = new Map<string, string>();
  for (const result of results) {
    for (const stack of result.stacks) {
      const plan = join(result.dir, 'plans', `${stack}.json`);
      if (result.failures[stack]) failures.set(stack, result.failures[stack]);
      else for (const file of [plan, planTextFile(plan)]) copyFileSync(file, join(out, 'plans', basename(file)));
      const state = join(result.dir, 'base-state', 'states', `${stack}.tfstate`);
      if (existsSync(state)) copyFileSync(state, join(statesDir, `${stack}.tfstate`));
    }
  }
  if (!baseOut || results.some((result) => !result.againstBase)) return { failures };
  return {
    failures,
    planning: {
      againstBase: new Set(results.flatMap((result) => result.againstBase ?? [])),
      notAgainstBase: new Map(results.flatMap((result) => Object.entries(result.notAgainstBase ?? {}))),
      statesDir,
      basePlansDir: join(baseOut, 'plans'),
    },
  };
}

/** The --out directory of the review whose review/ (or review.json) `basePath` names. */
function baseOutOf(basePath: string): string {
  return dirname(statSync(basePath).isDirectory() ? basePath : dirname(basePath));
}

/**
 * The base's states, settled from its review's --out (the directory holding its review/, with its
 * manifest, stacks and plans): which current stacks plan against them, and why the others do not.
 */
async function planningAgainst(basePath: string, out: string, cache: string | undefined): Promise<BasePlanning> {
  const baseOut = baseOutOf(basePath);
  const stacks = readSynthesized(out).map((stack) => stack.name);
  if (!existsSync(join(baseOut, 'manifest.json')) || !existsSync(join(baseOut, 'plans'))) {
    const reason = `the base review's stacks and plans are not beside it (${relative(process.cwd(), baseOut) || '.'}/manifest.json, plans/)`;
    return { againstBase: new Set(), notAgainstBase: new Map(stacks.map((stack) => [stack, reason])) };
  }
  const settled = await settleBaseStates(baseOut, join(out, 'base-state'), { cache, schemaCache: PROVIDER_SCHEMA_CACHE_DIR, log: (line) => console.log(line) });
  const inBase = new Set(readSynthesized(baseOut).map((stack) => stack.name));
  return {
    statesDir: settled.dir,
    basePlansDir: join(baseOut, 'plans'),
    againstBase: new Set(stacks.filter((stack) => !inBase.has(stack) || !settled.unsettled.has(stack))),
    notAgainstBase: new Map(stacks.filter((stack) => settled.unsettled.has(stack)).map((stack) => [stack, settled.unsettled.get(stack)!])),
  };
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
