// Where the global setup leaves each planned organization, and how tests read it back.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OFFLINE_CACHE_DIR, type StackCheck } from '../../scripts/lib/offline-plan';
import { readSynthesized, type SynthesizedStack, type TerraformJson } from '../../scripts/lib/synthesized';

const ROOT = resolve(__dirname, '..', '..');

/** Organizations planned whole: every stack. */
export const PLANNED_ORGS: Record<string, string> = {
  default: join(ROOT, 'environments'),
  'five-accounts': join(ROOT, '__tests__', 'fixtures', 'five-accounts'),
};

/**
 * A generated organization of 10 accounts (9 VPCs), synthesized but not planned: the mesh invariants are
 * checked on its synthesized JSON. Planning it would cost ~1 minute of CPU for its mesh stack alone (a
 * provider process per account) and ~2 for all 12 stacks, more than the suite's budget allows; its
 * stacks are the same code the two organizations above plan whole, meshes of 3 and 5 VPCs included.
 */
export const TEN_ACCOUNTS = { name: 'ten-accounts', accounts: 10 } as const;

/**
 * Generated organizations of which one stack is planned (the others are read as fixtures): a transit
 * gateway hub of 5 accounts with production isolated, its transit-gateway stack (4 providers).
 */
export const PARTLY_PLANNED = [
  { name: 'five-hub', accounts: 5, network: { transitGateway: true, isolateProduction: true }, stacks: ['transit-gateway'] },
] as const;

/** The offline cache the suite reads and fills; none after `npm test -- --no-cache` (see plan-organizations.ts). */
export function offlineCache(): string | undefined {
  return process.env.OFFLINE_CACHE === 'off' ? undefined : OFFLINE_CACHE_DIR;
}

export function plannedOrgDir(name: string): string {
  return join(ROOT, '.test-out', name);
}

/** Where the global setup generates the ten-account organization. */
export const TEN_ACCOUNTS_DIR = join(plannedOrgDir(TEN_ACCOUNTS.name), 'org');

/** Where the global setup generates a generated organization. */
export function generatedOrgDir(name: string): string {
  return join(plannedOrgDir(name), 'org');
}

/** Every stack a planned organization synthesized, planned or not. */
export function synthesizedOrg(name: string): SynthesizedStack[] {
  return readSynthesized(join(plannedOrgDir(name), 'cdktf.out'));
}

export interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, any>;
  readonly actions: readonly string[];
}

export interface PlannedStack {
  readonly check: StackCheck;
  /** The stacks cdktf deploys before this one. */
  readonly dependencies: readonly string[];
  readonly json: TerraformJson;
  readonly plan: any;
  readonly resources: readonly PlannedResource[];
}

/** The synthesized JSON, offline check and plan of every planned stack of a planned organization. */
export function plannedOrg(name: string): Map<string, PlannedStack> {
  const dir = plannedOrgDir(name);
  const checks = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as StackCheck[];
  const synthesized = readSynthesized(join(dir, 'cdktf.out'));
  return new Map(
    checks.map((check) => {
      const plan = check.planFile ? JSON.parse(readFileSync(check.planFile, 'utf8')) : undefined;
      const resources: PlannedResource[] = (plan?.resource_changes ?? []).map((change: any) => ({
        address: change.address,
        type: change.type,
        values: change.change.after ?? {},
        actions: change.change.actions,
      }));
      const stack = synthesized.find((candidate) => candidate.name === check.stack)!;
      return [check.stack, { check, dependencies: stack.dependencies, json: stack.json!, plan, resources }];
    }),
  );
}
