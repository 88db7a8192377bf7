// The corpus of bad descriptions (__tests__/bad-descriptions/<case>/): each case is the valid base with a
// file replaced (<file>.yaml), patched (<file>.patch.yaml, merged into the base's; null removes a field)
// or removed (listed in `removed`), and expected.txt holds the exact problems it must give, one a line.
// Every case loads in-process; a few run the synth command itself as a user would.
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
    const source = join(caseDir, file);
    const patched = PATCH.exec(file);
    if (file === 'expected.txt') continue;
    else if (file === 'removed') for (const removed of readFileSync(source, 'utf8').split('\n').filter(Boolean)) rmSync(join(dir, removed));
    else if (patched) {
      const target = join(dir, `${patched[1]}.yaml`);
      writeFileSync(target, stringify(merge(parse(readFileSync(target, 'utf8')), parse(readFileSync(source, 'utf8')))));
    } else cpSync(source, join(dir, file)); // byte for byte: some cases are not UTF-8
  }
  return dir;
}

const expected = (name: string) =>
  readFileSync(join(CORPUS, name, 'expected.txt'), 'utf8')
    .split('\n')
    .filter(Boolean);

it('has a corpus of at least 40 cases, each with its expected problems, over a base that is valid', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  for (const name of CASES) expect(expected(name).length).toBeGreaterThan(0);
  expect(loadOrganization(BASE).accounts.map((account) => account.name)).toEqual(['management', 'dev', 'prod']);
});

it.each(CASES)('%s: refused with exactly the expected problems', (name) => {
  const dir = assemble(name);
  expect(problemsOf(dir).map((problem) => problem.replace(dir, '<dir>'))).toEqual(expected(name));
});

// Inputs git would not keep, or that are too large to commit, made as the test runs.
it.each<[string, (dir: string) => void, string[]]>([
  ['a symbolic link in a loop', (dir) => symlinkSync('qa.yaml', join(dir, 'qa.yaml')), ['qa.yaml: is a symbolic link in a loop (it never reaches a file)']],
  [
    'a dangling symbolic link',
    (dir) => symlinkSync('nowhere.yaml', join(dir, 'qa.yaml')),
    ['qa.yaml: is a symbolic link to nowhere.yaml, which does not exist'],
  ],
  ['a directory named like a file', (dir) => mkdirSync(join(dir, 'qa.yaml')), ['qa.yaml: is a directory, not a file']],
  ['a 5 MB binary file', (dir) => writeFileSync(join(dir, 'qa.yaml'), randomBytes(5 * 1024 * 1024)), ['qa.yaml: is binary, not YAML text']],
])('%s: refused with exactly the expected problems', (_name, make, problems) => {
  const dir = scratchDir('made');
  cpSync(BASE, dir, { recursive: true });
  make(dir);
  expect(problemsOf(dir)).toEqual(problems);
});

it('reads .yml and upper-case extensions as it reads .yaml; organization.yml is the organization, not an account', () => {
  const dir = scratchDir('yml');
  for (const [from, to] of [
    ['organization.yaml', 'organization.yml'],
    ['management.yaml', 'management.YAML'],
    ['dev.yaml', 'dev.yml'],
    ['prod.yaml', 'prod.yaml'],
  ]) {
    cpSync(join(BASE, from), join(dir, to));
  }
  expect(loadOrganization(dir).accounts.map((account) => account.name)).toEqual(['management', 'dev', 'prod']);
});

// The command itself, for a few kinds of failure (a spawn costs about a second).
it.each(['malformed-yaml', 'wrong-type-cidr', 'overlapping-cidrs', 'alias-bomb'])(
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
