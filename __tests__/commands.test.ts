// Every command of package.json answers --help (or -h) with its usage, options, environment, exit statuses
// and an example, without doing any of its work, and refuses an unknown option in one line, status 2.
// The top-level `help` file (npm run help) names every command and every option their help lists.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, scratchDir } from './helpers';

const NODE_SCRIPT = /^node scripts\/run-bundled\.cjs (\S+)(.*)$/;
type Script = { name: string; file: string; args: string[] };
const scripts: Script[] = Object.entries(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>).flatMap(
  ([name, line]) => {
    const match = NODE_SCRIPT.exec(line);
    return match ? [{ name, file: match[1], args: match[2].split(' ').filter(Boolean) }] : [];
  },
);

/** The files of the checkout that commands write (schema, aws-managed-policies), with their modification times. */
function generatedFiles(): Map<string, number> {
  const files = [...readdirSync(join(ROOT, 'schema')).map((file) => join(ROOT, 'schema', file)), join(ROOT, 'description', 'aws-managed-policy-names.json')];
  return new Map(files.map((file) => [file, statSync(file).mtimeMs]));
}

/** Runs the script as npm does, but in an empty directory: whatever it writes relative to it shows there. */
function runScript(script: Script, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-bundled.cjs'), join(ROOT, script.file), ...script.args, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

it('covers every node script of package.json', () => {
  expect(scripts.map((script) => script.name).sort()).toEqual(
    [
      'access-matrix',
      'aws-config',
      'aws-managed-policies',
      'bench',
      'generate-org',
      'inventory',
      'plan:offline',
      'review',
      'schema',
      'synth',
      'synth:hcl',
    ].sort(),
  );
});

describe.each(scripts.map((script, index) => [script.name, script, index % 2 ? '-h' : '--help'] as const))('npm run %s', (name, script, helpFlag) => {
  it(`-- ${helpFlag}: prints its help, exit 0, and does nothing else`, () => {
    const cwd = scratchDir('help-cwd');
    const before = generatedFiles();
    const result = runScript(script, [helpFlag], cwd, { ORG_DIR: join(ROOT, 'environments') });
    expect([result.status, result.stderr]).toEqual([0, '']);
    const help = result.stdout;
    expect(help).toMatch(new RegExp(`^Usage: npm run ${script.file === 'scripts/synth.ts' ? 'synth' : name} -- \\[options\\]`));
    for (const section of ['Options:', 'Exit status:', 'Example:']) expect(help).toContain(`\n${section}\n`);
    expect(help).toMatch(/\n {2}-h, --help +Print this help and exit\.\n/);
    expect(readdirSync(cwd)).toEqual([]);
    expect(generatedFiles()).toEqual(before);

    // The top-level help names the command and each of its options.
    const topLevel = readFileSync(join(ROOT, 'help'), 'utf8');
    expect(topLevel).toContain(`npm run ${name}`);
    const options = [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((match) => match[1]).filter((option) => option !== '--help');
    expect(options.filter((option) => !topLevel.includes(option))).toEqual([]);
  });

  it('-- --no-such-option: one line suggesting --help, exit 2', () => {
    const cwd = scratchDir('bad-option-cwd');
    const result = runScript(script, ['--no-such-option'], cwd, { ORG_DIR: join(ROOT, 'environments') });
    const command = script.file === 'scripts/synth.ts' ? 'synth' : name;
    expect([result.status, result.stdout, result.stderr]).toEqual([
      2,
      '',
      `${command}: Unknown option '--no-such-option' (see npm run ${command} -- --help)\n`,
    ]);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
