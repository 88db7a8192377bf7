// The policies behind the permission names of an account's matrix cells: AWS managed policies by ARN, and
// the project's own policies (custom-policies.ts), created once in the account whichever cells use them.
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { awsManagedPolicyArn, iamPolicyArn, type Partition } from '../../naming/arn';
import { policyJson } from '../common/policy';
import { attachedPolicies, CUSTOM_POLICIES, type CustomPolicyName } from '../../catalog/custom-policies';

/** A policy to attach: its ARN, computed at synth, and the resource to wait for when the account creates it. */
export interface AttachablePolicy {
  readonly arn: string;
  readonly dependsOn?: ITerraformDependable;
}

export interface PermissionPoliciesProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly accountId: string;
}

export class PermissionPolicies extends Construct {
  private readonly created = new Map<string, IamPolicy>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: PermissionPoliciesProps,
  ) {
    super(scope, id);
  }

  /** The policies that `permissions` (AWS managed names with their path, or custom names) attach. */
  policiesFor(permissions: readonly string[]): AttachablePolicy[] {
    const { awsManaged, custom } = attachedPolicies(permissions);
    return [
      ...awsManaged.map((name) => ({ arn: awsManagedPolicyArn(this.props.partition, name) })),
      ...custom.map((name) => ({ arn: iamPolicyArn(this.props.partition, this.props.accountId, name), dependsOn: this.customPolicy(name) })),
    ];
  }

  private customPolicy(name: CustomPolicyName): IamPolicy {
    let policy = this.created.get(name);
    if (!policy) {
      const custom = CUSTOM_POLICIES[name];
      policy = new IamPolicy(this, name, {
        name,
        description: custom.description,
        policy: policyJson(custom.document(this.props.partition, this.props.accountId)),
      });
      this.created.set(name, policy);
    }
    return policy;
  }
}

/** The construct id of an attachment: the policy's name, stable whatever the order of the cell. */
export function attachmentId(policy: AttachablePolicy): string {
  return `attach-${policy.arn.slice(policy.arn.lastIndexOf('/') + 1)}`;
}
