// The corpus of bad descriptions (__tests__/bad-descriptions/<case>/): each case is the valid base with a
// file replaced (<file>.yaml), patched (<file>.patch.yaml, merged into the base's; null removes a field)
// or removed (listed in `removed`), and expected.txt holds the exact problems it must give, one a line.
// Every case loads in-process; a few run the synth command itself as a user would.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadOrganization } from '../description/load';
import { problemsOf, runNode, scratchDir } from './helpers';

const CORPUS = join(__dirname, 'bad-descriptions');
const BASE = join(CORPUS, 'base');
const CASES = readdirSync(CORPUS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'base')
  .map((entry) => entry.name)
  .sort();
const PATCH = /^(.*)\.patch\.yaml$/;

/** Merges `patch` into `target`, mappings field by field; null removes the field. */
function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (value === null) delete target[key];
    else if (isMapping(value) && isMapping(current)) merge(current, value);
    else target[key] = value;
  }
  return target;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The case as a description directory of its own. */
function assemble(name: string): string {
  const dir = scratchDir(`bad-${name}`);
  cpSync(BASE, dir, { recursive: true });
  const caseDir = join(CORPUS, name);
  for (const file of readdirSync(caseDir)) {
    const text = readFileSync(join(caseDir, file), 'utf8');
    const patched = PATCH.exec(file);
    if (file === 'expected.txt') continue;
    else if (file === 'removed') for (const removed of text.split('\n').filter(Boolean)) rmSync(join(dir, removed));
    else if (patched) {
      const target = join(dir, `${patched[1]}.yaml`);
      writeFileSync(target, stringify(merge(parse(readFileSync(target, 'utf8')), parse(text))));
    } else writeFileSync(join(dir, file), text);
  }
  return dir;
}

const expected = (name: string) => readFileSync(join(CORPUS, name, 'expected.txt'), 'utf8').split('\n').filter(Boolean);

it('has a corpus of at least 40 cases, each with its expected problems, over a base that is valid', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  for (const name of CASES) expect(expected(name).length).toBeGreaterThan(0);
  expect(loadOrganization(BASE).accounts.map((account) => account.name)).toEqual(['management', 'dev', 'prod']);
});

it.each(CASES)('%s: refused with exactly the expected problems', (name) => {
  const dir = assemble(name);
  expect(problemsOf(dir).map((problem) => problem.replace(dir, '<dir>'))).toEqual(expected(name));
});

// The command itself, for a few kinds of failure (a spawn costs about a second).
it.each(['malformed-yaml', 'wrong-type-cidr', 'overlapping-cidrs'])(
  '%s: `npm run synth` exits non-zero, names every problem, shows no stack trace and writes nothing',
  (name) => {
    const dir = assemble(name);
    const out = join(scratchDir('bad-synth'), 'cdktf.out');
    const result = runNode('scripts/synth.ts', ['--out', out], {
      ORG_DIR: dir,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.replaceAll(`${dir}/`, '').split('\n');
    expect(lines[0]).toMatch(/^The organization description in .* has \d+ problems?:$/);
    expect(
      lines
        .slice(1)
        .filter((line) => line.startsWith('  '))
        .map((line) => line.slice(2)),
    ).toEqual(expected(name));
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  },
);
