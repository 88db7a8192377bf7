// npm run generate-org -- <dir> <accounts>: writes a synthetic organization of that many accounts, shaped
// like the default one, the same the bench and the tests use: to plan a large mesh by hand
// (ORG_DIR=<dir> npm run plan:offline) or to try a change at scale.
import { existsSync, readdirSync } from 'node:fs';
import { generateOrganization } from './lib/generate-org';

const [dir, accounts] = process.argv.slice(2);
const count = Number(accounts);
if (!dir || !Number.isInteger(count)) {
  console.error('usage: npm run generate-org -- <dir> <accounts, 2 to 250>');
  process.exit(2);
}
if (existsSync(dir) && readdirSync(dir).length > 0) {
  console.error(`generate-org: ${dir} is not empty; give a new or empty directory`);
  process.exit(2);
}
try {
  generateOrganization(dir, count);
} catch (error) {
  console.error(`generate-org: ${(error as Error).message}`);
  process.exit(2);
}
console.log(`${count} accounts -> ${dir}/ (ORG_DIR=${dir} npm run synth)`);
