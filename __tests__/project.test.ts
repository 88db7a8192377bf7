// The project's own promises: the published JSON Schemas are current, cdktf's CLI synthesizes exactly
// what `npm run synth` does, the commands answer a user's mistake in one line, and no code imports the
// provider barrel.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../description/json-schema';
import { ROOT, runNode, scratchDir } from './helpers';
import { plannedOrgDir } from './setup/planned';

it('publishes JSON Schemas that match the zod schemas (run `npm run schema` after changing them)', () => {
  for (const [file, schema] of Object.entries(jsonSchemas())) {
    expect(JSON.parse(readFileSync(join(ROOT, 'schema', file), 'utf8'))).toEqual(schema);
  }
});

it('npx cdktf synth, through cdktf.json and its bundled app, writes byte for byte the stacks npm run synth does, and never calls checkpoint', () => {
  // npm run synth's code wrote the default organization for the global setup.
  const viaNpm = join(plannedOrgDir('default'), 'cdktf.out');
  const viaCli = join(scratchDir('cli'), 'out');
  // As a user runs it: the project (.npmrc) disables cdktf-cli's telemetry and version check, not the caller.
  const { CHECKPOINT_DISABLE: _checkpoint, DISABLE_VERSION_CHECK: _versionCheck, ...callerEnv } = process.env;
  const cli = spawnSync('npm', ['exec', '--offline', '--', 'cdktf', 'synth', '--output', viaCli], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...callerEnv, TF_CLI_CONFIG_FILE: '/dev/null', CI: '1' },
  });
  expect(cli.status).toBe(0);
  expect(`${cli.stdout}${cli.stderr}`).not.toMatch(/checkpoint|ENOTFOUND|EAI_AGAIN/i);
  const stacks = readdirSync(join(viaNpm, 'stacks')).sort();
  expect(readdirSync(join(viaCli, 'stacks')).sort()).toEqual(stacks);
  for (const stack of stacks) {
    const read = (dir: string) => readFileSync(join(dir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
    expect(read(viaCli)).toEqual(read(viaNpm));
  }
});

it('runs an entry point from a bundle rebuilt once one of its sources changed', () => {
  const dir = join(ROOT, '.test-out', 'run-bundled');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'entry.ts'), "import { word } from './word';\nconsole.log(word, process.argv.slice(2).join(' '), __dirname);\n");
  const say = (word: string) => writeFileSync(join(dir, 'word.ts'), `export const word: string = '${word}';\n`);
  const run = () => runNode(join(dir, 'entry.ts'), ['--an', 'argument']).stdout;
  say('before');
  expect(run()).toBe(`before --an argument ${dir}\n`);
  expect(run()).toBe(`before --an argument ${dir}\n`);
  say('after');
  expect(run()).toBe(`after --an argument ${dir}\n`);
});

it('sets what cdktf-cli needs offline for every node that npm and npx start, from any directory of the project', () => {
  const { CHECKPOINT_DISABLE: _checkpoint, DISABLE_VERSION_CHECK: _versionCheck, ...callerEnv } = process.env;
  const probe = spawnSync('npm', ['exec', '--offline', '--', 'node', '-p', 'process.env.CHECKPOINT_DISABLE + process.env.DISABLE_VERSION_CHECK'], {
    cwd: join(ROOT, '__tests__'),
    encoding: 'utf8',
    env: callerEnv,
  });
  expect([probe.status, probe.stdout.trim()]).toEqual([0, '11']);
});

it('answers a bad option, a missing synth or a missing base review in one line and status 2, without a stack trace', () => {
  const empty = scratchDir('no-synth');
  const answers = [
    runNode('scripts/synth.ts', ['--hlc']),
    runNode('scripts/review.ts', ['--no-synth', '--no-plan', '--out', empty]),
    runNode('scripts/review.ts', ['--no-synth', '--no-plan', '--base', join(empty, 'review')]),
  ].map((result) => [result.status, result.stderr]);
  expect(answers).toEqual([
    [2, "synth: Unknown option '--hlc' (see npm run synth -- --help)\n"],
    [2, `review: ${empty}/manifest.json does not exist: run \`npm run synth\` first\n`],
    [2, `review: --base ${empty}/review does not exist: give a previous review's directory or its review.json\n`],
  ]);
});

it('imports provider classes by deep path only (the barrel costs ~10x in synth time and memory)', () => {
  const sources = typescriptFiles(ROOT);
  const barrel = sources.filter((file) => /from ['"]@cdktf\/provider-aws['"]/.test(readFileSync(join(ROOT, file), 'utf8')));
  expect(sources.length).toBeGreaterThan(10);
  expect(barrel).toEqual([]);
});

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (entry.startsWith('.') || entry === 'node_modules' || entry.startsWith('cdktf.out')) return [];
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? typescriptFiles(path) : entry.endsWith('.ts') ? [path.slice(ROOT.length + 1)] : [];
  });
}
