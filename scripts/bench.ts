// npm run bench [-- --runs <n>] [--plan-runs <n>] [--base <git ref> | --base none]: CPU, wall time and peak
// memory of the synth app, run as `cdktf synth` runs it (cdktf.json's app), for the default organization
// and generated ones of 10, 50 and 125 accounts (a mesh) and of 50 and 200 (a transit gateway hub), then
// of `npm run plan:offline` of the default organization (terraform's CPU included, nothing cached). Every
// round runs the floor (node loading cdktf alone), then each case with this tree's code and with the code
// at <base> (default main; not the hubs, which it may not know), so load from anything else on the
// machine hits them alike: the figures that matter are ratios within a round, and the spread of a ratio
// over the rounds is the noise a budget is allowed. Fails only when a ratio is over its budget by more than
// that noise.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type CommandLine, runCommand } from './lib/command';
import { generateOrganization } from './lib/generate-org';
import { readSynthesized } from './lib/synthesized';
import { ToolError } from './lib/tool-error';

const ROOT = resolve(__dirname, '..');
const PROCESS_USAGE = join(__dirname, 'lib', 'process-usage.cjs');
const GENERATED_SIZES = [10, 50, 125];
/** Generated organizations with a transit gateway hub (centralized egress, production isolated): this tree only, the base may not know the topology. */
const HUB_SIZES = [50, 200];

/** Budgets: the default organization's CPU against the floor, and anything against the base. */
const DEFAULT_TIMES_FLOOR = 3;
const TIMES_BASE = { cpu: 1, memory: 1.1 };
const LARGEST_PEAK_MIB = 1024;

interface Sample {
  /** The process's and its children's. */
  readonly cpu: number;
  readonly wall: number;
  readonly peakMiB: number;
}

interface NodeCommand {
  /** node's arguments. */
  readonly args: string[];
  readonly cwd: string;
}

/** A `node ...` command line of `tree` (cdktf.json's app, an npm script), to run as it is. */
function nodeCommand(tree: string, commandLine: string, where: string): NodeCommand {
  const [program, ...args] = commandLine.split(/\s+/);
  if (program !== 'node') throw new ToolError(`${tree}/${where}: the bench runs commands started by node, not \`${commandLine}\``);
  return { args, cwd: tree };
}

/** The app as cdktf.json has cdktf run it, in `tree`. */
function appOf(tree: string): NodeCommand {
  return nodeCommand(tree, (JSON.parse(readFileSync(join(tree, 'cdktf.json'), 'utf8')) as { app: string }).app, 'cdktf.json');
}

/** `npm run plan:offline` in `tree`. */
function planOfflineOf(tree: string): NodeCommand {
  return nodeCommand(
    tree,
    (JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['plan:offline'],
    'package.json',
  );
}

function measure(app: NodeCommand, env: NodeJS.ProcessEnv, scratch: string, args: string[] = []): Sample {
  const usageFile = join(scratch, 'usage.json');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', PROCESS_USAGE, ...app.args, ...args], {
    cwd: app.cwd,
    env: { ...process.env, ...env, PROCESS_USAGE_FILE: usageFile },
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${app.args.join(' ')} in ${app.cwd} failed:\n${result.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuSeconds: number; childrenCpuSeconds: number; peakKiB: number };
  return { cpu: usage.cpuSeconds + usage.childrenCpuSeconds, wall, peakMiB: usage.peakKiB / 1024 };
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

/** A failure when `measured` is over `budget` by more than the noise it was measured with. */
function overBudget(what: string, measured: { value: number; noise: number }, budget: number): string[] {
  return measured.value - measured.noise > budget ? [`${what}: ${format(measured)} (budget ${budget})`] : [];
}

function directoryBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    return sum + (entry.isDirectory() ? directoryBytes(path) : statSync(path).size);
  }, 0);
}

