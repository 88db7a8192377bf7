// The state a stack would have after applying its offline plan, made without AWS: for a --base review,
// the current stacks are planned against what the base's plans leave, so Terraform's own counts (add,
// change, replace, destroy) are real. A plan's planned values are known but for what only an apply tells
// (ids, ARNs); those get placeholders of their schema's type. A placeholder where the base's configuration
// reads another resource's unknown value cannot match that value's own placeholder, so the state is
// settled as an apply would: the base's configuration is planned against it, the plan's values taken, until
// it plans no change (see settleBaseStates in offline-plan.ts).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkOffline, ctyType } from './offline-plan';
import { readSynthesized, requiredProviders, type TerraformJson } from './synthesized';
import { cliConfig, findTerraform, initArgs, offlineEnv, type ProviderSource, providerSource, run } from './terraform';

interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, { readonly type: unknown }>>;
  readonly block_types?: Readonly<Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>>;
}

/** Resource type -> its schema version and block: what a state must say and hold. */
export type ResourceSchemas = Readonly<Record<string, { readonly version: number; readonly block: SchemaBlock }>>;

/** The parts of `terraform show -json <plan>` a state is made of. */
export interface PlanForState {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly mode: string;
    readonly type: string;
    readonly name: string;
    readonly index?: string | number;
    readonly provider_name: string;
    readonly change: { readonly actions: readonly string[]; readonly after?: unknown; readonly after_unknown?: unknown };
  }[];
  readonly configuration?: { readonly root_module?: { readonly resources?: readonly { readonly address: string; readonly provider_config_key?: string }[] } };
  readonly planned_values?: { readonly outputs?: Record<string, { value?: unknown }> };
  readonly output_changes?: Record<string, { after?: unknown; after_unknown?: unknown }>;
}

interface StateInstance {
  readonly index_key?: string | number;
  readonly schema_version: number;
  readonly attributes: Record<string, unknown>;
  readonly sensitive_attributes: readonly unknown[];
}

interface StateResource {
  readonly mode: 'managed';
  readonly type: string;
  readonly name: string;
  readonly each?: 'map' | 'list';
  readonly provider: string;
  readonly instances: StateInstance[];
}

export interface TerraformState {
  readonly version: 4;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs: Record<string, { value: unknown; type: unknown }>;
  readonly resources: StateResource[];
}

/**
 * The schemas of the AWS provider `version`, read once with `terraform providers schema -json` (~10 s) and
 * kept in `cacheDir` trimmed to what a state needs.
 */
export async function awsResourceSchemas(terraform: string, source: ProviderSource, version: string, cacheDir: string): Promise<ResourceSchemas> {
  const file = join(cacheDir, `aws-${version}-resource-schemas.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ResourceSchemas;
  const dir = join(cacheDir, `aws-${version}-schema-work`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version } } } }));
  writeFileSync(join(dir, 'terraform.rc'), cliConfig(source));
  const env = offlineEnv(join(dir, 'terraform.rc'));
  const init = await run(terraform, initArgs(source), { cwd: dir, env });
  if (init.code !== 0) throw new Error(`terraform init for the provider schema failed:\n${init.stderr || init.stdout}`);
  const shown = await run(terraform, ['providers', 'schema', '-json'], { cwd: dir, env });
  if (shown.code !== 0) throw new Error(`terraform providers schema failed:\n${shown.stderr}`);
  const providers = (
    JSON.parse(shown.stdout) as { provider_schemas: Record<string, { resource_schemas: Record<string, { version: number; block: SchemaBlock }> }> }
  ).provider_schemas;
  const aws = Object.entries(providers).find(([name]) => name.endsWith('/hashicorp/aws'))![1].resource_schemas;
  const trim = (block: SchemaBlock): SchemaBlock => ({
    attributes: Object.fromEntries(Object.entries(block.attributes ?? {}).map(([name, attribute]) => [name, { type: attribute.type }])),
    block_types: Object.fromEntries(
      Object.entries(block.block_types ?? {}).map(([name, nested]) => [name, { nesting_mode: nested.nesting_mode, block: trim(nested.block) }]),
    ),
  });
  const schemas = Object.fromEntries(Object.entries(aws).map(([type, schema]) => [type, { version: schema.version, block: trim(schema.block) }]));
  writeFileSync(file, JSON.stringify(schemas));
  rmSync(dir, { recursive: true, force: true });
  return schemas;
}

/**
 * The state `plan` leaves: every managed resource it keeps, creates or updates, with its planned values;
 * an unknown value is the one `previous` holds at that place, or else a placeholder of its type. Outputs
 * likewise.
 */
export function stateFromPlan(stack: string, plan: PlanForState, schemas: ResourceSchemas, previous?: TerraformState, config?: TerraformJson): TerraformState {
  const before = new Map<string, Record<string, unknown>>(
    (previous?.resources ?? []).flatMap((resource) =>
      resource.instances.map((instance): [string, Record<string, unknown>] => [
        `${resource.type}.${resource.name}${instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`}`,
        instance.attributes,
      ]),
    ),
  );
  // Without a previous state, an unknown argument that names another resource's attribute takes that
  // attribute's settled value: each pass settles one more level of such references.
  let state = statePass(stack, plan, schemas, previous, (address) => before.get(address));
  if (!previous && config) {
    for (let pass = 0; pass < REFERENCE_PASSES; pass++) {
      const settled = new Map(
        state.resources.flatMap((resource) =>
          resource.instances.length === 1 && resource.instances[0].index_key === undefined
            ? [[`${resource.type}.${resource.name}`, resource.instances[0].attributes] as const]
            : [],
        ),
      );
      state = statePass(stack, plan, schemas, previous, (address) =>
        referencedValues(config.resource?.[address.split('.')[0]]?.[address.split('.')[1]], settled),
      );
    }
  }
  return state;
}

