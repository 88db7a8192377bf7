// npm run bench [-- --runs <n>] [--base <git ref> | --base none]: CPU, wall time and peak memory of the
// synth app, run as `cdktf synth` runs it (cdktf.json's app), for the default organization and generated
// ones of 10, 50 and 125 accounts. Every round runs the floor (node loading cdktf alone), then each case
// with this tree's app and with the app at <base> (default main), so load from anything else on the machine
// hits them alike: the figures that matter are ratios within a round, and the spread of a ratio over the
// rounds is the noise a budget is allowed. Fails only when a ratio is over its budget by more than that noise.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from './lib/command';
import { generateOrganization } from './lib/generate-org';
import { readSynthesized } from './lib/synthesized';
import { ToolError } from './lib/tool-error';

const ROOT = resolve(__dirname, '..');
const PROCESS_USAGE = join(__dirname, 'lib', 'process-usage.cjs');
const GENERATED_SIZES = [10, 50, 125];

/** Budgets: the default organization's CPU against the floor, and anything against the base. */
const DEFAULT_TIMES_FLOOR = 3;
const TIMES_BASE = { cpu: 1, memory: 1.1 };
const LARGEST_PEAK_MIB = 1024;

interface Sample {
  readonly cpu: number;
  readonly wall: number;
  readonly peakMiB: number;
}

interface App {
  /** node's arguments, from a cdktf.json app `node ...`. */
  readonly args: string[];
  readonly cwd: string;
}

/** The app as cdktf.json has cdktf run it, in `tree`. */
function appOf(tree: string): App {
  const command = (JSON.parse(readFileSync(join(tree, 'cdktf.json'), 'utf8')) as { app: string }).app.split(/\s+/);
  if (command[0] !== 'node') throw new ToolError(`${tree}/cdktf.json: the bench runs an app started by node, not \`${command.join(' ')}\``);
  return { args: command.slice(1), cwd: tree };
}

function measure(app: App, env: NodeJS.ProcessEnv, scratch: string): Sample {
  const usageFile = join(scratch, 'usage.json');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', PROCESS_USAGE, ...app.args], {
    cwd: app.cwd,
    env: { ...process.env, ...env, PROCESS_USAGE_FILE: usageFile },
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${app.args.join(' ')} in ${app.cwd} failed:\n${result.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuSeconds: number; peakKiB: number };
  return { cpu: usage.cpuSeconds, wall, peakMiB: usage.peakKiB / 1024 };
}

/** The tree at `ref`, sharing this checkout's node_modules. */
function checkoutBase(ref: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync('sh', ['-c', `git archive "$1" | tar -x -C "$2"`, 'sh', ref, dir], { cwd: ROOT, encoding: 'utf8' });
  if (archive.status !== 0) throw new ToolError(`--base ${ref}: ${archive.stderr.trim() || 'git archive failed'}`);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A ratio over the rounds: its median, and half its spread, the noise it was measured with. */
function ratio(numerators: readonly number[], denominators: readonly number[]): { value: number; noise: number } {
  const ratios = numerators.map((numerator, index) => numerator / denominators[index]);
  return { value: median(ratios), noise: (Math.max(...ratios) - Math.min(...ratios)) / 2 };
}

const format = ({ value, noise }: { value: number; noise: number }, digits = 2) => `${value.toFixed(digits)} ±${noise.toFixed(digits)}`;

function directoryBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    return sum + (entry.isDirectory() ? directoryBytes(path) : statSync(path).size);
  }, 0);
}

