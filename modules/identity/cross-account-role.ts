// A role people switch into from the identity account: its trust policy admits only IAM users of that
// account who are tagged members of the role's group and signed in with MFA recently enough, and its
// sessions last at most the account's limit.
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { accountRootArn, iamUserArn, type Partition } from '../../naming/arn';
import { policyDocument, type PolicyDocument } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';
import { type AttachablePolicy, attachmentId } from './permission-policies';

export interface CrossAccountRoleProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly roleName: string;
  readonly description: string;
  /** The identity account, whose users may assume the role. */
  readonly identityAccountId: string;
  /** The user tag (key and value) that marks members of the role's group. */
  readonly memberTag: { readonly key: string; readonly value: string };
  /** The oldest MFA sign-in accepted, in seconds. */
  readonly mfaMaxAgeSeconds: number;
  readonly maxSessionSeconds: number;
  readonly policies: readonly AttachablePolicy[];
}

export class CrossAccountRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: CrossAccountRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionSeconds,
      assumeRolePolicy: policyJson(crossAccountTrustPolicy(props)),
    });
    for (const policy of props.policies) {
      new IamRolePolicyAttachment(this, attachmentId(policy), {
        role: this.role.name,
        policyArn: policy.arn,
        dependsOn: policy.dependsOn && [policy.dependsOn],
      });
    }
  }
}

/**
 * The identity account as principal, narrowed to its IAM users who carry the group's member tag, with an
 * MFA sign-in younger than the limit. The tag, not the identity account's own policies, decides: a broad
 * cell there (PowerUserAccess, AdministratorAccess) allows sts:AssumeRole on every role.
 */
export function crossAccountTrustPolicy(
  props: Pick<CrossAccountRoleProps, 'partition' | 'identityAccountId' | 'memberTag' | 'mfaMaxAgeSeconds'>,
): PolicyDocument {
  return policyDocument({
    Sid: 'GroupMembersWithRecentMfa',
    Effect: 'Allow',
    Principal: { AWS: accountRootArn(props.partition, props.identityAccountId) },
    Action: 'sts:AssumeRole',
    Condition: {
      ArnLike: { 'aws:PrincipalArn': iamUserArn(props.partition, props.identityAccountId, '*') },
      StringEquals: { [`aws:PrincipalTag/${props.memberTag.key}`]: props.memberTag.value },
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      NumericLessThan: { 'aws:MultiFactorAuthAge': String(props.mfaMaxAgeSeconds) },
    },
  });
}