/** Resources a synth output makes: every for_each instance counts. */
function resourceInstances(dir: string): number {
  return readSynthesized(dir).reduce(
    (sum, stack) =>
      sum +
      Object.values(stack.json?.resource ?? {})
        .flatMap((blocks) => Object.values(blocks))
        .reduce((count, block) => count + (block.for_each && typeof block.for_each === 'object' ? Object.keys(block.for_each).length : 1), 0),
    0,
  );
}

/** Whether two synth outputs hold the same stacks, byte for byte. */
function sameStacks(a: string, b: string): boolean {
  const files = (dir: string) => readSynthesized(dir).map((stack) => [stack.name, readFileSync(stack.file, 'utf8')] as const);
  return JSON.stringify(files(a)) === JSON.stringify(files(b));
}

const command = {
  name: 'bench',
  summary:
    'CPU, wall time and peak memory of the synth app (as `cdktf synth` runs it) for the default organization\n' +
    'and generated ones of 10, 50 and 125 accounts (a mesh) and 50 and 200 (a transit gateway hub, this tree\n' +
    'only), then of plan:offline of the default organization, each\n' +
    'round interleaving the floor (node loading cdktf alone), this tree and the code at --base. Ratios with\n' +
    'the noise measured in the same run; fails only when a ratio is over its budget by more than its noise.',
  options: {
    runs: { type: 'string', value: '<n>', default: '5', description: 'Rounds of synth measurements.' },
    'plan-runs': { type: 'string', value: '<n>', default: '2', description: 'Rounds of plan:offline measurements (0: none).' },
    base: { type: 'string', value: '<git ref>', default: 'main', description: 'The code to compare with, or "none".' },
  },
  exitStatuses: { 0: 'within budget', 1: 'over budget (each limit exceeded is named)', 2: 'a bad option or base' },
  example: 'npm run bench -- --runs 3 --base none',
} as const;

