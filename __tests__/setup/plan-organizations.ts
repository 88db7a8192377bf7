// Jest global setup: synthesizes and plans offline, once, the organizations whose plans many test files
// assert on (a plan costs seconds of terraform per stack; asserting on it costs nothing).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../../description/load';
import { checkOffline } from '../../scripts/lib/offline-plan';
import { synthesize } from '../../scripts/lib/synthesize';
import { PLANNED_ORGS, plannedOrgDir } from './planned';

export default async function planOrganizations(): Promise<void> {
  // While iterating on tests that do not change the synthesized stacks: TEST_REUSE_PLANS=1 npx jest <file>.
  if (process.env.TEST_REUSE_PLANS && Object.keys(PLANNED_ORGS).every((name) => existsSync(join(plannedOrgDir(name), 'results.json')))) return;
  const started = Date.now();
  for (const [name, orgDir] of Object.entries(PLANNED_ORGS)) {
    const dir = plannedOrgDir(name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const outdir = join(dir, 'cdktf.out');
    await synthesize(loadOrganization(orgDir), { out: outdir });
    // `terraform plan` validates the configuration itself; the separate validate step is exercised on the HCL.
    const results = await checkOffline({ outdir, validate: false });
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 2));
  }
  process.stdout.write(`\nplanned ${Object.keys(PLANNED_ORGS).join(' and ')} offline in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