/** Enough for the deepest chain of references within a stack (VPC, subnet, route table association). */
const REFERENCE_PASSES = 4;

/** A resource's arguments where each is one reference `${type.name.attribute...}`, as the referenced value settles. */
function referencedValues(
  config: Record<string, unknown> | undefined,
  settled: ReadonlyMap<string, Record<string, unknown>>,
): Record<string, unknown> | undefined {
  if (!config || config.for_each !== undefined || config.count !== undefined) return undefined;
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const reference = /^\$\{([a-z0-9_]+\.[\w-]+)((?:\.\w+|\[\d+\])+)\}$/.exec(value);
      if (!reference) return undefined;
      let found: unknown = settled.get(reference[1]);
      for (const [, name, index] of reference[2].matchAll(/\.(\w+)|\[(\d+)\]/g))
        found = (found as Record<string, unknown> | undefined)?.[name ?? Number(index)];
      return found;
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, part]) => [key, resolve(part)]));
    return undefined;
  };
  return resolve(config) as Record<string, unknown>;
}

/** The state of `plan`, an unknown value taken from `previousOf` its resource where that has one. */
function statePass(
  stack: string,
  plan: PlanForState,
  schemas: ResourceSchemas,
  previous: TerraformState | undefined,
  previousOf: (address: string) => Record<string, unknown> | undefined,
): TerraformState {
  const providerKeys = new Map((plan.configuration?.root_module?.resources ?? []).map((resource) => [resource.address, resource.provider_config_key]));
  const resources = new Map<string, StateResource>();
  for (const change of plan.resource_changes ?? []) {
    const { actions, after, after_unknown: unknown } = change.change;
    if (change.mode !== 'managed' || actions.includes('forget') || (actions.includes('delete') && !actions.includes('create'))) continue;
    const schema = schemas[change.type];
    if (!schema) throw new Error(`${stack}: no schema for ${change.type}`);
    const key = `${change.type}.${change.name}`;
    const alias = providerKeys.get(key)?.split('.')[1];
    const resource = resources.get(key) ?? {
      mode: 'managed' as const,
      type: change.type,
      name: change.name,
      ...(change.index === undefined ? {} : { each: typeof change.index === 'number' ? ('list' as const) : ('map' as const) }),
      provider: `provider["${change.provider_name}"]${alias ? `.${alias}` : ''}`,
      instances: [],
    };
    resources.set(key, resource);
    const attributes = settledBlock(after, unknown, schema.block, previousOf(change.address), `${stack}:${change.address}`) as Record<string, unknown>;
    resource.instances.push({
      ...(change.index === undefined ? {} : { index_key: change.index }),
      schema_version: schema.version,
      attributes,
      sensitive_attributes: [],
    });
  }
  const outputs = Object.fromEntries(
    Object.entries(plan.planned_values?.outputs ?? {}).map(([name, output]) => {
      const change = plan.output_changes?.[name];
      const previousValue = previous?.outputs[name]?.value;
      const value = output.value ?? settledValue(change?.after, change?.after_unknown, 'dynamic', previousValue, `${stack}:output.${name}`);
      return [name, { value, type: ctyType(value) }];
    }),
  );
  return {
    version: 4,
    terraform_version: '1.11.0',
    serial: (previous?.serial ?? 0) + 1,
    lineage: `offline-base-${stack}`,
    outputs,
    resources: [...resources.values()],
  };
}

