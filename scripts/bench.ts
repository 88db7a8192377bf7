// npm run bench: synth wall time and peak memory of the app (as `cdktf synth` runs it) for the default
// organization and generated ones of 3, 10 and 50 accounts, next to the floor (node loading cdktf alone).
// Fails when the default organization exceeds 5x the floor, 50 accounts exceed 10 s or 1 GiB, or synth
// time grows faster than the resources from 10 to 50 accounts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from './lib/command';
import { generateOrganization } from './lib/generate-org';
import { readSynthesized } from './lib/synthesized';

const ROOT = resolve(__dirname, '..');
const PEAK_RSS = join(__dirname, 'lib', 'peak-rss.cjs');

interface Measurement {
  readonly seconds: number;
  readonly peakMiB: number;
}

function measure(args: string[], env: NodeJS.ProcessEnv, runs: number): Measurement {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-'));
  const samples: Measurement[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const rssFile = join(scratch, `rss-${run}`);
      const started = process.hrtime.bigint();
      const result = spawnSync(process.execPath, ['--require', PEAK_RSS, ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env, PEAK_RSS_FILE: rssFile },
        encoding: 'utf8',
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stderr}`);
      samples.push({ seconds, peakMiB: Number(readFileSync(rssFile, 'utf8')) / 1024 });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { seconds: median(samples.map((s) => s.seconds)), peakMiB: Math.max(...samples.map((s) => s.peakMiB)) };
}

/** Resource blocks synthesized, and the resources Terraform makes of them (a for_each over a map known at synth is one per key). */
function countResources(outdir: string): { stacks: number; resources: number; instances: number } {
  const stacks = readSynthesized(outdir);
  const blocks = stacks.flatMap((stack) => Object.values(stack.json?.resource ?? {}).flatMap((byName) => Object.values(byName)));
  const instances = blocks.reduce((sum, block) => sum + (block.for_each && typeof block.for_each === 'object' ? Object.keys(block.for_each).length : 1), 0);
  return { stacks: stacks.length, resources: blocks.length, instances };
}

function main(runs: number): number {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-orgs-'));
  try {
    const floor = measure(['-e', "require('cdktf')"], {}, runs);
    const cases: { label: string; orgDir: string; accounts: number }[] = [
      { label: 'default (environments/)', orgDir: join(ROOT, 'environments'), accounts: readdirSync(join(ROOT, 'environments')).filter((f) => f.endsWith('.yaml')).length - 1 },
      ...[3, 10, 50].map((accounts) => {
        const orgDir = join(scratch, `org-${accounts}`);
        generateOrganization(orgDir, accounts);
        return { label: `generated, ${accounts} accounts`, orgDir, accounts };
      }),
    ];
    const rows = cases.map((testCase) => {
      const outdir = join(scratch, `out-${testCase.accounts}-${testCase.label.length}`);
      const result = measure(['-r', 'sucrase/register/ts', 'main.ts'], { ORG_DIR: testCase.orgDir, CDKTF_OUTDIR: outdir }, runs);
      return { ...testCase, ...result, ...countResources(outdir) };
    });

    const lines = [
      `| synth of | accounts | stacks | resource blocks | resources | wall (median of ${runs}) | x floor | peak memory |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      `| floor: node loading cdktf | | | | | ${floor.seconds.toFixed(2)} s | 1.0 | ${floor.peakMiB.toFixed(0)} MiB |`,
      ...rows.map(
        (row) =>
          `| ${row.label} | ${row.accounts} | ${row.stacks} | ${row.resources} | ${row.instances} | ${row.seconds.toFixed(2)} s | ${(row.seconds / floor.seconds).toFixed(1)} | ${row.peakMiB.toFixed(0)} MiB |`,
      ),
    ];
    console.log(lines.join('\n'));

    const failures: string[] = [];
    const defaultRow = rows[0];
    const largest = rows[rows.length - 1];
    if (defaultRow.seconds > 5 * floor.seconds) failures.push(`default organization: ${(defaultRow.seconds / floor.seconds).toFixed(1)}x the floor (limit 5x)`);
    if (largest.seconds > 10) failures.push(`50 accounts: ${largest.seconds.toFixed(1)} s (limit 10 s)`);
    if (largest.peakMiB > 1024) failures.push(`50 accounts: ${largest.peakMiB.toFixed(0)} MiB peak (limit 1024 MiB)`);
    // Synth time above the floor may grow with the resources Terraform makes, not faster.
    const ten = rows.find((row) => row.accounts === 10)!;
    const timeGrowth = (largest.seconds - floor.seconds) / (ten.seconds - floor.seconds);
    if (timeGrowth > largest.instances / ten.instances) {
      failures.push(`50 accounts: synth time grew ${timeGrowth.toFixed(1)}x from 10 accounts, faster than the resources (${(largest.instances / ten.instances).toFixed(1)}x)`);
    }
    if (failures.length) console.error(`\nover budget:\n  ${failures.join('\n  ')}`);
    return failures.length ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

runCommand(
  {
    name: 'bench',
    summary:
      'Synth wall time and peak memory of the app (as `cdktf synth` runs it) for the default organization\n' +
      'and generated ones of 3, 10 and 50 accounts, next to the floor (node loading cdktf alone).',
    options: { runs: { type: 'string', value: '<n>', default: '5', description: 'Runs per measurement; the median is reported.' } },
    exitStatuses: { 0: 'within budget', 1: 'over budget (each limit exceeded is named)', 2: 'a bad option' },
    example: 'npm run bench -- --runs 3',
  },
  ({ values }) => main(Number(values.runs)),
);
