// Every resource each stack declares, as lines a reader compares: the resource diff of a --base review.
// A resource's arguments are flattened to one line per attribute; what AWS holds as a set is a set of
// lines, so that order alone never reads as a change: policy documents as statements (by Sid) with one line
// per action, resource, principal and condition value; security group rules as one line per rule and CIDR;
// NACL rules and other nested blocks as one line each; tags as one line per key.
import type { ReviewInputs } from './inputs';
import { blocks, details, htmlCode, table } from './markdown';
import { type ChangeCounts, formatCounts, type PlansData, type ResourceAction } from './plans';

/** Attribute line -> value; a line of a set (a rule, an action of a statement) has the value ''. */
export type ResourceLines = Readonly<Record<string, string>>;

export interface DeclaredResource {
  readonly type: string;
  /** The construct path, which names the resource for people (the address carries a hash). */
  readonly path: string;
  readonly lines: ResourceLines;
}

export interface StackResources {
  /** Resource address (type.name) -> what it declares. */
  readonly declared: Readonly<Record<string, DeclaredResource>>;
  /** The addresses its removed blocks name: Terraform forgets them, they stay in AWS. */
  readonly forgotten: readonly string[];
}

export type ResourcesData = Readonly<Record<string, StackResources>>;

/** Arguments that say how Terraform orders or names things, not what AWS holds. */
const NOT_COMPARED = new Set(['//', 'depends_on']);

export function collectResources(inputs: ReviewInputs): ResourcesData {
  return Object.fromEntries(
    inputs.stacks.map((stack): [string, StackResources] => [
      stack.name,
      {
        declared: Object.fromEntries(
          Object.entries(stack.json.resource ?? {}).flatMap(([type, byName]) =>
            Object.entries(byName).map(([name, config]): [string, DeclaredResource] => {
              const metadata = (config['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
              const path = metadata?.path?.replace(`${stack.name}/`, '') ?? name;
              return [`${type}.${name}`, { type, path, lines: declaredLines(config) }];
            }),
          ),
        ),
        forgotten: (stack.json.removed ?? []).map((block) => String((block as { from: string }).from)).sort(),
      },
    ]),
  );
}

/** The comparable lines of one resource's arguments. */
export function declaredLines(config: Readonly<Record<string, unknown>>): ResourceLines {
  const lines: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) if (!NOT_COMPARED.has(key)) flatten(key, value, lines);
  return Object.fromEntries(Object.entries(lines).sort(([a], [b]) => a.localeCompare(b)));
}

function flatten(path: string, value: unknown, lines: Record<string, string>): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    const document = parsedJson(value);
    if (document && Array.isArray((document as { Statement?: unknown }).Statement)) return policyLines(path, document as PolicyDocument, lines);
    if (document && typeof document === 'object') return flatten(path, document, lines);
    lines[path] = value;
    return;
  }
  // One line per instance a literal for_each makes: an instance added or removed is one line.
  if (path === 'for_each' && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, instance] of Object.entries(value))
      lines[`instance ${key}`] = instance && typeof instance === 'object' ? words(instance as Record<string, unknown>) : String(instance);
    return;
  }
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) {
      for (const item of value) if (item !== null) lines[`${path}: ${String(item)}`] = '';
      return;
    }
    // One block: its attributes; several: a set of rules, one line each (a rule per CIDR where it lists several).
    if (value.length === 1 && !isRuleList(path)) return flatten(path, value[0], lines);
    const ordered = value.some((item) => (item as Record<string, unknown>).action === 'deny');
    for (const item of value) for (const rule of ruleLines(item as Record<string, unknown>, ordered)) lines[`${path}: ${rule}`] = '';
    return;
  }
  if (typeof value === 'object') {
    for (const [key, part] of Object.entries(value)) flatten(`${path}.${key}`, part, lines);
    return;
  }
  lines[path] = String(value);
}

/** Security group and NACL rule blocks: a set even when they hold one rule. */
function isRuleList(path: string): boolean {
  return /(^|\.)(ingress|egress)$/.test(path);
}

/**
 * A rule as one line of its arguments, sorted by name; a rule listing several CIDRs, one line per CIDR. A
 * NACL rule's number orders rules: unless one of them denies, renumbering them is no change.
 */