/** A block's values with every unknown part settled (see settledValue). */
function settledBlock(known: unknown, unknown: unknown, block: SchemaBlock, previous: unknown, tag: string): unknown {
  const values = (known ?? {}) as Record<string, unknown>;
  const unknowns = (unknown ?? {}) as Record<string, unknown>;
  const was = { ...((previous ?? {}) as Record<string, unknown>) };
  const result: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    result[name] = settledValue(values[name], unknowns[name], attribute.type, was[name], `${tag}.${name}`);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    // cdktf writes a block of one as an object.
    if ((nested.nesting_mode === 'list' || nested.nesting_mode === 'set') && was[name] && typeof was[name] === 'object' && !Array.isArray(was[name]))
      was[name] = [was[name]];
    const settle = (item: unknown, itemUnknown: unknown, itemPrevious: unknown, at: string) => settledBlock(item, itemUnknown, nested.block, itemPrevious, at);
    if (unknowns[name] === true) result[name] = was[name] ?? (nested.nesting_mode === 'single' ? null : nested.nesting_mode === 'map' ? {} : []);
    else if (nested.nesting_mode === 'single') result[name] = values[name] == null ? null : settle(values[name], unknowns[name], was[name], `${tag}.${name}`);
    else if (nested.nesting_mode === 'map') {
      const items = (values[name] ?? {}) as Record<string, unknown>;
      result[name] = Object.fromEntries(
        Object.entries(items).map(([key, item]) => [
          key,
          settle(
            item,
            (unknowns[name] as Record<string, unknown> | undefined)?.[key],
            (was[name] as Record<string, unknown> | undefined)?.[key],
            `${tag}.${name}.${key}`,
          ),
        ]),
      );
    } else {
      const items = (values[name] ?? []) as unknown[];
      result[name] = items.map((item, index) =>
        settle(item, (unknowns[name] as unknown[] | undefined)?.[index], (was[name] as unknown[] | undefined)?.[index], `${tag}.${name}.${index}`),
      );
    }
  }
  return result;
}

/**
 * A value whose unknown parts (true in `unknown`, at any depth) are taken from `previous`, or else are a
 * placeholder of their type: a string naming the place (an ARN where the name says ARN, which providers
 * validate), 0, false, or empty.
 */
function settledValue(known: unknown, unknown: unknown, type: unknown, previous: unknown, tag: string): unknown {
  if (unknown === true) {
    const value = previous ?? placeholder(type, tag);
    return type === 'string' && (typeof value === 'number' || typeof value === 'boolean') ? String(value) : value;
  }
  if (Array.isArray(known)) {
    const element = Array.isArray(type) && (type[0] === 'list' || type[0] === 'set') ? type[1] : 'dynamic';
    return known.map((item, index) =>
      settledValue(
        item,
        (unknown as unknown[] | undefined)?.[index],
        Array.isArray(type) && type[0] === 'tuple' ? type[1][index] : element,
        (previous as unknown[] | undefined)?.[index],
        `${tag}.${index}`,
      ),
    );
  }
  if (Array.isArray(unknown) && known == null) return previous ?? [];
  if (known && typeof known === 'object') {
    const attributeType = (key: string) =>
      Array.isArray(type) ? (type[0] === 'map' ? type[1] : type[0] === 'object' ? (type[1] as Record<string, unknown>)[key] : 'dynamic') : 'dynamic';
    return Object.fromEntries(
      Object.entries(known).map(([key, item]) => [
        key,
        settledValue(
          item,
          (unknown as Record<string, unknown> | undefined)?.[key],
          attributeType(key),
          (previous as Record<string, unknown> | undefined)?.[key],
          `${tag}.${key}`,
        ),
      ]),
    );
  }
  return known ?? null;
}

