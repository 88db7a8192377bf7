// Jest global setup: synthesizes and plans offline, once, the organizations whose plans many test files
// assert on (a plan costs seconds of terraform per stack; asserting on it costs nothing). A stack's plan
// comes from the offline cache while nothing that decides it changed; `npm test -- --no-cache` plans all.
import type { Config } from 'jest';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../../description/load';
import { generateOrganization } from '../../scripts/lib/generate-org';
import { checkOffline, OFFLINE_CACHE_DIR } from '../../scripts/lib/offline-plan';
import { synthesize } from '../../scripts/lib/synthesize';
import { generatedOrgDir, offlineCache, PARTLY_PLANNED, PLANNED_ORGS, plannedOrgDir, TEN_ACCOUNTS, TEN_ACCOUNTS_DIR } from './planned';

/** planned: every stack; a list: those stacks only. */
const ORGANIZATIONS: { name: string; orgDir: string; planned: boolean | readonly string[] }[] = [
  ...Object.entries(PLANNED_ORGS).map(([name, orgDir]) => ({ name, orgDir, planned: true })),
  { name: TEN_ACCOUNTS.name, orgDir: TEN_ACCOUNTS_DIR, planned: false },
  ...PARTLY_PLANNED.map(({ name, stacks }) => ({ name, orgDir: generatedOrgDir(name), planned: stacks })),
];

export default async function planOrganizations(_globalConfig: unknown, projectConfig: Config): Promise<void> {
  // Test files read it through offlineCache(); workers inherit the environment.
  if (projectConfig.cache === false) process.env.OFFLINE_CACHE = 'off';
  // While iterating on tests that do not change the synthesized stacks: TEST_REUSE_PLANS=1 npx jest <file>.
  if (process.env.TEST_REUSE_PLANS && ORGANIZATIONS.every(({ name }) => existsSync(join(plannedOrgDir(name), 'cdktf.out')))) return;
  const started = Date.now();
  for (const { name } of ORGANIZATIONS) {
    rmSync(plannedOrgDir(name), { recursive: true, force: true });
    mkdirSync(plannedOrgDir(name), { recursive: true });
  }
  generateOrganization(TEN_ACCOUNTS_DIR, TEN_ACCOUNTS.accounts);
  for (const { name, accounts, network } of PARTLY_PLANNED) generateOrganization(generatedOrgDir(name), accounts, network);
  const outdir = (name: string) => join(plannedOrgDir(name), 'cdktf.out');
  for (const { name, orgDir } of ORGANIZATIONS) await synthesize(loadOrganization(orgDir), { out: outdir(name) });
  // One stack at a time per organization, all organizations at once: the cores stay busy while a stack
  // waits for the stacks it reads outputs from.
  const planned = ORGANIZATIONS.filter((organization) => organization.planned);
  process.stdout.write(
    `\nplanning ${planned.map(({ name }) => name).join(', ')} offline${offlineCache() ? ` (cache: ${OFFLINE_CACHE_DIR})` : ', cache off'}\n`,
  );
  await Promise.all(
    planned.map(async ({ name, planned: stacks }) => {
      const only = Array.isArray(stacks) ? stacks : undefined;
      const results = await checkOffline({
        outdir: outdir(name),
        only,
        planJson: true,
        cache: offlineCache(),
        concurrency: 1,
        log: (line) => process.stdout.write(`  ${name}: ${line}\n`),
      });
      writeFileSync(join(plannedOrgDir(name), 'results.json'), JSON.stringify(results, null, 2));
    }),
  );
  process.stdout.write(`planned ${planned.map(({ name }) => name).join(', ')} offline in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
