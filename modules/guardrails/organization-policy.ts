// An organization policy (service control or tag policy) and its attachments to the root, OUs or accounts.
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { constructId } from '../common/construct-id';

export type OrganizationPolicyType = 'SERVICE_CONTROL_POLICY' | 'TAG_POLICY';

export interface PolicyTarget {
  /** How the target is named in construct ids: root, an OU path or an account name. */
  readonly name: string;
  /** The root, OU or account id. */
  readonly id: string;
}

export interface OrganizationPolicyProps {
  readonly name: string;
  readonly description: string;
  readonly type: OrganizationPolicyType;
  /** The policy document as JSON, literal. */
  readonly content: string;
  readonly targets: readonly PolicyTarget[];
  /** The organization, whose policy types must be enabled before a policy is attached. */
  readonly organization: ITerraformDependable;
}

export class OrganizationPolicy extends Construct {
  readonly policy: OrganizationsPolicy;

  constructor(scope: Construct, id: string, props: OrganizationPolicyProps) {
    super(scope, id);
    this.policy = new OrganizationsPolicy(this, 'policy', {
      name: props.name,
      description: props.description,
      type: props.type,
      content: props.content,
      dependsOn: [props.organization],
    });
    for (const target of props.targets) {
      new OrganizationsPolicyAttachment(this, constructId('attachment', target.name), {
        policyId: this.policy.id,
        targetId: target.id,
      });
    }
  }
}
