// terraform plan (or validate) of every synthesized stack with no AWS account and no network. Each stack
// is copied to <outdir>/offline/<stack> with an override file that swaps in a local backend, fake keys
// and a local fake STS, and feeds cross-stack inputs from fixture states made of the producers' plans.
// The synthesized stacks themselves are left untouched, so `cdktf deploy` never sees the override.
// A stack's result is cached under the hash of everything that decides it, and reused while that holds.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { type AssumedRole, fakeAccessKey, startFakeSts } from './fake-sts';
import { readSynthesized, requiredProviders, type SynthesizedStack } from './synthesized';
import { installedProvider, ProviderPool, type ProviderServer } from './provider-server';
import { cliConfig, findTerraform, initArgs, offlineEnv, PLATFORM, type ProviderSource, providerSource, run, type RunResult } from './terraform';

/** Where commands and tests keep offline results (gitignored, so a fresh clone starts cold). */
export const OFFLINE_CACHE_DIR = resolve(__dirname, '..', '..', '.cache', 'offline-plans');

export interface OfflineCheckOptions {
  readonly outdir: string;
  /** Only init and validate (no backend, no plan): what the HCL output is checked with. */
  readonly validateOnly?: boolean;
  /**
   * Write each plan as JSON to <outdir>/plans/<stack>.json (`terraform show -json`, ~1 s of CPU a
   * stack) and as terraform shows it to people, <stack>.txt. Without it, only stacks whose outputs a
   * planned stack reads are shown.
   */
  readonly planJson?: boolean;
  /** A directory of cached results (OFFLINE_CACHE_DIR); none: every stack is checked anew. */
  readonly cache?: string;
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
  /**
   * Check only these stacks. Any other stack whose outputs they read is not planned: its fixture state
   * holds its synthesized outputs, with a placeholder for every value only an apply would know.
   */
  readonly only?: readonly string[];
  /**
   * A directory of states, <stack>.tfstate, to plan each stack against (without refreshing) instead of an
   * empty state: what a --base review's base leaves (see base-state.ts). A stack without one starts empty.
   */
  readonly priorStates?: string;
}

export interface StackCheck {
  readonly stack: string;
  readonly ok: boolean;
  /** The step that failed and terraform's own words, when not ok. */
  readonly error?: string;
  /** <outdir>/plans/<stack>.json, the `terraform show -json` of the plan, when asked for. */
  readonly planFile?: string;
  /** Taken from the cache: nothing changed that decides it. */
  readonly cached?: boolean;
  readonly changes?: { add: number; change: number; destroy: number };
  /**
   * Import blocks left out of the offline copy: terraform plans an import by reading the live object,
   * which needs AWS. Each such resource is planned as a create instead.
   */
  readonly importsDropped?: number;
  /** terraform validate's warnings, as it words them (it folds similar ones: "and 3 more similar warnings"). */
  readonly warnings?: readonly string[];
  /** Every role the stack's providers assumed while planning. */
  readonly assumedRoles: readonly AssumedRole[];
  readonly seconds: number;
}

export async function checkOffline(options: OfflineCheckOptions): Promise<StackCheck[]> {
  const outdir = resolve(options.outdir);
  const log = options.log ?? (() => undefined);
  const terraform = findTerraform();
  const stacks = readSynthesized(outdir);
  const source = providerSource(requiredProviders(stacks));
  log(`terraform: ${terraform}; providers from ${source.kind === 'mirror' ? `mirror ${source.dir}` : `the public registry (cache ${source.cacheDir})`}`);
  const workRoot = join(outdir, 'offline');
  const plansDir = join(outdir, 'plans');
  rmSync(workRoot, { recursive: true, force: true });
  mkdirSync(join(workRoot, 'fixtures'), { recursive: true });
  mkdirSync(plansDir, { recursive: true });
  const cliConfigFile = join(workRoot, 'terraform.rc');
  writeFileSync(cliConfigFile, cliConfig(source));
  const env = offlineEnv(cliConfigFile);

  const validateOnly = options.validateOnly ?? false;
  const checked = options.only ? stacks.filter((stack) => options.only!.includes(stack.name)) : stacks;
  const producers = new Set(checked.flatMap((stack) => remoteStateProducers(stack, stacks)));
  const context: StackContext = {
    terraform,
    source,
    env,
    stacks,
    workRoot,
    plansDir,
    validateOnly,
    planJson: options.planJson ?? false,
    priorStates: options.priorStates,
    producers,
    aws: requiredProviders(stacks).find((requirement) => requirement.source === 'hashicorp/aws'),
    dataDir: join(workRoot, 'terraform-data'),
    cache: options.cache ? { dir: options.cache, versions: await versionsKey(terraform, env, requiredProviders(stacks)) } : undefined,
  };
  for (const stack of stacks.filter((candidate) => !checked.includes(candidate) && candidate.json)) {
    writeFileSync(fixturePath(context, stack.name), JSON.stringify(synthesizedFixtureState(stack), null, 2));
  }
  let results: Map<string, StackCheck>;
  try {
    results = await runInDependencyOrder(
      checked,
      (stack) => remoteStateProducers(stack, stacks),
      options.concurrency ?? availableParallelism(),
      async (stack) => {
        const result = cachedCheck(stack, context) ?? (await checkStack(stack, context));
        log(
          `${result.ok ? 'ok    ' : 'FAILED'} ${stack.name} (${result.cached ? 'cached' : `${result.seconds.toFixed(1)} s`})${result.changes ? `: ${formatChanges(result)}` : ''}`,
        );
        return result;
      },
    );
  } finally {
    await context.pool?.stopAll();
  }
  return checked.map((stack) => results.get(stack.name)!);
}

