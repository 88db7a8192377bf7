// Where the global setup leaves each planned organization, and how tests read it back.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StackCheck } from '../../scripts/lib/offline-plan';
import { readSynthesized, type TerraformJson } from '../../scripts/lib/synthesized';

const ROOT = resolve(__dirname, '..', '..');

export const PLANNED_ORGS: Record<string, string> = {
  default: join(ROOT, 'environments'),
  'five-accounts': join(ROOT, '__tests__', 'fixtures', 'five-accounts'),
};

export function plannedOrgDir(name: string): string {
  return join(ROOT, '.test-out', name);
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

/** The synthesized JSON, offline check and plan of every stack of a planned organization. */
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
