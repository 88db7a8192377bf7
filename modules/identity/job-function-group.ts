// A group of the identity account: its members' own permissions there, and the right to assume exactly
// the cross-account roles of its row of the matrix.
import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupPolicy } from '@cdktf/provider-aws/lib/iam-group-policy';
import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';
import { iamRoleArn, type Partition } from '../../naming/arn';
import { type PolicyStatement, policyDocument } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';
import { type AttachablePolicy, attachmentId } from './permission-policies';

/**
 * The accounts whose role of the group's name its members may assume: listed by id, or every account of
 * the organization but one (the group's own account, when the row reaches every other member account).
 */
export type AssumableAccounts = { readonly accountIds: readonly string[] } | { readonly organizationId: string; readonly exceptAccountId: string };

export interface JobFunctionGroupProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly groupName: string;
  readonly policies: readonly AttachablePolicy[];
  /** The roles in other accounts its members may switch into: the role of this name in exactly these accounts. */
  readonly assumableRoles?: { readonly roleName: string; readonly accounts: AssumableAccounts };
  /** The existing IAM group taken over (renamed in place when its name differs). */
  readonly existingName?: string;
}

export class JobFunctionGroup extends Construct {
  readonly group: IamGroup;

  constructor(scope: Construct, id: string, props: JobFunctionGroupProps) {
    super(scope, id);
    this.group = adoptExisting(new IamGroup(this, 'group', { name: props.groupName }), props.existingName);
    for (const policy of props.policies) {
      new IamGroupPolicyAttachment(this, attachmentId(policy), {
        group: this.group.name,
        policyArn: policy.arn,
        dependsOn: policy.dependsOn && [policy.dependsOn],
      });
    }
    if (props.assumableRoles) {
      new IamGroupPolicy(this, 'assume-roles', {
        group: this.group.name,
        name: 'assume-cross-account-roles',
        policy: policyJson(policyDocument(switchIntoRoles(props.partition, props.assumableRoles.roleName, props.assumableRoles.accounts))),
      });
    }
  }
}

/**
 * One statement whatever the number of accounts: the role's name in any account, narrowed by the account
 * the role is in (aws:ResourceAccount, 12 digits an account rather than a whole ARN), or by the
 * organization it is in when every other member account is meant, which no longer grows at all.
 */
function switchIntoRoles(partition: Partition, roleName: string, accounts: AssumableAccounts): PolicyStatement {
  return {
    Sid: 'SwitchIntoTheRolesOfThisGroup',
    Effect: 'Allow',
    Action: 'sts:AssumeRole',
    Resource: iamRoleArn(partition, '*', roleName),
    Condition:
      'organizationId' in accounts
        ? { StringEquals: { 'aws:ResourceOrgID': accounts.organizationId }, StringNotEquals: { 'aws:ResourceAccount': accounts.exceptAccountId } }
        : { StringEquals: { 'aws:ResourceAccount': [...accounts.accountIds] } },
  };
}