export function formatChanges({ changes, importsDropped }: Pick<StackCheck, 'changes' | 'importsDropped'>): string {
  const counts = changes ? `${changes.add} to add, ${changes.change} to change, ${changes.destroy} to destroy` : '';
  return importsDropped ? `${counts} (${importsDropped} import${importsDropped === 1 ? '' : 's'} dropped offline: planned as creates)` : counts;
}

interface StackContext {
  readonly terraform: string;
  readonly source: ProviderSource;
  readonly env: NodeJS.ProcessEnv;
  readonly stacks: readonly SynthesizedStack[];
  readonly workRoot: string;
  readonly plansDir: string;
  readonly validateOnly: boolean;
  readonly planJson: boolean;
  readonly priorStates: string | undefined;
  /** The stacks whose outputs a checked stack reads: their plans are shown, for the fixtures. */
  readonly producers: ReadonlySet<string>;
  /** The AWS provider version the stacks require, served by the providers of `pool` (see provider-server.ts). */
  readonly aws: { source: string; version: string } | undefined;
  /**
   * One TF_DATA_DIR for every stack: they share the offline backend and the providers, so one
   * `terraform init` (~1 s of CPU) serves them all; each stack gets a copy of its lock file.
   */
  readonly dataDir: string;
  readonly cache: { dir: string; versions: string } | undefined;
  /** The first stack's `terraform init` of `dataDir`, awaited by every other. */
  initialized?: Promise<string | undefined>;
  /** Made with the binary that init installs; none with OFFLINE_PROVIDER_REATTACH=0. */
  pool?: ProviderPool;
}

/** What a cached result is stored with: the check, and the plan's fixture and JSON when they were made. */
interface CacheEntry {
  readonly check: Omit<StackCheck, 'stack' | 'seconds' | 'planFile' | 'cached'>;
  readonly fixture?: object;
  readonly plan?: string;
  /** `terraform show` of the plan, for people. */
  readonly text?: string;
}

/** The code that decides a result, terraform's version and the providers': a result holds while they do. */
async function versionsKey(terraform: string, env: NodeJS.ProcessEnv, providers: readonly { source: string; version: string }[]): Promise<string> {
  const version = await run(terraform, ['version', '-json'], { cwd: process.cwd(), env });
  const code = ['offline-plan.ts', 'terraform.ts', 'fake-sts.ts', 'provider-server.ts'].map((file) => readFileSync(join(__dirname, file), 'utf8'));
  return JSON.stringify({ terraform: JSON.parse(version.stdout).terraform_version, providers, platform: PLATFORM, code });
}

/**
 * The stack's cache file: named by the hash of its configuration, the fixtures it reads and `versions`.
 * None while a fixture is missing (its producer failed): the stack is checked, and fails, anew.
 */
function cacheFile(stack: SynthesizedStack, context: StackContext): string | undefined {
  const fixtures = remoteStateProducers(stack, context.stacks)
    .sort()
    .map((producer) => fixturePath(context, producer));
  if (!context.cache || !fixtures.every((fixture) => existsSync(fixture))) return undefined;
  const hash = createHash('sha256').update(context.cache.versions).update(String(context.validateOnly)).update(readFileSync(stack.file));
  for (const fixture of fixtures) hash.update(readFileSync(fixture));
  const prior = priorState(stack, context);
  if (prior) hash.update(readFileSync(prior));
  return join(context.cache.dir, `${hash.digest('hex')}.json`);
}

