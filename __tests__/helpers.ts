// Shared by the tests: scratch copies of descriptions, synth into temporary directories, running the
// project's own commands as a user would.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { DescriptionError, loadOrganization } from '../description/load';
import type { Organization } from '../description/model';
import { readSynthesized, type SynthesizedStack, type TerraformJson } from '../scripts/lib/synthesized';
import { synthesize } from '../scripts/lib/synthesize';

export const ROOT = resolve(__dirname, '..');
export const DEFAULT_ORG = join(ROOT, 'environments');

export function scratchDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `${label}-`));
}

type YamlEdit = (content: any) => void;

/** A copy of an organization with some files edited as data (or replaced by raw text). */
export function editedOrg(edits: Record<string, YamlEdit | string | null>, source = DEFAULT_ORG): string {
  const dir = scratchDir('org');
  cpSync(source, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    if (edit === null) rmSync(path);
    else if (typeof edit === 'string') writeFileSync(path, edit);
    else {
      const content = parse(readFileSync(path, 'utf8'));
      edit(content);
      writeFileSync(path, stringify(content));
    }
  }
  return dir;
}

/** The problems loading `dir` reports, with the directory left out of the file names. */
export function problemsOf(dir: string): string[] {
  try {
    loadOrganization(dir);
  } catch (error) {
    if (error instanceof DescriptionError) return error.problems.map((problem) => problem.replaceAll(`${dir}/`, ''));
    throw error;
  }
  throw new Error(`${dir} loaded without problems`);
}

export interface Synthesized {
  readonly org: Organization;
  readonly outdir: string;
  readonly stacks: readonly SynthesizedStack[];
  stack(name: string): TerraformJson;
}

export async function synthesizeOrg(orgDir = DEFAULT_ORG, options: { hcl?: boolean; warn?: (message: string) => void } = {}): Promise<Synthesized> {
  const org = loadOrganization(orgDir);
  const outdir = join(scratchDir('synth'), 'cdktf.out');
  await synthesize(org, { out: outdir, hcl: options.hcl, warn: options.warn });
  const stacks = readSynthesized(outdir);
  return {
    org,
    outdir,
    stacks,
    stack(name: string) {
      const found = stacks.find((stack) => stack.name === name);
      if (!found?.json) throw new Error(`no JSON stack ${name} in ${outdir}`);
      return found.json;
    },
  };
}

/** Runs one of the project's scripts (or main.ts) the way npm does. */
export function runNode(file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-bundled.cjs'), file, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}
