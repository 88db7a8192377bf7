// A person's IAM user in the identity account: group memberships, the tags that tell the cross-account
// roles which groups they are in, and self-service credentials. Terraform creates no password and no
// access key, so none is ever in state: people set their own.
import type { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamUser as IamUserResource } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserGroupMembership } from '@cdktf/provider-aws/lib/iam-user-group-membership';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { IamUserPolicyAttachment } from '@cdktf/provider-aws/lib/iam-user-policy-attachment';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';
import type { Partition } from '../../naming/arn';
import { policyJson } from '../common/policy';
import { selfServiceCredentialsPolicy } from './mfa-policies';
import { type AttachablePolicy, attachmentId } from './permission-policies';

export interface IamUserProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly userName: string;
  readonly accountId: string;
  readonly groups: readonly IamGroup[];
  /** One tag per group, which the cross-account roles' trust policies require (see cross-account-role.ts). */
  readonly membershipTags: Readonly<Record<string, string>>;
  /** Policies every user carries (the MFA requirement). */
  readonly policies: readonly AttachablePolicy[];
  /** The existing IAM user taken over (renamed in place when its name differs). */
  readonly existingName?: string;
}

export class IamUser extends Construct {
  readonly user: IamUserResource;

  constructor(scope: Construct, id: string, props: IamUserProps) {
    super(scope, id);
    // The password, keys and MFA devices people add themselves must not stop removing someone who left.
    this.user = adoptExisting(
      new IamUserResource(this, 'user', { name: props.userName, forceDestroy: true, tags: { ...props.membershipTags } }),
      props.existingName,
    );
    new IamUserGroupMembership(this, 'groups', { user: this.user.name, groups: props.groups.map((group) => group.name) });
    new IamUserPolicy(this, 'self-service', {
      user: this.user.name,
      name: 'self-service-credentials',
      policy: policyJson(selfServiceCredentialsPolicy(props.partition, props.accountId, props.userName)),
    });
    for (const policy of props.policies) {
      new IamUserPolicyAttachment(this, attachmentId(policy), {
        user: this.user.name,
        policyArn: policy.arn,
        dependsOn: policy.dependsOn && [policy.dependsOn],
      });
    }
  }
}