/** The stack's cached result, its plan and fixture written as a check would: undefined if it has none usable. */
function cachedCheck(stack: SynthesizedStack, context: StackContext): StackCheck | undefined {
  const file = cacheFile(stack, context);
  if (!file || !existsSync(file)) return undefined;
  const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
  if ((context.planJson && !(entry.plan && entry.text !== undefined)) || (context.producers.has(stack.name) && !entry.fixture)) return undefined;
  if (entry.fixture) writeFileSync(fixturePath(context, stack.name), JSON.stringify(entry.fixture, null, 2));
  const planFile = context.planJson ? join(context.plansDir, `${stack.name}.json`) : undefined;
  if (planFile) {
    writeFileSync(planFile, entry.plan!);
    writeFileSync(planTextFile(planFile), entry.text!);
  }
  return { stack: stack.name, ...entry.check, ...(planFile ? { planFile } : {}), cached: true, seconds: 0 };
}

async function checkStack(stack: SynthesizedStack, context: StackContext): Promise<StackCheck> {
  const started = Date.now();
  const workDir = join(context.workRoot, stack.name);
  cpSync(stack.dir, workDir, { recursive: true, filter: (path) => !path.includes('/.terraform') });
  const sts = context.validateOnly ? undefined : await startFakeSts();
  let server: ProviderServer | undefined;
  let succeeded = false;
  /** The check's result, cached with `toCache` when given (a success). */
  const finish = (fields: Omit<StackCheck, 'stack' | 'assumedRoles' | 'seconds'>, toCache?: Omit<CacheEntry, 'check'>): StackCheck => {
    succeeded = fields.ok;
    const check = { stack: stack.name, assumedRoles: sts ? [...sts.assumed] : [], seconds: (Date.now() - started) / 1000, ...fields };
    const file = toCache && cacheFile(stack, context);
    if (file) {
      const { stack: _stack, seconds: _seconds, planFile: _planFile, ...result } = check;
      mkdirSync(context.cache!.dir, { recursive: true });
      writeFileSync(file, JSON.stringify({ check: result, ...toCache } satisfies CacheEntry));
    }
    return check;
  };
  try {
    let importsDropped = 0;
    if (sts) {
      if (!stack.json) return finish({ ok: false, error: 'plan needs the JSON synth (run `npm run synth`); HCL output is checked with --validate-only' });
      importsDropped = writeOfflineCopy(stack, workDir);
      writeFileSync(join(workDir, 'offline_override.tf.json'), JSON.stringify(offlineOverride(stack, context, sts.endpoint), null, 2));
    }
    const env = { ...context.env, TF_DATA_DIR: context.dataDir };
    const terraform = (args: string[], reattach?: string) =>
      run(context.terraform, args, { cwd: workDir, env: reattach ? { ...env, TF_REATTACH_PROVIDERS: reattach } : env });
    const initFailure = await initialize(workDir, terraform, context);
    if (initFailure) return finish({ ok: false, error: initFailure });
    server = await context.pool?.acquire();
    if (context.validateOnly) {
      const validated = await terraform(['validate', '-no-color'], server?.reattach);
      if (validated.code !== 0) return finish({ ok: false, error: `terraform validate failed:\n${validated.stderr || validated.stdout}` });
      const warnings = [...`${validated.stdout}\n${validated.stderr}`.matchAll(/Warning: .*|\(and \d+ more similar warnings? elsewhere\)/g)].map(
        (match) => match[0],
      );
      return finish({ ok: true, warnings }, {});
    }
    // `terraform plan` validates the configuration first: no separate validate step.
    const singleAwsProvider = (stack.json?.provider?.aws ?? []).length === 1;
    // Against a prior state nothing is refreshed: reading a resource needs AWS.
    const prior = priorState(stack, context);
    if (prior) cpSync(prior, join(workDir, 'terraform.tfstate'));
    const planArgs = ['plan', '-input=false', '-lock=false', '-no-color', '-out=offline.tfplan', ...(prior ? ['-refresh=false'] : [])];
    const planned = await terraform(planArgs, singleAwsProvider ? server?.reattach : undefined);
    if (planned.code !== 0) return finish({ ok: false, error: `terraform plan failed:\n${planned.stderr || planned.stdout}` });
    const changes = countChanges(planned.stdout);
    if (!context.planJson && !context.producers.has(stack.name)) return finish({ ok: true, changes, importsDropped }, {});
    const shown = await terraform(['show', '-json', 'offline.tfplan'], server?.reattach);
    if (shown.code !== 0) return finish({ ok: false, error: `terraform show failed:\n${shown.stderr}` });
    const fixture = fixtureState(stack.name, JSON.parse(shown.stdout) as PlanJson);
    writeFileSync(fixturePath(context, stack.name), JSON.stringify(fixture, null, 2));
    const planFile = context.planJson ? join(context.plansDir, `${stack.name}.json`) : undefined;
    const text = planFile ? await terraform(['show', '-no-color', 'offline.tfplan'], server?.reattach) : undefined;
    if (text && text.code !== 0) return finish({ ok: false, error: `terraform show failed:\n${text.stderr}` });
    if (planFile) {
      writeFileSync(planFile, shown.stdout);
      writeFileSync(planTextFile(planFile), text!.stdout);
    }
    return finish({ ok: true, ...(planFile ? { planFile } : {}), changes, importsDropped }, { fixture, plan: shown.stdout, text: text?.stdout });
  } finally {
    context.pool?.release(server, succeeded);
    await sts?.close();
  }
}

