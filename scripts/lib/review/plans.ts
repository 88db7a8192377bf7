// 6. Plans: per stack, the resources its offline plan adds, changes, replaces and destroys, by type; the
// import blocks it holds (planned offline as creates: adopting needs AWS); which stacks were not planned.
import { NOT_PLANNED, type PlanJson, type ReviewInputs } from './inputs';
import { blocks, code, details, htmlCode, link, listing, plural, table } from './markdown';

export interface ChangeCounts {
  readonly add: number;
  readonly change: number;
  readonly replace: number;
  readonly destroy: number;
}

export interface StackPlan {
  readonly stack: string;
  /** Why there is no plan; undefined when planned. */
  readonly notPlanned?: string;
  /** Import blocks in the synthesized stack: existing objects adopted, which the offline plan shows as creates. */
  readonly imports: number;
  /** Removed blocks (destroy = false): resource blocks of a retired account Terraform forgets, not destroys. */
  readonly forgets: number;
  readonly total?: ChangeCounts;
  /** Resource type -> counts, types in alphabetical order; only types with a change. */
  readonly byType?: Readonly<Record<string, ChangeCounts>>;
  /** Its `terraform show` text, relative to the report: plans/<stack>.txt. */
  readonly planText?: string;
  /** Planned against the state its base review's plan leaves (`--base`), not an empty one. */
  readonly againstBase?: boolean;
  /** With a base, why not planned against its state. */
  readonly notAgainstBase?: string;
  /** Planned against the base: resource address -> Terraform's action, for every resource it acts on. */
  readonly actions?: Readonly<Record<string, ResourceAction>>;
}

/** What Terraform does to one resource; a replacement with the attributes that force it. */
export type ResourceAction = 'create' | 'update' | 'delete' | 'forget' | `replace (${string})`;

export type PlansData = readonly StackPlan[];

/** Where the report keeps each stack's plan text, beside REVIEW.md. */
export const PLAN_TEXT_DIR = 'plans';

const NO_CHANGE: ChangeCounts = { add: 0, change: 0, replace: 0, destroy: 0 };

/** Terraform's own reading of an action list: a replacement is a delete and a create, in either order. */
function countsOf(actions: readonly string[]): ChangeCounts {
  const has = (action: string) => actions.includes(action);
  if (has('create') && has('delete')) return { ...NO_CHANGE, replace: 1 };
  return { add: has('create') ? 1 : 0, change: has('update') ? 1 : 0, replace: 0, destroy: has('delete') ? 1 : 0 };
}

function plus(a: ChangeCounts, b: ChangeCounts): ChangeCounts {
  return { add: a.add + b.add, change: a.change + b.change, replace: a.replace + b.replace, destroy: a.destroy + b.destroy };
}

const isChange = (counts: ChangeCounts) => counts.add + counts.change + counts.replace + counts.destroy > 0;

export function collectPlans(inputs: ReviewInputs): PlansData {
  return inputs.stacks.map((stack): StackPlan => {
    const imports = stack.json.import?.length ?? 0;
    const forgets = stack.json.removed?.length ?? 0;
    if (!stack.plan) return { stack: stack.name, notPlanned: stack.notPlanned, imports, forgets };
    const byType = new Map<string, ChangeCounts>();
    for (const change of stack.plan.resource_changes ?? []) {
      if (change.mode !== 'managed') continue;
      byType.set(change.type, plus(byType.get(change.type) ?? NO_CHANGE, countsOf(change.change.actions)));
    }
    const changed = [...byType].filter(([, counts]) => isChange(counts)).sort(([a], [b]) => a.localeCompare(b));
    const total = changed.reduce((sum, [, counts]) => plus(sum, counts), NO_CHANGE);
    const text = stack.planText ? { planText: `${PLAN_TEXT_DIR}/${stack.name}.txt` } : {};
    const common = { stack: stack.name, imports, forgets, total, byType: Object.fromEntries(changed), ...text };
    if (!stack.againstBase) return { ...common, ...(stack.notAgainstBase ? { notAgainstBase: stack.notAgainstBase } : {}) };
    return { ...common, againstBase: true, actions: resourceActions(stack.plan) };
  });
}

/** Terraform's action on each resource it acts on, by address. */
function resourceActions(plan: PlanJson): Record<string, ResourceAction> {
  return Object.fromEntries(
    (plan.resource_changes ?? []).flatMap((change): [string, ResourceAction][] => {
      const { actions, replace_paths: forcedBy } = change.change;
      if (change.mode !== 'managed' || actions.every((action) => action === 'no-op' || action === 'read')) return [];
      if (actions.includes('create') && actions.includes('delete')) {
        return [[change.address, `replace (${(forcedBy ?? []).map((path) => path.join('.')).join(', ') || 'forced'})`]];
      }
      return [[change.address, actions[0] as ResourceAction]];
    }),
  );
}

