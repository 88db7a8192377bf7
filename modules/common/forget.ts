// Letting Terraform forget what it manages without destroying it: `removed` blocks with destroy = false
// (Terraform >= 1.7), for which cdktf 0.21 has no construct. A removed block cannot name one instance of a
// for_each resource, so such an instance is first moved to an address of its own, then forgotten there.
// Once applied, the blocks are no-ops: they may stay for good.
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { Construct } from 'constructs';

/** Every element that makes Terraform forget something, with the addresses its removed blocks name. */
abstract class Forgetting extends TerraformElement {
  /** The addresses Terraform forgets, each in a removed block. */
  abstract removedAddresses(): string[];

  /** Moves that precede the removals: instance address -> address of its own. */
  protected moves(): [string, string][] {
    return [];
  }

  override toTerraform(): object {
    const moves = this.moves();
    return {
      ...(moves.length > 0 ? { moved: moves.map(([from, to]) => ({ from, to })) } : {}),
      removed: this.removedAddresses().map((from) => ({
        from,
        lifecycle: { destroy: false },
      })),
    };
  }

  // cdktf renders moved blocks; the removed ones are appended by the stack (ForgettingStack).
  override toHclTerraform(): object {
    const reference = (value: string) => ({
      value,
      type: 'simple',
      storageClassType: 'reference',
    });
    const moves = this.moves();
    return moves.length > 0
      ? {
          moved: moves.map(([from, to]) => ({
            from: reference(from),
            to: reference(to),
          })),
        }
      : {};
  }
}

/**
 * Stands at the construct path where a resource of `resourceType` was built, which gives it the
 * resource's address: Terraform forgets the resource, every instance of it, without destroying it.
 */
export class ForgottenResource extends Forgetting {
  constructor(
    scope: Construct,
    id: string,
    private readonly resourceType: string,
  ) {
    super(scope, id);
  }

  removedAddresses(): string[] {
    return [`${this.resourceType}.${this.friendlyUniqueId}`];
  }
}

/** Terraform forgets these instances (for_each keys) of `resource`, which stays, without destroying them. */
export class ForgottenInstances extends Forgetting {
  private readonly keys: readonly string[];

  constructor(
    private readonly resource: TerraformResource,
    keys: readonly string[],
  ) {
    super(resource, 'forgotten-instances');
    this.keys = [...keys].sort();
  }

  protected override moves(): [string, string][] {
    const address = `${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}`;
    const moves = this.keys.map((key): [string, string] => [
      `${address}[${JSON.stringify(key)}]`,
      `${address}_forgotten_${key.replace(/[^A-Za-z0-9_-]/g, '_')}`,
    ]);
    const targets = new Set(moves.map(([, to]) => to));
    if (targets.size < moves.length) throw new Error(`${address}: keys ${this.keys.join(', ')} do not map to distinct addresses to forget`);
    return moves;
  }

  removedAddresses(): string[] {
    return this.moves().map(([, to]) => to);
  }
}

/** A stack that may hold forgotten resources: cdktf's HCL renderer knows no removed blocks, so it appends them. */
export class ForgettingStack extends TerraformStack {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdktf's own signature
  override toHclTerraform(): { [key: string]: any } {
    const rendered = super.toHclTerraform();
    const removed = this.node
      .findAll()
      .filter((node): node is Forgetting => node instanceof Forgetting)
      .flatMap((element) => element.removedAddresses())
      .map((from) => `removed {\n  from = ${from}\n  lifecycle {\n    destroy = false\n  }\n}`);
    return removed.length > 0 ? { ...rendered, hcl: `${rendered.hcl}\n\n${removed.join('\n\n')}\n` } : rendered;
  }
}

/**
 * The keys of a for_each block over literal data, known at synth; undefined when they come from
 * Terraform (a reference), which no synth can compare.
 */
function forEachKeys(resource: TerraformResource): string[] | undefined {
  const expression = resource.forEach?._getForEachExpression();
  if (expression === undefined) return undefined;
  const resolved = Tokenization.resolve(expression, { scope: resource, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
  return resolved !== null && typeof resolved === 'object' && !Array.isArray(resolved) ? Object.keys(resolved) : undefined;
}

/**
 * Makes `into` forget every resource `source` (a stack with the same name, built aside) holds and `into`
 * does not, each at the same construct path, hence the same address: whole blocks, and the instances of
 * for_each blocks both hold that only `source` has. Resources `keep` refuses are left to Terraform's plan.
 */
export function forgetResourcesOf(source: TerraformStack, into: TerraformStack, keep: (resource: TerraformResource) => boolean = () => false): void {
  for (const resource of source.node.findAll().filter((node): node is TerraformResource => node instanceof TerraformResource)) {
    if (keep(resource)) continue;
    const scopes = resource.node.scopes;
    let scope: Construct = into;
    for (const parent of scopes.slice(scopes.indexOf(source) + 1, -1)) scope = scope.node.tryFindChild(parent.node.id) ?? new Construct(scope, parent.node.id);
    const held = scope.node.tryFindChild(resource.node.id);
    if (!held) {
      new ForgottenResource(scope, resource.node.id, resource.terraformResourceType);
      continue;
    }
    const before = forEachKeys(resource);
    const after = held instanceof TerraformResource ? forEachKeys(held) : undefined;
    const gone = before && after ? before.filter((key) => !after.includes(key)) : [];
    if (gone.length > 0) new ForgottenInstances(held as TerraformResource, gone);
  }
}