function ruleLines({ rule_no: order, ...rule }: Record<string, unknown>, ordered: boolean): string[] {
  if (ordered && order !== undefined) rule.rule_no = order;
  const cidrs = rule.cidr_blocks;
  if (Array.isArray(cidrs) && cidrs.length > 1) return cidrs.map((cidr) => words({ ...rule, cidr_blocks: [cidr] }));
  return [words(rule)];
}

/** An object's set arguments as `name=value` words, sorted by name. */
function words(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' ');
}

interface PolicyDocument {
  readonly Statement: readonly Record<string, unknown>[];
}

/**
 * A statement's lines, under the statement's Sid (or, without one, its effect and first action): its
 * effect, then one line per principal, action, resource and condition value.
 */
function policyLines(path: string, document: PolicyDocument, lines: Record<string, string>): void {
  for (const statement of document.Statement) {
    const actions = [statement.Action ?? statement.NotAction].flat().map(String).sort();
    const name = statement.Sid ? String(statement.Sid) : `${String(statement.Effect)} ${actions[0] ?? ''}`;
    const prefix = `${path} statement ${name}`;
    for (const [field, value] of Object.entries(statement)) {
      if (field === 'Sid') continue;
      const values = (part: unknown, at: string): void => {
        if (part && typeof part === 'object' && !Array.isArray(part)) for (const [key, inner] of Object.entries(part)) values(inner, `${at}.${key}`);
        else if (field === 'Effect') lines[at] = String(part);
        else for (const item of [part].flat()) lines[`${at}: ${String(item)}`] = '';
      };
      values(value, `${prefix} ${field}`);
    }
  }
}

function parsedJson(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What changed in one resource: lines added, removed, and values changed. */
export interface LineChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly (readonly [line: string, before: string, now: string])[];
}

export function compareLines(before: ResourceLines, now: ResourceLines): LineChanges {
  const show = (line: string, lines: ResourceLines) => (lines[line] === '' ? line : `${line} = ${lines[line]}`);
  return {
    added: Object.keys(now)
      .filter((line) => !(line in before))
      .map((line) => show(line, now)),
    removed: Object.keys(before)
      .filter((line) => !(line in now))
      .map((line) => show(line, before)),
    changed: Object.keys(now)
      .filter((line) => line in before && before[line] !== now[line])
      .map((line) => [line, before[line], now[line]] as const),
  };
}

export function hasLineChanges(changes: LineChanges): boolean {
  return changes.added.length + changes.removed.length + changes.changed.length > 0;
}

/** One resource whose declaration differs from the base's, or that Terraform acts on (planned against the base). */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly path: string;
  /** Removed: destroyed; forgotten: no longer managed (a removed block), left in AWS; follows: unchanged, acted on by Terraform. */
  readonly change: 'added' | 'removed' | 'forgotten' | 'changed' | 'follows';
  readonly lines?: LineChanges;
  /** Terraform's action, when the stack was planned against the base's state. */
  readonly action?: ResourceAction | 'none';
}

export interface StackResourceChanges {
  readonly stack: string;
  readonly resources: readonly ResourceChange[];
  /** Terraform's counts, planned against the base's state. */
  readonly counts?: ChangeCounts;
  /** Why Terraform's counts are not checked against the base, when planned otherwise. */
  readonly notAgainstBase?: string;
}

const ORDER = { added: 0, changed: 1, removed: 2, forgotten: 3, follows: 4 } as const;

/**
 * Per stack with a change, the resources added, removed (or forgotten) and changed since the base, in
 * that order, each with Terraform's action where the stack was planned against the base's state; then
 * the resources Terraform acts on whose declaration did not change (they read a value only an apply
 * knows, e.g. a replaced VPC's id).
 */
