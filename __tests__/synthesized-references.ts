// Follows references through synthesized stacks, so that tests can say what a value in one stack IS:
// a route's table is "dev's aws_route_table.x", its connection "vpc-peering's accepter of dev and qa",
// across locals, for_each instances and cross-stack remote state. It understands the expressions the
// project writes (traversals, for expressions over resources, string templates), not all of HCL.
import type { SynthesizedStack, TerraformJson } from '../scripts/lib/synthesized';

/** A resource instance, as references to it evaluate: "<stack>:<type>.<name>" plus ["<key>"] under for_each. */
export class ResourceInstance {
  constructor(
    readonly stack: string,
    readonly type: string,
    readonly name: string,
    readonly key: string | undefined,
  ) {}

  get address(): string {
    return `${this.stack}:${this.type}.${this.name}${this.key === undefined ? '' : `["${this.key}"]`}`;
  }

  /** An attribute known only after apply, e.g. "dev:aws_vpc.vpc.id". */
  attribute(name: string): string {
    return `${this.address}.${name}`;
  }
}

export interface Instance {
  readonly resource: ResourceInstance;
  /** The provider configuration it uses: "aws" or "aws.<alias>". */
  readonly provider: string;
  /** An attribute of its configuration, evaluated. */
  get(attribute: string): unknown;
}

interface Scope {
  readonly stack: string;
  readonly each?: { readonly key: string; readonly value: unknown };
}

export class SynthesizedReferences {
  private readonly stacks: Map<string, TerraformJson>;

  constructor(stacks: readonly SynthesizedStack[]) {
    this.stacks = new Map(stacks.map((stack) => [stack.name, stack.json!]));
  }

  private readonly expanded = new Map<string, Instance[]>();

  /** Every instance of every block of `type` in `stack`, for_each expanded. */
  instances(stack: string, type: string): Instance[] {
    const key = `${stack} ${type}`;
    if (!this.expanded.has(key)) this.expanded.set(key, this.expand(stack, type));
    return this.expanded.get(key)!;
  }

  private expand(stack: string, type: string): Instance[] {
    return Object.entries(this.json(stack).resource?.[type] ?? {}).flatMap(([name, block]) => {
      const provider = (block.provider as string | undefined) ?? 'aws';
      const each = block.for_each === undefined ? [undefined] : Object.entries(this.evaluate(block.for_each, { stack }) as Record<string, unknown>);
      return each.map((entry) => {
        const scope: Scope = { stack, each: entry && { key: entry[0], value: entry[1] } };
        const evaluated = new Map<string, unknown>();
        const get = (attribute: string) => {
          if (!evaluated.has(attribute)) evaluated.set(attribute, this.evaluate(block[attribute], scope));
          return evaluated.get(attribute);
        };
        return { resource: new ResourceInstance(stack, type, name, entry?.[0]), provider, get };
      });
    });
  }

  /** The account a provider configuration of `stack` acts in (its only allowed account). */
  providerAccount(stack: string, provider: string): string {
    const alias = provider === 'aws' ? undefined : provider.replace(/^aws\./, '');
    const config = (this.json(stack).provider?.aws ?? []).find((candidate) => candidate.alias === alias);
    if (!config) throw new Error(`${stack}: no provider ${provider}`);
    return (config.allowed_account_ids as string[])[0];
  }

  private json(stack: string): TerraformJson {
    const json = this.stacks.get(stack);
    if (!json) throw new Error(`no synthesized stack ${stack}`);
    return json;
  }

  evaluate(value: unknown, scope: Scope): unknown {
    if (Array.isArray(value)) return value.map((item) => this.evaluate(item, scope));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.evaluate(item, scope)]));
    if (typeof value !== 'string' || !value.includes('${')) return value;
    const whole = /^\$\{([\s\S]*)\}$/.exec(value);
    if (whole && !whole[1].includes('${')) return this.expression(whole[1].trim(), scope);
    return value.replace(/\$\{([^}]*)\}/g, (_, expression: string) => String(this.expression(expression.trim(), scope)));
  }

  private expression(text: string, scope: Scope): unknown {
    const forMap = /^\{\s*for\s+(\w+),\s*(\w+)\s+in\s+(.+?)\s*:\s*\1\s*=>\s*\2\.([\w-]+)\s*\}$/.exec(text);
    if (forMap) {
      const collection = this.expression(forMap[3], scope) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(collection).map(([key, item]) => [key, this.traverse(item, [forMap[4]])]));
    }
    const [root, ...rest] = this.parseTraversal(text, scope);
    const json = this.json(scope.stack);
    if (root === 'each') {
      const [what, ...path] = rest;
      if (!scope.each) throw new Error(`each.${what} outside for_each`);
      return this.traverse(what === 'key' ? scope.each.key : scope.each.value, path);
    }
    if (root === 'local') {
      const [name, ...path] = rest;
      return this.traverse(this.evaluate((json as { locals?: Record<string, unknown> }).locals?.[name], { stack: scope.stack }), path);
    }
    if (root === 'data' && rest[0] === 'terraform_remote_state') {
      const [, input, outputs, output, ...path] = rest;
      if (outputs !== 'outputs') throw new Error(`unexpected remote state traversal in ${text}`);
      const producer = input.replace(/^cross-stack-reference-input-/, '');
      const value = this.json(producer).output?.[output]?.value;
      if (value === undefined) throw new Error(`${producer} has no output ${output}`);
      return this.traverse(this.evaluate(value, { stack: producer }), path);
    }
    if (root.startsWith('aws_')) {
      const [name, ...path] = rest;
      const block = json.resource?.[root]?.[name];
      if (!block) throw new Error(`${scope.stack}: no resource ${root}.${name}`);
      const resource =
        block.for_each === undefined
          ? new ResourceInstance(scope.stack, root, name, undefined)
          : Object.fromEntries(
              Object.keys(this.evaluate(block.for_each, { stack: scope.stack }) as object).map((key) => [
                key,
                new ResourceInstance(scope.stack, root, name, key),
              ]),
            );
      return this.traverse(resource, path);
    }
    throw new Error(`cannot evaluate ${text}`);
  }

  private traverse(value: unknown, path: readonly string[]): unknown {
    let current = value;
    for (const step of path) {
      if (current instanceof ResourceInstance) current = current.attribute(step);
      else if (current && typeof current === 'object' && step in current) current = (current as Record<string, unknown>)[step];
      else throw new Error(`no ${step} in ${JSON.stringify(current)}`);
    }
    return current;
  }

  /** "a.b[each.key].c[\"d\"]" -> ["a", "b", <each.key evaluated>, "c", "d"]. */
  private parseTraversal(text: string, scope: Scope): string[] {
    const steps: string[] = [];
    let rest = text;
    while (rest.length > 0) {
      const name = /^\.?([A-Za-z_][\w-]*)/.exec(rest);
      const quoted = /^\["([^"]*)"\]/.exec(rest);
      const indexed = /^\[([^\]"]+)\]/.exec(rest);
      if (name) steps.push(name[1]);
      else if (quoted) steps.push(quoted[1]);
      else if (indexed) steps.push(String(this.expression(indexed[1].trim(), scope)));
      else throw new Error(`cannot parse ${text} at ${rest}`);
      rest = rest.slice((name ?? quoted ?? indexed)![0].length);
    }
    return steps;
  }
}
