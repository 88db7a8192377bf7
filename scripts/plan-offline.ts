// npm run plan:offline [-- --out <dir>] [--no-synth] [--validate-only] [--json] [--no-cache] [--shard <i>/<n>]:
// synthesizes, then checks every stack with terraform offline (see scripts/lib/offline-plan.ts), taking
// from the offline cache the stacks whose result nothing has changed since; --json writes each plan to
// <out>/plans/; --shard checks one shard of the stacks (scripts/lib/shards.ts), for a matrix of machines.
import { loadOrganizationOrExit } from '../description/load';
import { checkOffline, formatChanges, OFFLINE_CACHE_DIR } from './lib/offline-plan';
import { DESCRIPTION_ENVIRONMENT, NO_SYNTH_OPTION, OUT_OPTION, runCommand, TERRAFORM_ENVIRONMENT } from './lib/command';
import { parseShard, stacksOfShard } from './lib/shards';
import { readSynthesized } from './lib/synthesized';
import { synthesize } from './lib/synthesize';

runCommand(
  {
    name: 'plan:offline',
    summary:
      'Synthesizes, then per stack: terraform init from a local provider mirror and plan, with no AWS account\n' +
      'and no network; a stack whose result nothing has changed since is taken from the offline cache\n' +
      '(.cache/offline-plans/). Import blocks are left out offline: the objects they adopt plan as creates,\n' +
      'and the count is printed.',
    options: {
      out: OUT_OPTION,
      'no-synth': NO_SYNTH_OPTION,
      'validate-only': { type: 'boolean', description: 'terraform validate only, no plan.' },
      json: { type: 'boolean', description: 'Write each plan as JSON to <out>/plans/<stack>.json.' },
      'no-cache': { type: 'boolean', description: 'Plan every stack, whatever the offline cache holds.' },
      shard: { type: 'string', value: '<i>/<n>', description: 'Check only shard i of n (stacks balanced by resources), for a matrix of machines.' },
    },
    environment: {
      ...DESCRIPTION_ENVIRONMENT,
      ...TERRAFORM_ENVIRONMENT,
      OFFLINE_PROVIDER_REATTACH: '0: terraform starts the provider per command instead of once per stack.',
    },
    exitStatuses: {
      0: 'every stack planned (or validated)',
      1: 'the description has problems, or a stack failed to plan (each named)',
      2: 'a bad option, no terraform or provider mirror, or a synth a guardrail refused',
    },
    example: 'npm run synth:hcl && npm run plan:offline -- --no-synth --validate-only',
  },
  async ({ values }) => {
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
    for (const result of results) for (const warning of result.warnings ?? []) console.warn(`  ${result.stack}: ${warning}`);
    return failed.length ? 1 : 0;
  },
);
