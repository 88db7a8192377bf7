// Synthesizes an organization into a directory, written aside and swapped in whole, so a failed synth
// never leaves a half-written or stale directory behind.
import { App } from 'cdktf';
import { existsSync, renameSync, rmSync } from 'node:fs';
import type { Organization } from '../../description/model';
import { type OrganizationStacks, accountsNotice, stackNames, synthesizeOrganization } from '../../stacks/organization-app';
import { unquoteReferencesIn } from './hcl-references';
import { findTerraform, run } from './terraform';
import { ToolError } from './tool-error';

/** cdktf refused to synthesize: a guardrail (or another construct) reported errors, listed by construct path. */
export class SynthRefused extends Error {}

export interface SynthOptions {
  readonly out: string;
  readonly hcl?: boolean;
  readonly warn?: (message: string) => void;
}

/** Returns the names of the stacks written. */
export async function synthesize(org: Organization, options: SynthOptions): Promise<string[]> {
  const staging = `${options.out}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  // cdktf's stacks read the HCL switch from the environment, not from the App's config.
  const previousHcl = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = options.hcl ? 'true' : 'false';
  try {
    const app = new App({ outdir: staging, hclOutput: options.hcl ?? false });
    const notice = accountsNotice(org);
    if (notice) (options.warn ?? console.warn)(notice);
    let stacks: OrganizationStacks;
    try {
      stacks = synthesizeOrganization(app, org);
    } catch (error) {
      const errors = error instanceof Error ? error.message.split('\n').filter((line) => line.startsWith('[')) : [];
      if (errors.length === 0) throw error;
      throw new SynthRefused(
        `Synthesis refused, ${errors.length} resource(s) break a guardrail:\n${errors.map((line) => `  ${line}`).join('\n')}\nNothing was synthesized.`,
      );
    }
    if (options.hcl) {
      unquoteReferencesIn(staging);
      await formatHcl(staging, options.warn ?? console.warn);
    }
    rmSync(options.out, { recursive: true, force: true });
    renameSync(staging, options.out);
    return stackNames(stacks);
  } finally {
    if (previousHcl === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previousHcl;
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
}

/** cdktf writes HCL unindented; terraform fmt makes it what a reviewer expects to read. */
async function formatHcl(dir: string, warn: (message: string) => void): Promise<void> {
  let terraform: string;
  try {
    terraform = findTerraform();
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    warn(`warning: HCL left unformatted: ${error.message}`);
    return;
  }
  const result = await run(terraform, ['fmt', '-recursive', '-list=false', dir], {
    cwd: process.cwd(),
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
  });
  if (result.code !== 0) throw new Error(`terraform fmt failed on the synthesized HCL:\n${result.stderr}`);
}
