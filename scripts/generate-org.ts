// npm run generate-org -- <dir> <accounts>: writes a synthetic organization of that many accounts, shaped
// like the default one, the same the bench and the tests use: to plan a large mesh by hand
// (ORG_DIR=<dir> npm run plan:offline) or to try a change at scale.
import { existsSync, readdirSync } from 'node:fs';
import { runCommand } from './lib/command';
import { generateOrganization, MAX_GENERATED_ACCOUNTS } from './lib/generate-org';
import { ToolError } from './lib/tool-error';

async function main(): Promise<number> {
  const [dir, accounts] = process.argv.slice(2);
  const count = Number(accounts);
  if (!dir || !Number.isInteger(count)) throw new ToolError(`usage: npm run generate-org -- <dir> <accounts, 2 to ${MAX_GENERATED_ACCOUNTS}>`);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new ToolError(`${dir} is not empty; give a new or empty directory`);
  let raised: Record<string, number> | undefined;
  try {
    raised = generateOrganization(dir, count);
  } catch (error) {
    throw new ToolError((error as Error).message);
  }
  console.log(`${count} accounts -> ${dir}/ (ORG_DIR=${dir} npm run synth)`);
  if (raised) {
    const quotas = Object.entries(raised).map(([quota, value]) => `${quota} ${value}`).join(', ');
    console.log(`  its mesh needs AWS quotas above the defaults, set in organization.yaml as such an organization would have raised them: networkQuotas ${quotas}`);
  }
  return 0;
}

runCommand('generate-org', main);
