// Finding and running terraform for the offline checks: which binary, where the provider comes from
// (a local filesystem mirror, never a download unless asked), and an environment holding no AWS
// credentials so nothing can reach a real account.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ToolError } from './tool-error';

/** TERRAFORM, else terraform on PATH. */
export function findTerraform(env = process.env): string {
  if (env.TERRAFORM) {
    if (!isExecutable(env.TERRAFORM)) throw new ToolError(`TERRAFORM=${env.TERRAFORM} is not an executable file`);
    return env.TERRAFORM;
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'terraform');
    if (isExecutable(candidate)) return candidate;
  }
  throw new ToolError(
    'terraform was not found on PATH. Install Terraform >= 1.10 (https://developer.hashicorp.com/terraform/install) ' + 'or set TERRAFORM=/path/to/terraform.',
  );
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export const PLATFORM = `${process.platform === 'win32' ? 'windows' : process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** Where `terraform init` gets providers: a filesystem mirror directory, or the public registry. */
export type ProviderSource = { kind: 'mirror'; dir: string } | { kind: 'registry'; cacheDir: string };

export interface ProviderRequirement {
  /** e.g. hashicorp/aws */
  readonly source: string;
  readonly version: string;
}

/**
 * TF_PROVIDER_MIRROR=<dir> uses that mirror, TF_PROVIDER_MIRROR=registry downloads from the public
 * registry (into a shared plugin cache); unset, the mirror is discovered in Terraform's own implied mirror
 * directories, the CLI configuration's filesystem_mirror entries, and the usual install roots.
 */
export function providerSource(requirements: readonly ProviderRequirement[], env = process.env): ProviderSource {
  const setting = env.TF_PROVIDER_MIRROR;
  if (setting === 'registry') {
    return { kind: 'registry', cacheDir: env.TF_PLUGIN_CACHE_DIR || join(homedir(), '.terraform.d', 'plugin-cache') };
  }
  if (setting) {
    const missing = requirements.filter((requirement) => !mirrorHolds(setting, requirement));
    if (missing.length > 0) {
      throw new ToolError(`TF_PROVIDER_MIRROR=${setting} does not hold ${missing.map(describe).join(', ')} (expected ${mirrorPath(setting, missing[0])})`);
    }
    return { kind: 'mirror', dir: setting };
  }
  const found = candidateMirrors(env).find((dir) => requirements.every((requirement) => mirrorHolds(dir, requirement)));
  if (!found) {
    throw new ToolError(
      `no local Terraform provider mirror holds ${requirements.map(describe).join(', ')}. ` +
        'Set TF_PROVIDER_MIRROR=/path/to/mirror (a directory laid out as registry.terraform.io/<namespace>/<type>/<version>/<os_arch>/), ' +
        'or TF_PROVIDER_MIRROR=registry to download from the public registry.',
    );
  }
  return { kind: 'mirror', dir: found };
}

function describe(requirement: ProviderRequirement): string {
  return `${requirement.source} ${requirement.version} for ${PLATFORM}`;
}

function mirrorPath(dir: string, requirement: ProviderRequirement): string {
  return join(dir, 'registry.terraform.io', requirement.source, requirement.version, PLATFORM);
}

function mirrorHolds(dir: string, requirement: ProviderRequirement): boolean {
  const path = mirrorPath(dir, requirement);
  try {
    return readdirSync(path).some((file) => file.startsWith(`terraform-provider-${requirement.source.split('/')[1]}`));
  } catch {
    return false;
  }
}

/** Candidate mirror directories, most specific first. */
function candidateMirrors(env: NodeJS.ProcessEnv): string[] {
  const home = homedir();
  const dataHome = env.XDG_DATA_HOME || join(home, '.local', 'share');
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(Boolean);
  const implied = [join(home, '.terraform.d', 'plugins'), join(dataHome, 'terraform', 'plugins'), ...dataDirs.map((dir) => join(dir, 'terraform', 'plugins'))];
  const configured = cliConfigMirrors(env.TF_CLI_CONFIG_FILE || join(home, '.terraformrc'));
  const searched = ['/opt', '/usr/local', '/usr/share', '/srv', '/var/lib', home].flatMap((root) => directoriesHolding(root, 'registry.terraform.io', 3));
  return [...new Set([...configured, ...implied, ...searched])];
}

function cliConfigMirrors(file: string): string[] {
  try {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"/g)].map((match) => match[1]);
  } catch {
    return [];
  }
}

/** Directories below `root` (at most `depth` levels down) that contain an entry named `name`. */
function directoriesHolding(root: string, name: string, depth: number): string[] {
  if (depth < 0 || !existsSync(root)) return [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  if (entries.some((entry) => entry.name === name && entry.isDirectory())) return [root];
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules' && entry.name !== 'proc')
    .flatMap((entry) => directoriesHolding(join(root, entry.name), name, depth - 1));
}

/** The environment terraform runs in: no AWS credentials or profiles, no telemetry, our CLI config. */
export function offlineEnv(cliConfigFile: string, env = process.env): NodeJS.ProcessEnv {
  // Every AWS_ variable goes, AWS_CA_BUNDLE too: offline nothing speaks TLS to AWS (the fake STS is plain
  // HTTP), and a provider process configured a second time (see provider-server.ts) fails on a custom CA bundle.
  const clean = Object.fromEntries(Object.entries(env).filter(([key]) => !/^(AWS_|TF_VAR_|TF_CLI_ARGS|TF_WORKSPACE$|TF_TOKEN_|TF_DATA_DIR$)/.test(key)));
  return {
    ...clean,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

/** The CLI configuration for a provider source: nothing for a mirror (passed as -plugin-dir), a plugin cache for the registry. */
export function cliConfig(source: ProviderSource): string {
  return source.kind === 'registry' ? `plugin_cache_dir = ${JSON.stringify(source.cacheDir)}\n` : '';
}

export function initArgs(source: ProviderSource): string[] {
  return ['init', '-input=false', '-no-color', ...(source.kind === 'mirror' ? [`-plugin-dir=${source.dir}`] : [])];
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}
