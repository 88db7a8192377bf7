// Each stage of the flat account's migration (docs/migration.md) plans offline: the stacks that stage is
// about, each stage at once. Offline plans leave import blocks out (they read the live object), so what is
// adopted plans as a create here; migration.test.ts asserts the import blocks on the synthesized JSON, and
// this file that they are all there to drop, and that no plan destroys or replaces anything.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadOrganization } from '../description/load';
import { assumeRoleRequest, loadIamSimulator, type RequestPrincipal } from '../scripts/lib/iam-simulator';
import { checkOffline, type StackCheck } from '../scripts/lib/offline-plan';
import { readSynthesizedIam } from '../scripts/lib/synthesized-iam';
import { synthesize } from '../scripts/lib/synthesize';
import { readSynthesized } from '../scripts/lib/synthesized';
import { ROOT, scratchDir } from './helpers';
import { offlineCache } from './setup/planned';

const FLAT = join(ROOT, '__tests__', 'fixtures', 'flat-account');
/**
 * Per stage, the stacks it changes (stage 1's prod is stage 3's without the identity; stage 2's dev is
 * stage 4's without the peering, its synth asserted in migration.test.ts: a plan costs seconds of CPU).
 */
const PLANNED: Record<string, readonly string[]> = {
  'stage-1-organization': ['bootstrap-prod'],
  'stage-3-identity': ['prod'],
  'stage-4-peering': ['dev'],
  'stage-5-forget': ['dev'],
};

interface PlannedStage {
  readonly outdir: string;
  readonly checks: readonly StackCheck[];
}

const planned = new Map<string, PlannedStage>();
beforeAll(async () => {
  const results = await Promise.all(
    Object.entries(PLANNED).map(async ([stage, only]) => {
      const outdir = join(scratchDir(`migration-${stage}`), 'cdktf.out');
      await synthesize(loadOrganization(join(FLAT, stage)), { out: outdir, warn: () => undefined });
      return [stage, { outdir, checks: await checkOffline({ outdir, only, planJson: true, cache: offlineCache(), concurrency: 1 }) }] as const;
    }),
  );
  for (const [stage, result] of results) planned.set(stage, result);
});

describe.each(Object.entries(PLANNED))('%s', (stage, stacks) => {
  it.each(stacks)('%s plans offline: every import block dropped (planned as a create), nothing destroyed or replaced', (stack) => {
    const { outdir, checks } = planned.get(stage)!;
    const check = checks.find((candidate) => candidate.stack === stack)!;
    expect([check.ok, check.error]).toEqual([true, undefined]);
    const json = readSynthesized(outdir).find((candidate) => candidate.name === stack)!.json!;
    expect(check.importsDropped ?? 0).toBe((json.import ?? []).length);
    const plan = JSON.parse(readFileSync(check.planFile!, 'utf8'));
    const actions = (plan.resource_changes as { change: { actions: string[] } }[]).flatMap((change) => change.change.actions);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action !== 'create' && action !== 'no-op')).toEqual([]);
  });
});

describe('the deploy role bootstrap-prod makes in the invited account', () => {
  /** An administrator of `accountId`: its own policies allow everything, so the trust policy decides. */
  const administrator = (accountId: string): RequestPrincipal => {
    const arn = `arn:aws:iam::${accountId}:role/administrator`;
    return {
      arn,
      accountId,
      policies: [{ name: 'everything', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
      context: { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': accountId },
    };
  };

  it('is assumed from the management account, as the role AWS makes in the accounts it creates; from no other account', async () => {
    const simulator = loadIamSimulator();
    const { outdir } = planned.get('stage-1-organization')!;
    const stacks = readSynthesized(outdir).flatMap(({ name, json }) => (json ? [{ name, json }] : []));
    const role = readSynthesizedIam(stacks, (name) => simulator.awsManagedPolicy(name)).roles.find((candidate) => candidate.accountId === '555555555555')!;
    expect(role.name).toBe('OrganizationAccountAccessRole');
    expect(await simulator.evaluate(assumeRoleRequest(administrator('111100000001'), role))).toBe('allowed');
    // Another member account, and an account outside the organization.
    for (const accountId of ['111100000002', '999999999999'])
      expect(await simulator.evaluate(assumeRoleRequest(administrator(accountId), role))).toBe('denied');
  });
});
