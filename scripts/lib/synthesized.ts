// Reading what a synth wrote: the manifest's stacks, their dependencies and their Terraform JSON.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from './tool-error';

export interface SynthesizedStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  /** Absolute or outdir-relative directory holding the stack's Terraform. */
  readonly dir: string;
  /** The synthesized file in `dir`: cdk.tf.json, or cdk.tf for HCL. */
  readonly file: string;
  /** The Terraform JSON, or undefined when the stack was synthesized as HCL. */
  readonly json: TerraformJson | undefined;
}

export interface TerraformJson {
  readonly terraform?: {
    readonly backend?: Record<string, Record<string, unknown>>;
    readonly cloud?: Record<string, unknown>;
    readonly required_providers?: Record<string, { source?: string; version?: string }>;
  };
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown }>;
  readonly import?: unknown[];
  readonly removed?: unknown[];
}

interface Manifest {
  readonly stacks: Record<string, { name: string; dependencies: string[]; workingDirectory: string; synthesizedStackPath: string }>;
}

export function readSynthesized(outdir: string): SynthesizedStack[] {
  const manifestFile = join(outdir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new ToolError(`${manifestFile} does not exist: run \`npm run synth\` first`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  return Object.values(manifest.stacks).map((stack) => {
    const file = join(outdir, stack.synthesizedStackPath);
    return {
      name: stack.name,
      dependencies: stack.dependencies,
      dir: join(outdir, stack.workingDirectory),
      file,
      json: file.endsWith('.json') ? (JSON.parse(readFileSync(file, 'utf8')) as TerraformJson) : undefined,
    };
  });
}

/** The providers (source and version) the stacks require; from the JSON, or from HCL text. */
export function requiredProviders(stacks: readonly SynthesizedStack[]): { source: string; version: string }[] {
  const found = new Map<string, { source: string; version: string }>();
  for (const stack of stacks) {
    const entries = stack.json
      ? Object.entries(stack.json.terraform?.required_providers ?? {}).map(([name, { source, version }]) => ({ name, source, version }))
      : [...readFileSync(join(stack.dir, 'cdk.tf'), 'utf8').matchAll(/(\w+)\s*=\s*\{\s*version\s*=\s*"([^"]+)"\s*source\s*=\s*"([^"]+)"/g)].map(
          ([, name, version, source]) => ({ name, source, version }),
        );
    for (const { name, source, version } of entries) {
      if (!version) continue;
      const fullSource = (source ?? name).includes('/') ? (source ?? name) : `hashicorp/${source ?? name}`;
      found.set(`${fullSource}@${version}`, { source: fullSource.replace(/^registry\.terraform\.io\//, ''), version });
    }
  }
  return [...found.values()];
}
