// What the review reads: the resolved description, every synthesized stack and, where one exists, its
// offline plan (cdktf.out/plans/<stack>.json, written by plan:offline). Each stack's resources are read
// the same way from either: the plan when the stack was planned, its Terraform JSON otherwise.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Organization } from '../../../description/model';
import { stacksInService } from '../../../stacks/organization-app';
import { type PlanForState, type TerraformState, withoutPlaceholders } from '../base-state';
import { planTextFile } from '../offline-plan';
import { readSynthesized, type TerraformJson } from '../synthesized';

/** The parts of `terraform show -json <plan>` the review reads. */
export interface PlanJson {
  readonly resource_changes?: readonly PlannedChange[];
  readonly configuration?: {
    readonly provider_config?: Record<string, { expressions?: Record<string, { constant_value?: unknown }> }>;
    readonly root_module?: { resources?: readonly ConfiguredResource[] };
  };
}

interface PlannedChange {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly after?: Record<string, unknown> | null;
    /** The attribute paths that force a replacement. */
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
}

interface ConfiguredResource {
  readonly address: string;
  readonly mode: string;
  readonly provider_config_key: string;
  readonly expressions?: unknown;
}

export interface StackInput {
  readonly name: string;
  /** The stacks cdktf deploys before this one. */
  readonly dependencies: readonly string[];
  /** 1 for the first stacks deployed; a stack deploys in the wave after the last of its dependencies. */
  readonly wave: number;
  readonly json: TerraformJson;
  readonly plan?: PlanJson;
  /** Its `terraform show` text is beside the plan's JSON (<outdir>/plans/<stack>.txt). */
  readonly planText?: boolean;
  /** The plan was made against the state the base review's plan leaves (or the stack is new since the base). */
  readonly againstBase?: boolean;
  /** With a base, why the plan was not made against its state. */
  readonly notAgainstBase?: string;
  /** Why there is no plan: not planned, or the plan failed (terraform's first line). */
  readonly notPlanned?: string;
}

export interface ReviewInputs {
  readonly org: Organization;
  /** In the order `cdktf deploy '*'` runs them: bootstrap, management, the member accounts, vpc-peering. */
  readonly stacks: readonly StackInput[];
  /** Each retired account's stack as it was in service: what Terraform forgot, which stays in AWS and is billed. */
  readonly retired: readonly { readonly account: string; readonly json: TerraformJson }[];
}

/** Why a stack without a plan file has none, when the caller knows better than "not planned". */
export type PlanFailures = ReadonlyMap<string, string>;

export const NOT_PLANNED = 'not planned';

/** With a base review: the stacks planned against the state it leaves, and why the others were not. */
export interface BasePlanning {
  readonly againstBase: ReadonlySet<string>;
  /** The base's plans and the settled states the current stacks were planned against, each <stack>.json and <stack>.tfstate. */
  readonly basePlansDir?: string;
  readonly statesDir?: string;
  readonly notAgainstBase: ReadonlyMap<string, string>;
}

/** The synthesized stacks in `outdir` with the plans found in <outdir>/plans, in deploy order. */
export function readReviewInputs(org: Organization, outdir: string, failures: PlanFailures = new Map(), base?: BasePlanning): ReviewInputs {
  const synthesized = readSynthesized(outdir);
  const waves = new Map<string, number>();
  const wave = (name: string): number => {
    if (!waves.has(name)) waves.set(name, 1 + Math.max(0, ...synthesized.find((stack) => stack.name === name)!.dependencies.map(wave)));
    return waves.get(name)!;
  };
  const stacks = synthesized.map((stack): StackInput => {
    if (!stack.json) throw new Error(`${stack.name}: the review reads the JSON synth (npm run synth), not HCL`);
    const planFile = join(outdir, 'plans', `${stack.name}.json`);
    const failure = failures.get(stack.name);
    const common = { name: stack.name, dependencies: stack.dependencies, wave: wave(stack.name), json: stack.json };
    if (failure || !existsSync(planFile)) return { ...common, notPlanned: failure ?? NOT_PLANNED };
    const against =
      base &&
      (base.againstBase.has(stack.name) ? { againstBase: true } : { notAgainstBase: base.notAgainstBase.get(stack.name) ?? 'planned against an empty state' });
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as PlanJson;
    return {
      ...common,
      ...against,
      plan: base ? valuesOfBase(plan, stack.name, base) : plan,
      ...(existsSync(planTextFile(planFile)) ? { planText: true } : {}),
    };
  });
  // Within a wave, the management account first, then by name, as the description orders accounts.
  const rank = (name: string) => accountRank(org, name);
  const inService = stacksInService(org);
  return {
    org,
    stacks: stacks.sort((a, b) => a.wave - b.wave || rank(a.name) - rank(b.name) || a.name.localeCompare(b.name)),
    retired: org.retiredAccounts.map((account) => ({ account: account.name, json: inService!.get(account.name)!.toTerraform() as TerraformJson })),
  };
}

