// Collects every problem of a description, each as "<file>: <field> <what is wrong>", so the user sees
// all of them at once and can go straight to the line to fix.
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { z } from 'zod';

export type FieldPath = readonly PropertyKey[];

/** Past this many problems in one file, the rest are counted, not listed: a binary or pasted file would give thousands. */
const MAX_PROBLEMS_PER_FILE = 10;

export class Problems {
  private readonly lines: string[] = [];
  /** Per file: its problems so far, and where the line counting those not listed goes. */
  private readonly perFile = new Map<string, { count: number; overflowLine?: number }>();
  private total = 0;
  /** Every problem, listed or not, for the annotations. */
  private readonly all: { file: string; path: FieldPath; text: string }[] = [];
  /** The parsed YAML of each file read: where a field's problem is. */
  private readonly sources = new Map<string, { document: Document; lineCounter: LineCounter }>();

  /** The YAML `file` was parsed into: its problems can then name their line. */
  addSource(file: string, document: Document, lineCounter: LineCounter): void {
    this.sources.set(file, { document, lineCounter });
  }

  add(file: string, path: FieldPath, message: string): void {
    this.total++;
    this.all.push({ file, path, text: `${formatPath(path) ? `${formatPath(path)} ` : ''}${message}` });
    // A YAML error names its line and column; the file is the same.
    const fileName = file.replace(/:\d+:\d+$/, '');
    const seen = this.perFile.get(fileName) ?? { count: 0 };
    this.perFile.set(fileName, seen);
    seen.count++;
    if (seen.count <= MAX_PROBLEMS_PER_FILE) {
      const field = formatPath(path);
      this.lines.push(`${file}: ${field ? `${field} ` : ''}${message}`);
      return;
    }
    seen.overflowLine ??= this.lines.push('') - 1;
    const more = seen.count - MAX_PROBLEMS_PER_FILE;
    this.lines[seen.overflowLine] = `${fileName}: ${more} more problem${more === 1 ? '' : 's'} not listed`;
  }

  /** Adds one line per zod issue; `schema` supplies the known field names for "did you mean". */
  addZodIssues(file: string, issues: readonly z.core.$ZodIssue[], schema: z.ZodType): void {
    for (const issue of issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const known = knownKeysAt(schema, issue.path);
          const guess = closest(key, known);
          this.add(
            file,
            [...issue.path, key],
            `is not a known field${guess ? ` (did you mean "${guess}"?)` : known.length ? ` (expected one of: ${known.join(', ')})` : ''}`,
          );
        }
      } else {
        this.add(file, issue.path, describeIssue(issue));
      }
    }
  }

  get count(): number {
    return this.total;
  }

  list(): string[] {
    return [...this.lines];
  }

  /** A GitHub Actions error annotation for each problem whose line is known: the workflow shows it on that line. */
  annotations(): string[] {
    return this.all.flatMap(({ file, path, text }) => {
      const position = this.positionOf(file, path);
      return position ? [`::error file=${annotationProperty(position.file)},line=${position.line},col=${position.col}::${annotationData(text)}`] : [];
    });
  }

  private positionOf(file: string, path: FieldPath): { file: string; line: number; col: number } | undefined {
    // A YAML error names its line and column in the file name.
    const named = /^(.*):(\d+):(\d+)$/.exec(file);
    if (named) return { file: named[1], line: Number(named[2]), col: Number(named[3]) };
    const source = this.sources.get(file);
    const node = source && deepestNode(source.document, path);
    if (!source || !node?.range) return undefined;
    return { file, ...source.lineCounter.linePos(node.range[0]) };
  }
}

/** The node `path` leads to, or the last one it reaches (a missing field: its mapping): a field's key, an entry of a list. */
function deepestNode(document: Document, path: FieldPath): Node | undefined {
  let node = document.contents as Node | null;
  let found: Node | undefined = node ?? undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === part);
      if (!pair) break;
      found = isScalar(pair.key) ? pair.key : found;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      node = node.items[part] as Node;
      found = node;
    } else break;
  }
  return found;
}

/** GitHub's escaping of an annotation's message, and of its properties (which also end at a comma or colon). */
const annotationData = (text: string) => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const annotationProperty = (text: string) => annotationData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

export function formatPath(path: FieldPath): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

const show = (value: unknown): string =>
  value === undefined ? 'nothing' : typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);

function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `is required (expected ${article(issue.expected)})`;
      // A field type with its own wording (e.g. account ids: quote them) keeps it.
      return issue.message.startsWith('Invalid input') ? `must be ${article(issue.expected)}, got ${show(input)}` : issue.message;
    case 'invalid_value':
      return `is ${show(input)}, expected ${issue.values.map((value) => show(value)).join(' or ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `must list at least ${Number(issue.minimum) === 1 ? 'one entry' : `${issue.minimum} entries`}`
        : issue.origin === 'string'
          ? `must not be empty`
          : `is ${show(input)}, expected ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `has more than ${issue.maximum} entries`
        : issue.origin === 'string'
          ? `is longer than ${issue.maximum} characters`
          : `is ${show(input)}, expected at most ${issue.maximum}`;
    case 'invalid_union': {
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator && options) {
        const value = (input as Record<string, unknown> | undefined)?.[discriminator];
        return `is ${show(value)}, expected ${options.map((option) => show(option)).join(' or ')}`;
      }
      // A union with its own wording (e.g. a port or a port range) keeps it.
      return issue.message.startsWith('Invalid input') ? `is ${show(input)}, which matches none of the accepted forms` : issue.message;
    }
    case 'invalid_key':
      return issue.issues.map((inner) => describeIssue(inner)).join('; ');
    default:
      // Our own refinements and formats already word their message around the value.
      return issue.message;
  }
}

function article(expected: string): string {
  const noun = expected === 'object' ? 'mapping' : expected === 'array' ? 'list' : expected;
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** Field names the schema accepts at `path`, for suggesting the intended one after a typo. */
function knownKeysAt(schema: z.ZodType, path: FieldPath): string[] {
  let node: unknown = schema;
  for (const part of [...path, undefined]) {
    node = unwrap(node);
    if (part === undefined) break;
    const def = defOf(node);
    if (def?.type === 'object') node = (def.shape as Record<string, unknown>)[String(part)];
    else if (def?.type === 'record') node = def.valueType;
    else if (def?.type === 'array') node = def.element;
    else return [];
  }
  const def = defOf(node);
  if (def?.type === 'object') return Object.keys(def.shape as object);
  if (def?.type === 'union') return [...new Set((def.options as unknown[]).flatMap((option) => Object.keys(defOf(option)?.shape ?? {})))];
  return [];
}

function defOf(node: unknown): Record<string, unknown> | undefined {
  return (node as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
}

function unwrap(node: unknown): unknown {
  let def = defOf(node);
  while (def && ['optional', 'default', 'prefault', 'nullable', 'readonly', 'pipe'].includes(def.type as string)) {
    node = def.type === 'pipe' ? def.in : def.innerType;
    def = defOf(node);
  }
  return node;
}

/** The known name within edit distance 2 of `word`, if exactly one is closest. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const ranked = candidates
    .map((candidate) => ({ candidate, distance: editDistance(word.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= Math.min(2, Math.ceil(word.length / 3)))
    .sort((a, b) => a.distance - b.distance);
  return ranked[0]?.candidate;
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}