/**
 * Gives `workDir` the shared data directory: the first stack runs `terraform init` into it, every other
 * waits for that and copies the lock file. Returns terraform's words if init failed.
 */
async function initialize(workDir: string, terraform: (args: string[]) => Promise<RunResult>, context: StackContext): Promise<string | undefined> {
  const lockFile = join(context.workRoot, 'terraform.lock.hcl');
  context.initialized ??= terraform([...initArgs(context.source), ...(context.validateOnly ? ['-backend=false'] : [])]).then((init) => {
    if (init.code !== 0) return `terraform init failed:\n${init.stderr || init.stdout}`;
    cpSync(join(workDir, '.terraform.lock.hcl'), lockFile);
    const binary = context.aws && installedProvider(context.dataDir, context.aws.source, context.aws.version, PLATFORM);
    if (binary && process.env.OFFLINE_PROVIDER_REATTACH !== '0') context.pool = new ProviderPool(binary, context.env, !context.validateOnly);
    return undefined;
  });
  const failure = await context.initialized;
  if (!failure && !existsSync(join(workDir, '.terraform.lock.hcl'))) cpSync(lockFile, join(workDir, '.terraform.lock.hcl'));
  return failure;
}

/**
 * Data sources that read AWS, which offline has none to read: each is left out of the offline copy, and
 * every reference to the attribute the stack reads from it becomes a placeholder of the form the provider
 * validates (an identity store group id is a UUID: one made from the data source's id).
 */
const AWS_LOOKUPS: Readonly<Record<string, { readonly attribute: string; placeholder(id: string): string }>> = {
  aws_identitystore_group: {
    attribute: 'group_id',
    placeholder: (id) =>
      createHash('sha256')
        .update(id)
        .digest('hex')
        .slice(0, 32)
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
  },
};

/** Rewrites the offline copy of the stack without its import blocks and AWS lookups; returns how many imports there were. */
function writeOfflineCopy(stack: SynthesizedStack, workDir: string): number {
  const { import: imports, data, ...rest } = stack.json!;
  const lookups = Object.keys(data ?? {}).filter((type) => type in AWS_LOOKUPS);
  if (!imports?.length && lookups.length === 0) return 0;
  const kept = Object.fromEntries(Object.entries(data ?? {}).filter(([type]) => !lookups.includes(type)));
  let text = JSON.stringify({ ...rest, ...(Object.keys(kept).length ? { data: kept } : {}) }, null, 2);
  for (const type of lookups) {
    const { attribute, placeholder } = AWS_LOOKUPS[type];
    text = text.replace(new RegExp(`\\$\\{data\\.${type}\\.([\\w-]+)\\.${attribute}\\}`, 'g'), (_, id: string) => placeholder(id));
  }
  writeFileSync(join(workDir, basename(stack.file)), text);
  return imports?.length ?? 0;
}

interface PlanJson {
  readonly planned_values?: { outputs?: Record<string, { value?: unknown }> };
  readonly output_changes?: Record<string, { after?: unknown; after_unknown?: unknown }>;
}