/** AWS id prefixes providers validate: by the attribute's name, or for `id` by the resource type. */
const ID_PREFIXES: Readonly<Record<string, string>> = {
  aws_vpc: 'vpc-',
  vpc_id: 'vpc-',
  aws_subnet: 'subnet-',
  subnet_id: 'subnet-',
  aws_route_table: 'rtb-',
  route_table_id: 'rtb-',
  default_route_table_id: 'rtb-',
  main_route_table_id: 'rtb-',
  aws_internet_gateway: 'igw-',
  gateway_id: 'igw-',
  aws_nat_gateway: 'nat-',
  nat_gateway_id: 'nat-',
  aws_instance: 'i-',
  instance_id: 'i-',
  aws_launch_template: 'lt-',
  aws_security_group: 'sg-',
  aws_default_security_group: 'sg-',
  default_security_group_id: 'sg-',
  aws_network_acl: 'acl-',
  default_network_acl_id: 'acl-',
  aws_eip: 'eipalloc-',
  allocation_id: 'eipalloc-',
  aws_vpc_endpoint: 'vpce-',
  aws_vpc_peering_connection: 'pcx-',
  aws_vpc_peering_connection_accepter: 'pcx-',
  vpc_peering_connection_id: 'pcx-',
  primary_network_interface_id: 'eni-',
  network_interface_id: 'eni-',
  dhcp_options_id: 'dopt-',
  aws_organizations_organizational_unit: 'ou-offl-',
  aws_organizations_policy: 'p-',
  aws_organizations_organization: 'o-',
};

function placeholder(type: unknown, tag: string): unknown {
  const resourceType = tag.slice(tag.indexOf(':') + 1).split('.')[0];
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  if (Array.isArray(type)) {
    // A list of objects holds one, whose parts are placeholders too: configurations index them (roots[0].id).
    const element = type[0] === 'list' || type[0] === 'set' ? type[1] : undefined;
    if (Array.isArray(element) && element[0] === 'object') {
      return [Object.fromEntries(Object.entries(element[1] as Record<string, unknown>).map(([key, part]) => [key, placeholder(part, `${tag}.0.${key}`)]))];
    }
    return type[0] === 'map' || type[0] === 'object' ? null : [];
  }
  const name = tag.slice(tag.lastIndexOf('.') + 1);
  // The provider hashes whatever user data the state holds, anew at every plan: none never changes.
  if (name.startsWith('user_data')) return null;
  const hash = createHash('sha256').update(tag).digest('hex');
  if (name === 'arn' || name.endsWith('_arn')) return `arn:aws:offline:us-east-1:000000000000:${hash.slice(0, 17)}`;
  if (name === 'owner_id' || name === 'account_id') return '000000000000';
  const prefix = ID_PREFIXES[name === 'id' ? resourceType : name];
  if (tag.endsWith('.roots.0.id')) return `r-${hash.slice(0, 8)}`;
  return prefix ? `${prefix}${hash.slice(0, 17)}` : `offline-${hash.slice(0, 17)}`;
}

/** Where the provider's resource schemas are kept once read (gitignored, beside the offline plans). */
export const PROVIDER_SCHEMA_CACHE_DIR = resolve(__dirname, '..', '..', '.cache', 'provider-schemas');

export interface SettledStates {
  /** Holds <stack>.tfstate for every settled stack: `priorStates` of checkOffline. */
  readonly dir: string;
  /** Stack -> why it has no state to plan against (no base plan, or it did not settle). */
  readonly unsettled: ReadonlyMap<string, string>;
}

/** How many times the base is planned against its own state at most: each resolves one more level of references. */
const SETTLING_ROUNDS = 6;

/**
 * The states the base's offline plans leave, settled: `baseOutdir` is the base review's --out (its
 * manifest, stacks and plans); the work happens in `workDir`. Each round plans every base stack against its
 * state and takes the plan's values, until no stack plans a change. `only`: settle these stacks alone (the
 * others are left unsettled).
 */
