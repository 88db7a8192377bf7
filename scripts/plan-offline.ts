// npm run plan:offline [-- --out <dir>] [--no-synth] [--validate-only]: synthesizes, then checks every
// stack with terraform offline (see scripts/lib/offline-plan.ts).
import { loadOrganizationOrExit } from '../description/load';
import { checkOffline, formatChanges } from './lib/offline-plan';
import { DESCRIPTION_ENVIRONMENT, NO_SYNTH_OPTION, OUT_OPTION, runCommand, TERRAFORM_ENVIRONMENT } from './lib/command';
import { synthesize } from './lib/synthesize';

runCommand(
  {
    name: 'plan:offline',
    summary:
      'Synthesizes, then per stack: terraform init from a local provider mirror, validate, plan, with no AWS\n' +
      'account and no network. Plans as JSON in <out>/plans/<stack>.json. Import blocks are left out\n' +
      'offline: the objects they adopt plan as creates, and the count is printed.',
    options: {
      out: OUT_OPTION,
      'no-synth': NO_SYNTH_OPTION,
      'validate-only': { type: 'boolean', description: 'terraform validate only, no plan.' },
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
    const results = await checkOffline({ outdir: values.out, validateOnly, log: (line) => console.log(line) });
    const failed = results.filter((result) => !result.ok);
    for (const result of failed) console.error(`\n--- ${result.stack} ---\n${result.error}`);
    console.log(
      `\n${results.length - failed.length}/${results.length} stacks ${validateOnly ? 'valid' : `planned offline; plans in ${values.out}/plans/`}` +
        (failed.length ? `; FAILED: ${failed.map((result) => result.stack).join(', ')}` : ''),
    );
    for (const result of results) if (result.changes) console.log(`  ${result.stack}: ${formatChanges(result)}`);
    for (const result of results) for (const warning of result.warnings ?? []) console.warn(`  ${result.stack}: ${warning}`);
    return failed.length ? 1 : 0;
  },
);
