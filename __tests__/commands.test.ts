// Every command of package.json answers --help (or -h) with its usage, options, environment, exit statuses
// and an example, without doing any of its work, and refuses an unknown option in one line, status 2.
// The top-level `help` file (npm run help) names every command and every option their help lists.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runNode, scratchDir } from './helpers';

const NODE_SCRIPT = /^node -r sucrase\/register\/ts (\S+)(.*)$/;
const scripts = Object.entries(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>).flatMap(([name, line]) => {
  const match = NODE_SCRIPT.exec(line);
  return match ? [{ name, file: match[1], args: match[2].split(' ').filter(Boolean) }] : [];
});

/** Every file of the checkout a command could write, with its modification time. */
function checkoutFiles(dir = ROOT): Map<string, number> {
  const files = new Map<string, number>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.git', '.test-out'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for (const [file, mtime] of checkoutFiles(path)) files.set(file, mtime);
    else files.set(path, statSync(path).mtimeMs);
  }
  return files;
}

it('covers every node script of package.json', () => {
  expect(scripts.map((script) => script.name).sort()).toEqual(
    ['access-matrix', 'aws-config', 'aws-managed-policies', 'bench', 'generate-org', 'plan:offline', 'review', 'schema', 'synth', 'synth:hcl'].sort(),
  );
});

describe.each(scripts.map((script, index) => [script.name, script, index % 2 ? '-h' : '--help'] as const))('npm run %s', (name, script, helpFlag) => {
  it(`-- ${helpFlag}: prints its help, exit 0, and does nothing else`, () => {
    const out = scratchDir('help-out');
    const before = checkoutFiles();
    const result = runNode(script.file, [...script.args, helpFlag], { CDKTF_OUTDIR: out, ORG_DIR: join(out, 'no-such-description') });
    expect([result.status, result.stderr]).toEqual([0, '']);
    const help = result.stdout;
    expect(help).toMatch(new RegExp(`^Usage: npm run ${script.file === 'scripts/synth.ts' ? 'synth' : name} -- \\[options\\]`));
    for (const section of ['Options:', 'Exit status:', 'Example:']) expect(help).toContain(`\n${section}\n`);
    expect(help).toMatch(/\n  -h, --help +Print this help and exit\.\n/);
    expect(readdirSync(out)).toEqual([]);
    expect(checkoutFiles()).toEqual(before);

    // The top-level help names the command and each of its options.
    const topLevel = readFileSync(join(ROOT, 'help'), 'utf8');
    expect(topLevel).toContain(`npm run ${name}`);
    const options = [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((match) => match[1]).filter((option) => option !== '--help');
    expect(options.filter((option) => !topLevel.includes(option))).toEqual([]);
  });

  it('-- --no-such-option: one line suggesting --help, exit 2', () => {
    const out = scratchDir('bad-option-out');
    mkdirSync(out, { recursive: true });
    const result = runNode(script.file, [...script.args, '--no-such-option'], { CDKTF_OUTDIR: out });
    const command = script.file === 'scripts/synth.ts' ? 'synth' : name;
    expect([result.status, result.stdout, result.stderr]).toEqual([2, '', `${command}: Unknown option '--no-such-option' (see npm run ${command} -- --help)\n`]);
    expect(readdirSync(out)).toEqual([]);
  });
});
