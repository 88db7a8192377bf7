// A group of the identity account: its members' own permissions there, and the right to assume exactly
// the cross-account roles of its row of the matrix.
import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupPolicy } from '@cdktf/provider-aws/lib/iam-group-policy';
import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { Construct } from 'constructs';
import { policyDocument, policyJson } from '../common/policy';
import { type AttachablePolicy, attachmentId } from './permission-policies';

export interface JobFunctionGroupProps {
  readonly groupName: string;
  readonly policies: readonly AttachablePolicy[];
  /** The roles in other accounts its members may switch into: exactly these, nothing wider. */
  readonly assumableRoleArns: readonly string[];
}

export class JobFunctionGroup extends Construct {
  readonly group: IamGroup;

  constructor(scope: Construct, id: string, props: JobFunctionGroupProps) {
    super(scope, id);
    this.group = new IamGroup(this, 'group', { name: props.groupName });
    for (const policy of props.policies) {
      new IamGroupPolicyAttachment(this, attachmentId(policy), { group: this.group.name, policyArn: policy.arn, dependsOn: policy.dependsOn && [policy.dependsOn] });
    }
    if (props.assumableRoleArns.length > 0) {
      new IamGroupPolicy(this, 'assume-roles', {
        group: this.group.name,
        name: 'assume-cross-account-roles',
        policy: policyJson(
          policyDocument({ Sid: 'SwitchIntoTheRolesOfThisGroup', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: [...props.assumableRoleArns] }),
        ),
      });
    }
  }
}
