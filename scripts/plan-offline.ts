// npm run plan:offline [-- --out <dir>] [--no-synth] [--validate-only] [--json] [--no-cache] [--shard <i>/<n>]:
// synthesizes, then checks every stack with terraform offline (see scripts/lib/offline-plan.ts), taking
// from the offline cache the stacks whose result nothing has changed since; --json writes each plan to
// <out>/plans/; --shard checks one shard of the stacks (scripts/lib/shards.ts), for a matrix of machines.
import { parseArgs } from 'node:util';
import { loadOrganizationOrExit } from '../description/load';
import { checkOffline, formatChanges, OFFLINE_CACHE_DIR } from './lib/offline-plan';
import { runCommand } from './lib/command';
import { parseShard, stacksOfShard } from './lib/shards';
import { readSynthesized } from './lib/synthesized';
import { synthesize } from './lib/synthesize';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: process.env.CDKTF_OUTDIR || 'cdktf.out' },
      'no-synth': { type: 'boolean', default: false },
      'validate-only': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      shard: { type: 'string' },
    },
  });
  if (!values['no-synth']) {
    const stacks = await synthesize(loadOrganizationOrExit(), { out: values.out });
    console.log(`synthesized ${stacks.length} stacks into ${values.out}/`);
  }
  const validateOnly = values['validate-only'];
  const only = values.shard === undefined ? undefined : stacksOfShard(readSynthesized(values.out), parseShard(values.shard));
  const results = await checkOffline({
    outdir: values.out,
    validateOnly,
    planJson: values.json,
    only,
    cache: values['no-cache'] ? undefined : OFFLINE_CACHE_DIR,
    log: (line) => console.log(line),
  });
  const failed = results.filter((result) => !result.ok);
  for (const result of failed) console.error(`\n--- ${result.stack} ---\n${result.error}`);
  console.log(
    `\n${results.length - failed.length}/${results.length} stacks ${validateOnly ? 'valid' : `planned offline${values.json ? `; plans in ${values.out}/plans/` : ''}`}` +
      (results.some((result) => result.cached) ? ` (${results.filter((result) => result.cached).length} from the cache)` : '') +
      (failed.length ? `; FAILED: ${failed.map((result) => result.stack).join(', ')}` : ''),
  );
  for (const result of results) if (result.changes) console.log(`  ${result.stack}: ${formatChanges(result)}`);
  return failed.length ? 1 : 0;
}

runCommand('plan:offline', main);