async function main({ values }: CommandLine<typeof command.options>): Promise<number> {
  const [runs, planRuns] = [values.runs, values['plan-runs']].map((value) => {
    if (!/^\d+$/.test(value)) throw new ToolError(`${value}: give a whole number of rounds`);
    return Number(value);
  });
  const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const current = appOf(ROOT);
    const base = values.base === 'none' ? undefined : appOf(checkoutBase(values.base, join(scratch, 'base')));
    const cases = [
      { label: 'default (environments/)', orgDir: join(ROOT, 'environments'), hub: false },
      ...GENERATED_SIZES.map((accounts) => {
        const orgDir = join(scratch, `org-${accounts}`);
        generateOrganization(orgDir, accounts);
        return { label: `generated, ${accounts} accounts`, orgDir, hub: false };
      }),
      ...HUB_SIZES.map((accounts) => {
        const orgDir = join(scratch, `hub-${accounts}`);
        generateOrganization(orgDir, accounts, { transitGateway: true, isolateProduction: true });
        return { label: `generated hub, ${accounts} accounts`, orgDir, hub: true };
      }),
    ].map((testCase, index) => ({ ...testCase, out: (which: string) => join(scratch, `out-${index}-${which}`) }));
    const apps = [{ name: 'current', app: current }, ...(base ? [{ name: 'base', app: base }] : [])];
    const floorApp: NodeCommand = { args: ['-e', "require('cdktf')"], cwd: ROOT };
    const run = (app: NodeCommand, orgDir: string, out: string) => measure(app, { ORG_DIR: orgDir, CDKTF_OUTDIR: out }, scratch);

    // Untimed: builds whatever each app caches (a bundle) and warms the file cache.
    for (const { name, app } of apps) run(app, cases[0].orgDir, cases[0].out(name));
    const floor: Sample[] = [];
    const samples = cases.map(() => new Map<string, Sample[]>(apps.map(({ name }) => [name, []])));
    for (let round = 0; round < runs; round++) {
      floor.push(measure(floorApp, {}, scratch));
      const progress: string[] = [`floor ${floor[round].cpu.toFixed(2)} s`];
      cases.forEach((testCase, index) => {
        // Alternating which app goes first cancels whatever the first run of a pair pays.
        const measured = testCase.hub ? apps.slice(0, 1) : apps;
        for (const { name, app } of round % 2 ? [...measured].reverse() : measured)
          samples[index].get(name)!.push(run(app, testCase.orgDir, testCase.out(name)));
        progress.push(
          `${testCase.label.replace('generated, ', '').replace('generated hub, ', 'hub ')} ${measured.map(({ name }) => samples[index].get(name)![round].cpu.toFixed(2)).join('/')} s`,
        );
      });
      console.error(`round ${round + 1}/${runs} (CPU${base ? ', current/base' : ''}): ${progress.join(', ')}`);
    }

    const floorCpu = floor.map((sample) => sample.cpu);
    const rows = cases.map((testCase, index) => {
      const mine = samples[index].get('current')!;
      const theirs = testCase.hub ? undefined : samples[index].get('base');
      const stacks = readSynthesized(testCase.out('current'));
      const megabytes = directoryBytes(join(testCase.out('current'), 'stacks')) / 1e6;
      const cpu = mine.map((sample) => sample.cpu);
      return {
        ...testCase,
        accounts: readdirSync(testCase.orgDir).filter((file) => file.endsWith('.yaml') && file !== 'organization.yaml').length,
        stacks: stacks.length,
        megabytes,
        resources: resourceInstances(testCase.out('current')),
        cpu: median(cpu),
        wall: median(mine.map((sample) => sample.wall)),
        peakMiB: Math.max(...mine.map((sample) => sample.peakMiB)),
        timesFloor: ratio(cpu, floorCpu),
        cpuPerMegabyte: median(cpu) / megabytes,
        versusBase: theirs && {
          cpu: ratio(
            cpu,
            theirs.map((sample) => sample.cpu),
          ),
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
          (row.versusBase
            ? ` ${format(row.versusBase.cpu)} | ${format(row.versusBase.memory)} | ${row.versusBase.sameOutput ? 'identical' : 'differs'} |`
            : base
              ? ' | | |'
              : ''),
      ),
    ];
    console.log(lines.join('\n'));

    const failures = overBudget('default organization, CPU x floor', rows[0].timesFloor, DEFAULT_TIMES_FLOOR);
    for (const row of rows) {
      if (!row.versusBase) continue;
      failures.push(...overBudget(`${row.label}, CPU x base`, row.versusBase.cpu, TIMES_BASE.cpu));
      failures.push(...overBudget(`${row.label}, peak memory x base`, row.versusBase.memory, TIMES_BASE.memory));
    }
    const meshes = rows.filter((row) => !row.hub);
    const largest = meshes[meshes.length - 1];
    if (largest.peakMiB > LARGEST_PEAK_MIB) failures.push(`${largest.label}: ${largest.peakMiB.toFixed(0)} MiB peak (budget ${LARGEST_PEAK_MIB} MiB)`);
    // Above the floor, synth CPU may grow with the output, not faster: per MB, the largest no dearer than the smallest generated one.
    const perMegabyte = (row: (typeof rows)[number]) =>
      ratio(
        floorCpu.map((floorSample, round) => samples[rows.indexOf(row)].get('current')![round].cpu - floorSample),
        floorCpu.map(() => row.megabytes),
      );
    const smallest = rows[1];
    const growth = { value: perMegabyte(largest).value / perMegabyte(smallest).value, noise: perMegabyte(largest).noise / perMegabyte(smallest).value };
    failures.push(...overBudget(`CPU above the floor per MB, ${largest.label} x ${smallest.label}`, growth, 1));
    // A hub costs no more per account than the mesh of the same size (or the largest). Per resource it is
    // dearer: most of the mesh's resources are instances of a few for_each blocks over literal maps.
    const above = (row: (typeof rows)[number], per: number) =>
      ratio(
        floorCpu.map((floorSample, round) => samples[rows.indexOf(row)].get('current')![round].cpu - floorSample),
        floorCpu.map(() => per),
      );
    console.log('');
    for (const hub of rows.filter((row) => row.hub)) {
      const mesh = meshes.find((row) => row.accounts === hub.accounts) ?? largest;
      const versusMesh = {
        value: above(hub, hub.accounts).value / above(mesh, mesh.accounts).value,
        noise: above(hub, hub.accounts).noise / above(mesh, mesh.accounts).value,
      };
      const perThousand = (row: (typeof rows)[number]) => format(above(row, row.resources / 1000), 3);
      console.log(
        `${hub.label}: ${format(above(hub, hub.accounts), 3)} s above the floor per account, ${perThousand(hub)} s per 1,000 resources (${hub.resources}); ` +
          `${mesh.label}: ${format(above(mesh, mesh.accounts), 3)} s per account, ${perThousand(mesh)} s per 1,000 resources (${mesh.resources}); per account ${format(versusMesh)} x the mesh`,
      );
      failures.push(...overBudget(`CPU above the floor per account, ${hub.label} x ${mesh.label}`, versusMesh, 1));
    }
    failures.push(...benchPlanOffline(planRuns, apps.length > 1 ? join(scratch, 'base') : undefined, cases[0].out('current'), scratch));
    if (failures.length) console.error(`\nover budget:\n  ${failures.join('\n  ')}`);
    return failures.length ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** plan:offline of the default organization, synthesized in `synthesized`, here and at the base; returns the budgets it breaks. */
function benchPlanOffline(runs: number, baseTree: string | undefined, synthesized: string, scratch: string): string[] {
  if (runs === 0) return [];
  const commands = [
    { name: 'current', command: planOfflineOf(ROOT), args: ['--no-cache'] },
    ...(baseTree ? [{ name: 'base', command: planOfflineOf(baseTree), args: [] }] : []),
  ];
  const samples = new Map<string, Sample[]>(commands.map(({ name }) => [name, []]));
  for (let round = 0; round < runs; round++) {
    for (const { name, command, args } of round % 2 ? [...commands].reverse() : commands) {
      const out = join(scratch, `plan-offline-${name}`);
      rmSync(out, { recursive: true, force: true });
      cpSync(synthesized, out, { recursive: true });
      samples.get(name)!.push(measure(command, {}, scratch, ['--no-synth', '--out', out, ...args]));
    }
    console.error(
      `plan:offline round ${round + 1}/${runs} (CPU${baseTree ? ', current/base' : ''}): ${commands.map(({ name }) => samples.get(name)![round].cpu.toFixed(1)).join('/')} s`,
    );
  }
  const mine = samples.get('current')!;
  const theirs = samples.get('base');
  const versusBase =
    theirs &&
    ratio(
      mine.map((sample) => sample.cpu),
      theirs.map((sample) => sample.cpu),
    );
  console.log(
    [
      '',
      `plan:offline of the default organization (terraform included, no cache), median of ${runs} interleaved rounds`,
      '',
      `| CPU | wall | peak memory of node |${versusBase ? ' CPU x base |' : ''}`,
      `|---:|---:|---:|${versusBase ? '---:|' : ''}`,
      `| ${median(mine.map((sample) => sample.cpu)).toFixed(1)} s | ${median(mine.map((sample) => sample.wall)).toFixed(1)} s | ${Math.max(...mine.map((sample) => sample.peakMiB)).toFixed(0)} MiB |${versusBase ? ` ${format(versusBase)} |` : ''}`,
    ].join('\n'),
  );
  return versusBase ? overBudget('plan:offline, CPU x base', versusBase, TIMES_BASE.cpu) : [];
}

runCommand(command, main);