export function formatCounts(counts: ChangeCounts): string {
  return `${counts.add} to add, ${counts.change} to change, ${counts.replace ? `${counts.replace} to replace, ` : ''}${counts.destroy} to destroy`;
}

function countColumns(counts: ChangeCounts): string[] {
  return [counts.add, counts.change, counts.replace, counts.destroy].map(String);
}

export function renderPlans(data: PlansData): string {
  const notPlanned = data.filter((plan) => plan.notPlanned);
  const unplanned = notPlanned.filter((plan) => plan.notPlanned === NOT_PLANNED);
  // Only an organization with a retired account has removed blocks: the column shows then.
  const forgetting = data.some((plan) => plan.forgets > 0);
  const texts = data.some((plan) => plan.planText);
  const overview = table(
    ['stack', 'add', 'change', 'replace', 'destroy', 'imports', ...(forgetting ? ['forgets'] : []), ...(texts ? ['plan'] : [])],
    data.map((plan) => {
      const counts = plan.total ? countColumns(plan.total) : [`*${plan.notPlanned}*`, '', '', ''];
      return [
        plan.stack,
        ...counts,
        String(plan.imports),
        ...(forgetting ? [String(plan.forgets)] : []),
        ...(texts ? [plan.planText ? link('terraform show', plan.planText) : ''] : []),
      ];
    }),
    ['left', 'right', 'right', 'right', 'right', 'right', ...(forgetting ? (['right'] as const) : []), ...(texts ? (['left'] as const) : [])],
  );
  const perStack = data
    .filter((plan) => plan.byType && Object.keys(plan.byType).length > 0)
    .map((plan) =>
      details(
        `${htmlCode(plan.stack)}: ${formatCounts(plan.total!)}`,
        blocks(
          plan.planText && `Terraform's own words: ${link(plan.planText, plan.planText)}.`,
          table(
            ['resource type', 'add', 'change', 'replace', 'destroy'],
            Object.entries(plan.byType!).map(([type, counts]) => [type, ...countColumns(counts)]),
            ['left', 'right', 'right', 'right', 'right'],
          ),
        ),
      ),
    );
  const imports = data.filter((plan) => plan.imports > 0 && plan.total);
  return blocks(
    '## 6. Plans',
    (data.some((plan) => plan.againstBase)
      ? "From the offline plans (no AWS account), each stack planned against the state its base review's plan leaves (`--base`: see Changes since the base review), " +
        'a stack new since the base against an empty state' +
        (data.some((plan) => plan.notAgainstBase)
          ? `; against an empty state, as a first deploy: ${listing(data.filter((plan) => plan.notAgainstBase).map((plan) => `${code(plan.stack)} (${plan.notAgainstBase})`))}.`
          : '.')
      : 'From the offline plans (`npm run plan:offline`: no AWS account, every stack planned against an empty state), so a first deploy: ' +
        'against deployed stacks, `npm run diff -- <stack>` shows the real changes.') +
      (imports.length
        ? ` Adopted objects (import blocks) are planned offline as creates: ${imports.map((plan) => `${plural(plan.imports, 'import')} in ${code(plan.stack)}`).join(', ')}.`
        : ''),
    forgetting &&
      'Forgets: `removed` blocks (`destroy = false`) of retired accounts, each naming a resource block Terraform stops managing without destroying ' +
        'what it made (docs/retiring-an-account.md); against an empty state the offline plan has nothing to forget.',
    unplanned.length > 0 && `Not planned: ${listing(unplanned.map((plan) => code(plan.stack)))}.`,
    ...notPlanned.filter((plan) => !unplanned.includes(plan)).map((plan) => `${code(plan.stack)}: ${plan.notPlanned}.`),
    overview,
    ...perStack,
  );
}

/** Per stack, and per stack and type for planned stacks; the diff compares types only where both sides were planned. */
export function planRecords(data: PlansData): Record<string, string> {
  return Object.fromEntries(
    data.flatMap((plan) => [
      [plan.stack, (plan.total ? formatCounts(plan.total) : (plan.notPlanned ?? '')) + (plan.forgets > 0 ? `; forgets ${plan.forgets}` : '')],
      ...Object.entries(plan.byType ?? {}).map(([type, counts]) => [`${plan.stack} ${type}`, formatCounts(counts)]),
    ]),
  );
}