/** Whether two synth outputs hold the same stacks, byte for byte. */
function sameStacks(a: string, b: string): boolean {
  const files = (dir: string) => readSynthesized(dir).map((stack) => [stack.name, readFileSync(stack.file, 'utf8')] as const);
  return JSON.stringify(files(a)) === JSON.stringify(files(b));
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, base: { type: 'string', default: 'main' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new ToolError(`--runs ${values.runs}: give a whole number of rounds`);
  const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const current = appOf(ROOT);
    const base = values.base === 'none' ? undefined : appOf(checkoutBase(values.base, join(scratch, 'base')));
    const cases = [
      { label: 'default (environments/)', orgDir: join(ROOT, 'environments') },
      ...GENERATED_SIZES.map((accounts) => {
        const orgDir = join(scratch, `org-${accounts}`);
        generateOrganization(orgDir, accounts);
        return { label: `generated, ${accounts} accounts`, orgDir };
      }),
    ].map((testCase, index) => ({ ...testCase, out: (which: string) => join(scratch, `out-${index}-${which}`) }));
    const apps = [{ name: 'current', app: current }, ...(base ? [{ name: 'base', app: base }] : [])];
    const floorApp: App = { args: ['-e', "require('cdktf')"], cwd: ROOT };
    const run = (app: App, orgDir: string, out: string) => measure(app, { ORG_DIR: orgDir, CDKTF_OUTDIR: out }, scratch);

    // Untimed: builds whatever each app caches (a bundle) and warms the file cache.
    for (const { name, app } of apps) run(app, cases[0].orgDir, cases[0].out(name));
    const floor: Sample[] = [];
    const samples = cases.map(() => new Map<string, Sample[]>(apps.map(({ name }) => [name, []])));
    for (let round = 0; round < runs; round++) {
      floor.push(measure(floorApp, {}, scratch));
      const progress: string[] = [`floor ${floor[round].cpu.toFixed(2)} s`];
      cases.forEach((testCase, index) => {
        // Alternating which app goes first cancels whatever the first run of a pair pays.
        for (const { name, app } of round % 2 ? [...apps].reverse() : apps) samples[index].get(name)!.push(run(app, testCase.orgDir, testCase.out(name)));
        progress.push(`${testCase.label.replace('generated, ', '')} ${apps.map(({ name }) => samples[index].get(name)![round].cpu.toFixed(2)).join('/')} s`);
      });
      console.error(`round ${round + 1}/${runs} (CPU${base ? ', current/base' : ''}): ${progress.join(', ')}`);
    }

    const floorCpu = floor.map((sample) => sample.cpu);
    const rows = cases.map((testCase, index) => {
      const mine = samples[index].get('current')!;
      const theirs = samples[index].get('base');
      const stacks = readSynthesized(testCase.out('current'));
      const megabytes = directoryBytes(join(testCase.out('current'), 'stacks')) / 1e6;
      const cpu = mine.map((sample) => sample.cpu);
      return {
        ...testCase,
        accounts: readdirSync(testCase.orgDir).filter((file) => file.endsWith('.yaml') && file !== 'organization.yaml').length,
        stacks: stacks.length,
        megabytes,
        cpu: median(cpu),
        wall: median(mine.map((sample) => sample.wall)),
        peakMiB: Math.max(...mine.map((sample) => sample.peakMiB)),
        timesFloor: ratio(cpu, floorCpu),
        cpuPerMegabyte: median(cpu) / megabytes,
        versusBase: theirs && {
          cpu: ratio(cpu, theirs.map((sample) => sample.cpu)),
          memory: ratio(
            mine.map((sample) => sample.peakMiB),
            theirs.map((sample) => sample.peakMiB),
          ),
          sameOutput: sameStacks(testCase.out('current'), testCase.out('base')),
        },
      };
    });

    const lines = [
      `Synth, median of ${runs} interleaved rounds (± half the spread of a ratio over the rounds)${base ? `; base: ${values.base}` : ''}`,
      '',
      `| synth of | accounts | stacks | output | CPU | wall | peak memory | CPU x floor | CPU per MB |${base ? ' CPU x base | memory x base | output = base |' : ''}`,
      `|---|---:|---:|---:|---:|---:|---:|---:|---:|${base ? '---:|---:|---|' : ''}`,
      `| floor: node loading cdktf | | | | ${median(floorCpu).toFixed(2)} s | ${median(floor.map((sample) => sample.wall)).toFixed(2)} s | ${Math.max(...floor.map((sample) => sample.peakMiB)).toFixed(0)} MiB | 1 | |${base ? ' | | |' : ''}`,
      ...rows.map(
        (row) =>
          `| ${row.label} | ${row.accounts} | ${row.stacks} | ${row.megabytes.toFixed(1)} MB | ${row.cpu.toFixed(2)} s | ${row.wall.toFixed(2)} s | ${row.peakMiB.toFixed(0)} MiB | ${format(row.timesFloor, 1)} | ${row.cpuPerMegabyte.toFixed(2)} s |` +
          (row.versusBase ? ` ${format(row.versusBase.cpu)} | ${format(row.versusBase.memory)} | ${row.versusBase.sameOutput ? 'identical' : 'differs'} |` : ''),
      ),
    ];
    console.log(lines.join('\n'));

    const failures: string[] = [];
    const over = (what: string, measured: { value: number; noise: number }, budget: number) => {
      if (measured.value - measured.noise > budget) failures.push(`${what}: ${format(measured)} (budget ${budget})`);
    };
    over('default organization, CPU x floor', rows[0].timesFloor, DEFAULT_TIMES_FLOOR);
    for (const row of rows) {
      if (!row.versusBase) continue;
      over(`${row.label}, CPU x base`, row.versusBase.cpu, TIMES_BASE.cpu);
      over(`${row.label}, peak memory x base`, row.versusBase.memory, TIMES_BASE.memory);
    }
    const largest = rows[rows.length - 1];
    if (largest.peakMiB > LARGEST_PEAK_MIB) failures.push(`${largest.label}: ${largest.peakMiB.toFixed(0)} MiB peak (budget ${LARGEST_PEAK_MIB} MiB)`);
    // Above the floor, synth CPU may grow with the output, not faster: per MB, the largest no dearer than the smallest generated one.
    const perMegabyte = (row: (typeof rows)[number]) => ratio(
      floorCpu.map((floorSample, round) => samples[rows.indexOf(row)].get('current')![round].cpu - floorSample),
      floorCpu.map(() => row.megabytes),
    );
    const smallest = rows[1];
    const growth = { value: perMegabyte(largest).value / perMegabyte(smallest).value, noise: perMegabyte(largest).noise / perMegabyte(smallest).value };
    over(`CPU above the floor per MB, ${largest.label} x ${smallest.label}`, growth, 1);
    if (failures.length) console.error(`\nover budget:\n  ${failures.join('\n  ')}`);
    return failures.length ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

runCommand('bench', main);