/** The counts of the plan's summary line ("Plan: 3 to add, 0 to change, 0 to destroy."; none for "No changes."). */
function countChanges(planOutput: string): { add: number; change: number; destroy: number } {
  const [, add, change, destroy] = /(\d+) to add, (\d+) to change, (\d+) to destroy/.exec(planOutput) ?? ['', '0', '0', '0'];
  return { add: Number(add), change: Number(change), destroy: Number(destroy) };
}

/**
 * The override: local state, and for every aws provider fake keys plus the fake STS, so its configured
 * role assumption and allowed account check run as they would against AWS.
 */
function offlineOverride(stack: SynthesizedStack, context: StackContext, stsEndpoint: string): object {
  const json = stack.json!;
  const providers = (json.provider?.aws ?? []).map((provider) => {
    const accountId = (provider.allowed_account_ids as string[] | undefined)?.[0] ?? '000000000000';
    return {
      ...(provider.alias ? { alias: provider.alias } : {}),
      access_key: fakeAccessKey(accountId),
      secret_key: 'offline',
      skip_metadata_api_check: true,
      endpoints: [{ sts: stsEndpoint }],
      // Fail in seconds, not after minutes of back-off, if the fake STS ever refuses.
      max_retries: 1,
    };
  });
  const remoteStates = Object.fromEntries(
    Object.entries(json.data?.terraform_remote_state ?? {}).map(([name, block]) => [
      name,
      { backend: 'local', config: { path: fixturePath(context, producerOf(block, context.stacks, stack.name)) } },
    ]),
  );
  return {
    terraform: { backend: { local: { path: 'terraform.tfstate' } } },
    ...(providers.length ? { provider: { aws: providers } } : {}),
    ...(Object.keys(remoteStates).length ? { data: { terraform_remote_state: remoteStates } } : {}),
  };
}

/** The plan as terraform shows it to people, beside its JSON: <stack>.txt. */
export function planTextFile(planFile: string): string {
  return planFile.replace(/\.json$/, '.txt');
}

/** The state the stack is planned against, if the check has one for it. */
function priorState(stack: SynthesizedStack, context: StackContext): string | undefined {
  const file = context.priorStates && join(context.priorStates, `${stack.name}.tfstate`);
  return file && existsSync(file) ? file : undefined;
}

function fixturePath(context: StackContext, stackName: string): string {
  return join(context.workRoot, 'fixtures', `${stackName}.tfstate`);
}

/** The stack whose state a terraform_remote_state block reads: the one whose backend has the same key or workspace. */
function producerOf(block: Record<string, unknown>, stacks: readonly SynthesizedStack[], consumer: string): string {
  const identity = (config: Record<string, unknown> | undefined) =>
    config && JSON.stringify(config.key ?? (config.workspaces as Record<string, unknown> | undefined)?.name ?? config.path);
  const wanted = identity(block.config as Record<string, unknown>);
  const producer = stacks.find((stack) => {
    const terraform = stack.json?.terraform;
    const backend = terraform?.cloud ?? Object.values(terraform?.backend ?? {})[0];
    return identity(backend) === wanted;
  });
  if (!producer) throw new Error(`${consumer}: no synthesized stack keeps its state where remote state ${wanted} points`);
  return producer.name;
}

/**
 * A state file holding only outputs: the producer's planned values, with a placeholder wherever a value
 * is unknown until apply (a whole output, or the unknown parts of a map, object or list).
 */
function fixtureState(stackName: string, plan: PlanJson): object {
  const outputs = Object.fromEntries(
    Object.entries(plan.planned_values?.outputs ?? {}).map(([name, output]) => {
      const change = plan.output_changes?.[name];
      const value = output.value ?? withPlaceholders(change?.after, change?.after_unknown, `offline-${stackName}-${name}`);
      return [name, { value, type: ctyType(value) }];
    }),
  );
  return { version: 4, terraform_version: '1.10.0', serial: 1, lineage: `offline-${stackName}`, outputs, resources: [] };
}

/**
 * The fixture of a stack that is not planned, from its synthesized outputs: literal values as they are,
 * a reference to a local as that local's structure, and a placeholder for every other reference.
 */