export async function settleBaseStates(
  baseOutdir: string,
  workDir: string,
  options: { cache?: string; schemaCache: string; log?: (line: string) => void; only?: readonly string[] },
): Promise<SettledStates> {
  const log = options.log ?? (() => undefined);
  rmSync(workDir, { recursive: true, force: true });
  const outdir = join(workDir, 'cdktf.out');
  const dir = join(workDir, 'states');
  mkdirSync(dir, { recursive: true });
  cpSync(join(baseOutdir, 'manifest.json'), join(outdir, 'manifest.json'));
  cpSync(join(baseOutdir, 'stacks'), join(outdir, 'stacks'), { recursive: true, filter: (path) => !path.includes('/.terraform') });
  const stacks = readSynthesized(outdir);
  const aws = requiredProviders(stacks).find((requirement) => requirement.source === 'hashicorp/aws');
  const schemas = await awsResourceSchemas(findTerraform(), providerSource(requiredProviders(stacks)), aws?.version ?? '', options.schemaCache);
  const unsettled = new Map<string, string>();
  const states = new Map<string, TerraformState>();
  for (const stack of stacks) {
    const planFile = join(baseOutdir, 'plans', `${stack.name}.json`);
    if (options.only && !options.only.includes(stack.name)) unsettled.set(stack.name, 'not asked for');
    else if (!existsSync(planFile)) unsettled.set(stack.name, 'the base review has no plan of it');
    else states.set(stack.name, stateFromPlan(stack.name, JSON.parse(readFileSync(planFile, 'utf8')) as PlanForState, schemas, undefined, stack.json));
  }
  let moving = [...states.keys()];
  for (let round = 1; round <= SETTLING_ROUNDS && moving.length > 0; round++) {
    for (const [stack, state] of states) writeFileSync(join(dir, `${stack}.tfstate`), JSON.stringify(state, null, 2));
    // Every stack again, not only those still changing: a stack planned alone would read the others' outputs
    // from placeholders, not from their states; those unchanged come from the offline cache.
    const results = await checkOffline({ outdir, planJson: true, cache: options.cache, priorStates: dir, only: [...states.keys()] });
    moving = [];
    for (const result of results) {
      if (!result.ok) {
        unsettled.set(
          result.stack,
          `its base could not be planned against its own state: ${(result.error ?? '').split('\n').find((line) => line.startsWith('Error')) ?? 'see the log'}`,
        );
        states.delete(result.stack);
        rmSync(join(dir, `${result.stack}.tfstate`), { force: true });
        continue;
      }
      const plan = JSON.parse(readFileSync(result.planFile!, 'utf8')) as PlanForState;
      const changing = (plan.resource_changes ?? []).filter(
        (change) => change.mode === 'managed' && !change.change.actions.every((action) => action === 'no-op' || action === 'read'),
      );
      if (changing.length === 0) continue;
      moving.push(result.stack);
      states.set(result.stack, stateFromPlan(result.stack, plan, schemas, states.get(result.stack)));
    }
    log(`base state round ${round}: ${moving.length ? `still changing ${moving.join(', ')}` : 'settled'}`);
  }
  for (const stack of moving) {
    unsettled.set(stack, `its base still plans changes against its own state after ${SETTLING_ROUNDS} rounds`);
    rmSync(join(dir, `${stack}.tfstate`), { force: true });
  }
  return { dir, unsettled };
}

/**
 * `plan`, made against the base's settled state, with the values only that state supplied taken out: a
 * value the base's own plan did not know (an id, an instance type a launch template decides) and which
 * the state still holds is a placeholder, not what AWS will hold; the review reads the plan as it reads one
 * made against an empty state, where such values are unknown.
 */
export function withoutPlaceholders<
  Plan extends { readonly resource_changes?: readonly { readonly address: string; readonly change: object & { readonly after?: unknown } }[] },
>(plan: Plan, basePlan: PlanForState, state: TerraformState): Plan {
  const baseUnknown = new Map((basePlan.resource_changes ?? []).map((change) => [change.address, change.change.after_unknown]));
  const stateValues = new Map(
    state.resources.flatMap((resource) =>
      resource.instances.map((instance): [string, unknown] => [
        `${resource.type}.${resource.name}${instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`}`,
        instance.attributes,
      ]),
    ),
  );
  const strip = (value: unknown, unknown: unknown, settled: unknown): unknown => {
    if (unknown === true) return JSON.stringify(value) === JSON.stringify(settled) ? undefined : value;
    if (Array.isArray(value))
      return value.map((item, index) => strip(item, (unknown as unknown[] | undefined)?.[index], (settled as unknown[] | undefined)?.[index]));
    if (value && typeof value === 'object' && unknown && typeof unknown === 'object') {
      return Object.fromEntries(
        Object.entries(value).flatMap(([key, item]) => {
          const kept = strip(item, (unknown as Record<string, unknown>)[key], (settled as Record<string, unknown> | undefined)?.[key]);
          return kept === undefined ? [] : [[key, kept]];
        }),
      );
    }
    return value;
  };
  return {
    ...plan,
    resource_changes: (plan.resource_changes ?? []).map((change) =>
      baseUnknown.has(change.address) && stateValues.has(change.address)
        ? { ...change, change: { ...change.change, after: strip(change.change.after, baseUnknown.get(change.address), stateValues.get(change.address)) } }
        : change,
    ),
  } as Plan;
}
