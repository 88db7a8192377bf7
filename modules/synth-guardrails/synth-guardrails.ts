// A cdktf Aspect that applies the rules to every stack and fails the synth, naming each offending
// resource, when one is broken.
import { Annotations, DefaultTokenResolver, type IAspect, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { IamQuotas } from './limits';
import { INSPECTED_TYPES, type ResourceView, RULES, type RuleContext } from './rules';

export class SynthGuardrails implements IAspect {
  private readonly context: RuleContext;

  constructor(props: { organizationAccountIds: readonly string[]; iamQuotas: IamQuotas }) {
    this.context = { organizationAccountIds: new Set(props.organizationAccountIds), iamQuotas: props.iamQuotas };
  }

  visit(node: IConstruct): void {
    // Rules look across a stack's resources (a bucket and its encryption configuration), so they run
    // once per stack rather than once per resource.
    if (!(node instanceof TerraformStack)) return;
    const views = new Map<ResourceView, TerraformResource>();
    for (const child of node.node.findAll()) {
      if (child instanceof TerraformResource && INSPECTED_TYPES.has(child.terraformResourceType)) views.set(viewOf(child), child);
    }
    for (const rule of RULES) {
      for (const violation of rule([...views.keys()], this.context)) {
        const resource = views.get(violation.resource)!;
        Annotations.of(resource).addError(`${resource.terraformResourceType} ${JSON.stringify(displayName(violation.resource))}: ${violation.message}`);
      }
    }
  }
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

function viewOf(resource: TerraformResource): ResourceView {
  // Resolved, so that references read as they will be synthesized (${aws_s3_bucket.state.id}). Aspects
  // run after cdktf has prepared the stacks, so resolving here creates no cross-stack output.
  const rendered = Tokenization.resolve(resource.toTerraform(), { scope: resource, preparing: false, resolver: RESOLVER }) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  const [[logicalId, attributes]] = Object.entries(rendered.resource[resource.terraformResourceType]);
  return { type: resource.terraformResourceType, logicalId, attributes };
}

function displayName(view: ResourceView): string {
  return String(view.attributes.name ?? view.attributes.bucket ?? view.logicalId);
}