function synthesizedFixtureState(stack: SynthesizedStack): object {
  const json = stack.json!;
  const locals = (json as { locals?: Record<string, unknown> }).locals ?? {};
  const value = (expression: unknown, placeholder: string): unknown => {
    if (typeof expression === 'string') {
      const local = /^\$\{local\.([\w-]+)\}$/.exec(expression)?.[1];
      if (local && local in locals) return value(locals[local], placeholder);
      return expression.includes('${') ? placeholder : expression;
    }
    if (Array.isArray(expression)) return expression.map((part, index) => value(part, `${placeholder}-${index}`));
    if (expression && typeof expression === 'object') {
      return Object.fromEntries(Object.entries(expression).map(([key, part]) => [key, value(part, `${placeholder}-${key}`)]));
    }
    return expression;
  };
  const outputs = Object.fromEntries(
    Object.entries(json.output ?? {}).map(([name, output]) => {
      const fixture = value(output.value, `offline-${stack.name}-${name}`);
      return [name, { value: fixture, type: ctyType(fixture) }];
    }),
  );
  return { version: 4, terraform_version: '1.10.0', serial: 1, lineage: `offline-${stack.name}`, outputs, resources: [] };
}

/** `known` with every part `unknown` marks (true, at any depth) replaced by a placeholder naming its path. */
function withPlaceholders(known: unknown, unknown: unknown, placeholder: string): unknown {
  if (unknown === true || (known === undefined && typeof unknown !== 'object')) return placeholder;
  if (Array.isArray(unknown)) return unknown.map((part, index) => withPlaceholders((known as unknown[] | undefined)?.[index], part, `${placeholder}-${index}`));
  if (unknown && typeof unknown === 'object') {
    const knownParts = (known ?? {}) as Record<string, unknown>;
    const keys = new Set([...Object.keys(knownParts), ...Object.keys(unknown)]);
    return Object.fromEntries(
      [...keys].map((key) => [key, withPlaceholders(knownParts[key], (unknown as Record<string, unknown>)[key], `${placeholder}-${key}`)]),
    );
  }
  return known;
}

/** The Terraform type a state declares for an output's value. */
export function ctyType(value: unknown): unknown {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(ctyType)];
  if (value && typeof value === 'object') return ['object', Object.fromEntries(Object.entries(value).map(([key, item]) => [key, ctyType(item)]))];
  return 'dynamic';
}

/** `names` and every stack whose outputs they read, however indirectly: what must be planned for their fixtures to be plans. */
export function withProducers(names: readonly string[], stacks: readonly SynthesizedStack[]): string[] {
  const found = new Set<string>();
  const visit = (name: string): void => {
    if (found.has(name)) return;
    found.add(name);
    const stack = stacks.find((candidate) => candidate.name === name);
    if (stack) for (const producer of remoteStateProducers(stack, stacks)) visit(producer);
  };
  names.forEach(visit);
  return stacks.map((stack) => stack.name).filter((name) => found.has(name));
}

/** The stacks whose outputs `stack` reads through remote state: their fixtures must exist before it plans. */
function remoteStateProducers(stack: SynthesizedStack, stacks: readonly SynthesizedStack[]): string[] {
  return Object.values(stack.json?.data?.terraform_remote_state ?? {}).map((block) => producerOf(block, stacks, stack.name));
}

/** Runs `task` for every stack, a stack only after those it `waitsFor`, at most `concurrency` at once. */
async function runInDependencyOrder<T>(
  stacks: readonly SynthesizedStack[],
  waitsFor: (stack: SynthesizedStack) => string[],
  concurrency: number,
  task: (stack: SynthesizedStack) => Promise<T>,
): Promise<Map<string, T>> {
  const results = new Map<string, T>();
  const names = new Set(stacks.map((stack) => stack.name));
  const pending = new Set(names);
  const running = new Set<string>();
  const prerequisites = new Map(stacks.map((stack) => [stack.name, waitsFor(stack)]));
  const ready = (stack: SynthesizedStack) =>
    pending.has(stack.name) && prerequisites.get(stack.name)!.every((producer) => results.has(producer) || !names.has(producer));
  await new Promise<void>((resolveAll, rejectAll) => {
    const startReady = () => {
      if (pending.size === 0 && running.size === 0) return resolveAll();
      for (const stack of stacks.filter(ready)) {
        if (running.size >= concurrency) break;
        pending.delete(stack.name);
        running.add(stack.name);
        task(stack).then((result) => {
          running.delete(stack.name);
          results.set(stack.name, result);
          startReady();
        }, rejectAll);
      }
      if (running.size === 0 && pending.size > 0) rejectAll(new Error(`stack dependency cycle among ${[...pending].join(', ')}`));
    };
    startReady();
  });
  return results;
}
