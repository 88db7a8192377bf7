// An IAM Identity Center permission set: what its role holds in every account it is assigned in (AWS
// managed policies attached, the project's own inline) and how long its sessions last.
import { SsoadminManagedPolicyAttachment } from '@cdktf/provider-aws/lib/ssoadmin-managed-policy-attachment';
import { SsoadminPermissionSet } from '@cdktf/provider-aws/lib/ssoadmin-permission-set';
import { SsoadminPermissionSetInlinePolicy } from '@cdktf/provider-aws/lib/ssoadmin-permission-set-inline-policy';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { awsManagedPolicyArn, type Partition } from '../../naming/arn';
import type { PolicyDocument } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';

export interface PermissionSetProps {
  readonly instanceArn: string;
  /** The provider acting in the administering account, in Identity Center's region. */
  readonly provider?: TerraformProvider;
  readonly name: string;
  readonly description: string;
  /** ISO 8601 (PT4H). */
  readonly sessionDuration: string;
  readonly partition: Partition;
  /** AWS managed policies by path/name (job-function/Billing). */
  readonly awsManagedPolicies: readonly string[];
  readonly inlinePolicy?: PolicyDocument;
}

export class PermissionSet extends Construct {
  readonly permissionSet: SsoadminPermissionSet;

  constructor(scope: Construct, id: string, props: PermissionSetProps) {
    super(scope, id);
    const { provider } = props;
    this.permissionSet = new SsoadminPermissionSet(this, 'permission-set', {
      provider,
      instanceArn: props.instanceArn,
      name: props.name,
      description: props.description,
      sessionDuration: props.sessionDuration,
    });
    const permissionSetArn = this.permissionSet.arn;
    for (const policy of props.awsManagedPolicies) {
      new SsoadminManagedPolicyAttachment(this, `attach-${policy.slice(policy.lastIndexOf('/') + 1)}`, {
        provider,
        instanceArn: props.instanceArn,
        permissionSetArn,
        managedPolicyArn: awsManagedPolicyArn(props.partition, policy),
      });
    }
    if (props.inlinePolicy) {
      new SsoadminPermissionSetInlinePolicy(this, 'inline-policy', {
        provider,
        instanceArn: props.instanceArn,
        permissionSetArn,
        inlinePolicy: policyJson(props.inlinePolicy),
      });
    }
  }
}