export function compareResources(base: ResourcesData, current: ResourcesData, plans: PlansData = []): StackResourceChanges[] {
  const stacks = [...new Set([...Object.keys(current), ...Object.keys(base)])];
  return stacks.flatMap((stack): StackResourceChanges[] => {
    const before = base[stack]?.declared ?? {};
    const now = current[stack]?.declared ?? {};
    const forgotten = new Set(current[stack]?.forgotten ?? []);
    const plan = plans.find((candidate) => candidate.stack === stack);
    const actions = plan?.againstBase ? (plan.actions ?? {}) : undefined;
    /** Terraform's actions on a resource block: one per for_each instance. */
    const actionOf = (address: string): ResourceAction | 'none' | undefined => {
      if (!actions) return undefined;
      const found = [
        ...new Set(
          Object.entries(actions)
            .filter(([instance]) => instance === address || instance.startsWith(`${address}[`))
            .map(([, action]) => action),
        ),
      ];
      return found.length === 0 ? 'none' : (found.join(', ') as ResourceAction);
    };
    const resources = [...new Set([...Object.keys(now), ...Object.keys(before)])].flatMap((address): ResourceChange[] => {
      const was = before[address];
      const is = now[address];
      const { type, path } = is ?? was;
      const action = actionOf(address);
      const withAction = action ? { action } : {};
      if (!was || !is) return [{ address, type, path, change: is ? 'added' : forgotten.has(address) ? 'forgotten' : 'removed', ...withAction }];
      const lines = compareLines(was.lines, is.lines);
      if (hasLineChanges(lines)) return [{ address, type, path, change: 'changed', lines, ...withAction }];
      return action && action !== 'none' ? [{ address, type, path, change: 'follows', action }] : [];
    });
    const acts = plan?.againstBase && plan.total && totalChanges(plan.total) > 0;
    if (resources.length === 0 && !acts) return [];
    const sorted = resources.sort((a, b) => ORDER[a.change] - ORDER[b.change] || a.path.localeCompare(b.path));
    if (plan?.againstBase && plan.total) return [{ stack, resources: sorted, counts: plan.total }];
    const why = plan?.notAgainstBase ?? plan?.notPlanned ?? (current[stack] ? undefined : 'no longer synthesized: Terraform destroys what its state holds');
    return [{ stack, resources: sorted, ...(why ? { notAgainstBase: why } : {}) }];
  });
}

function totalChanges(counts: ChangeCounts): number {
  return counts.add + counts.change + counts.replace + counts.destroy;
}

/** A resource's changed lines for a table cell: + added, - removed, before -> now. */
function describeLines(lines: LineChanges): string {
  return [
    ...lines.added.map((line) => `+ ${line}`),
    ...lines.removed.map((line) => `- ${line}`),
    ...lines.changed.map(([line, was, is]) => `${line}: ${was} -> ${is}`),
  ].join('\n');
}

export function renderResourceChanges(changes: readonly StackResourceChanges[]): string {
  const planned = changes.some((stack) => stack.counts);
  return blocks(
    '### Resources',
    changes.length === 0
      ? 'No resource is added, removed or changed.'
      : 'Per stack, every resource whose declaration differs from the base: policy statements, rules and tags compared as sets, so order alone is no change. ' +
          (planned
            ? "Terraform's action and counts come from the stack's offline plan against the state the base's own plan leaves (docs/review.md); a replacement names the attributes that force it."
            : "The offline plans were not made against the base's state, so Terraform's actions are not shown: an attribute may force a replacement (a VPC CIDR, a role name), which `npm run diff -- <stack>` against the deployed state says."),
    ...changes.map((stack) => {
      const count = (change: ResourceChange['change']) => stack.resources.filter((resource) => resource.change === change).length;
      const rows = table(
        ['', 'resource', 'type', 'what changed', ...(planned ? ['terraform'] : [])],
        stack.resources.map((resource) => [
          resource.change === 'follows' ? 'follows a change' : resource.change,
          resource.path,
          resource.type,
          resource.lines ? describeLines(resource.lines) : '',
          ...(planned ? [resource.action ?? ''] : []),
        ]),
      );
      const terraform = stack.counts
        ? `; Terraform: ${formatCounts(stack.counts)}`
        : planned && stack.notAgainstBase
          ? `; Terraform's counts unchecked: ${stack.notAgainstBase}`
          : '';
      const heading =
        `${htmlCode(stack.stack)}: ${count('added')} added, ${count('changed')} changed, ${count('removed')} removed` +
        `${count('forgotten') ? `, ${count('forgotten')} forgotten (left in AWS)` : ''}${count('follows') ? `, ${count('follows')} following` : ''}${terraform}`;
      // A stack new or gone as a whole lists every resource: collapsed.
      return stack.resources.every((resource) => resource.change === stack.resources[0].change) && stack.resources.length > 5
        ? details(heading, rows)
        : blocks(`#### ${heading}`, rows);
    }),
  );
}