/** A plan made against the base's settled state, read without the placeholders of that state (base-state.ts). */
function valuesOfBase(plan: PlanJson, stack: string, base: BasePlanning): PlanJson {
  const basePlan = base.basePlansDir && join(base.basePlansDir, `${stack}.json`);
  const state = base.statesDir && join(base.statesDir, `${stack}.tfstate`);
  if (!base.againstBase.has(stack) || !basePlan || !state || !existsSync(basePlan) || !existsSync(state)) return plan;
  return withoutPlaceholders(plan, JSON.parse(readFileSync(basePlan, 'utf8')) as PlanForState, JSON.parse(readFileSync(state, 'utf8')) as TerraformState);
}

/** The resources a retired account's stack held in service and Terraform forgot: still in AWS. */
export function resourcesLeftInAws(inputs: ReviewInputs): StackResource[] {
  return inputs.retired.flatMap(({ account, json }) => synthesizedResources(account, json));
}

/** The name of the account with this id, in service or retired; the id itself for an account the description does not hold. */
export function accountName(org: Organization, accountId: string): string {
  return [...org.accounts, ...org.retiredAccounts].find((account) => account.id === accountId)?.name ?? accountId;
}

/** An account's place in the description (the management account first): the order every section lists accounts in. */
export function accountRank(org: Organization, name: string): number {
  return org.accounts.findIndex((account) => account.name === name);
}

/** One resource instance a stack makes, with the account and region its provider acts in. */
export interface StackResource {
  readonly stack: string;
  /** As terraform shows it, with its for_each key. */
  readonly address: string;
  readonly type: string;
  readonly accountId: string;
  readonly region: string;
  /** Its arguments as far as they are known before apply. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The resources (type.name) its arguments refer to. */
  readonly references: readonly string[];
}

export interface ProviderPlacement {
  readonly accountId: string;
  readonly region: string;
}

/** What the stack's plan leaves in place after apply, or, unplanned, what its configuration makes. */
export function stackResources(stack: StackInput): StackResource[] {
  return stack.plan ? plannedResources(stack.name, stack.plan) : synthesizedResources(stack.name, stack.json);
}

function plannedResources(stack: string, plan: PlanJson): StackResource[] {
  const providers = new Map(
    Object.entries(plan.configuration?.provider_config ?? {}).map(([key, config]): [string, ProviderPlacement] => {
      const constant = (name: string) => config.expressions?.[name]?.constant_value;
      return [key, { accountId: (constant('allowed_account_ids') as string[] | undefined)?.[0] ?? '', region: String(constant('region') ?? '') }];
    }),
  );
  const configured = new Map((plan.configuration?.root_module?.resources ?? []).map((resource) => [resource.address, resource]));
  return (plan.resource_changes ?? []).flatMap((change): StackResource[] => {
    const { actions } = change.change;
    if (change.mode !== 'managed' || actions.every((action) => action === 'delete' || action === 'read')) return [];
    const configuration = configured.get(`${change.type}.${change.name}`);
    const placement = providers.get(configuration?.provider_config_key ?? 'aws') ?? { accountId: '', region: '' };
    return [
      {
        stack,
        address: change.address,
        type: change.type,
        ...placement,
        values: change.change.after ?? {},
        references: planReferences(configuration?.expressions),
      },
    ];
  });
}

/** Resource addresses among the references terraform lists for an expression, at any depth. */
function planReferences(expressions: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'references' && Array.isArray(value)) for (const reference of value) addResourceAddress(found, String(reference));
        else visit(value);
      }
    }
  };
  visit(expressions);
  return [...found];
}

/** Where each AWS provider of a synthesized stack acts, by the key resources name it with: "aws" or "aws.<alias>". */
export function synthesizedProviders(json: TerraformJson): Map<string, ProviderPlacement> {
  return new Map(
    (json.provider?.aws ?? []).map((provider): [string, ProviderPlacement] => [
      provider.alias ? `aws.${provider.alias}` : 'aws',
      { accountId: (provider.allowed_account_ids as string[] | undefined)?.[0] ?? '', region: String(provider.region ?? '') },
    ]),
  );
}

function synthesizedResources(stack: string, json: TerraformJson): StackResource[] {
  const providers = synthesizedProviders(json);
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).flatMap(([name, config]) => {
      const placement = providers.get(String(config.provider ?? 'aws')) ?? { accountId: '', region: '' };
      const references = new Set<string>();
      for (const [, expression] of JSON.stringify(config).matchAll(/\$\{([a-z0-9_]+\.[\w-]+)/g)) addResourceAddress(references, expression);
      const forEach = config.for_each;
      // A for_each over a literal map makes one instance per key; over a reference, its keys are known at plan.
      const keys = forEach && typeof forEach === 'object' ? Object.keys(forEach) : [undefined];
      return keys.map((key) => ({
        stack,
        address: `${type}.${name}${key === undefined ? '' : `[${JSON.stringify(key)}]`}`,
        type,
        ...placement,
        values: config,
        references: [...references],
      }));
    }),
  );
}

/** Keeps `reference` (type.name[.attribute...]) when it names a resource: local., var., each., data. never do. */
function addResourceAddress(found: Set<string>, reference: string): void {
  const [type, name] = reference.split('.');
  if (name && /^[a-z0-9]+_[a-z0-9_]+$/.test(type)) found.add(`${type}.${name}`);
}
