// The AMI key: one customer managed key in the artifact account for the snapshots of every shared AMI
// (an AMI on the AWS managed aws/ebs key cannot be shared: only its own account may use that key). The
// consumer accounts may use it only through EC2, to launch instances and create their volumes.
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { accountRootArn, iamRoleArn, type Partition } from '../../naming/arn';
import { type PolicyDocument, policyDocument } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';

/** Auto Scaling launches with its service-linked role: the default one, or one with a custom suffix. */
const AUTO_SCALING_SERVICE = 'autoscaling.amazonaws.com';
const AUTO_SCALING_ROLE = 'AWSServiceRoleForAutoScaling';

/** What AWS documents an Auto Scaling role needs of a volume key of another account, granted from its own account. */
export const AUTO_SCALING_GRANT_OPERATIONS = [
  'Encrypt',
  'Decrypt',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'DescribeKey',
  'CreateGrant',
] as const;

export function autoScalingRoleArn(partition: Partition, accountId: string, roleName: string = AUTO_SCALING_ROLE): string {
  return iamRoleArn(partition, accountId, roleName, `/aws-service-role/${AUTO_SCALING_SERVICE}/`);
}

export interface AmiKeyProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  /** The artifact account, which owns the key, builds AMIs with it and administers it through IAM. */
  readonly ownerAccountId: string;
  readonly consumerAccountIds: readonly string[];
  readonly region: string;
  /** Without alias/: how image builds name the key. */
  readonly aliasName: string;
}

export class AmiKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: AmiKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, 'key', {
      description: 'Encrypts the snapshots of the AMIs the artifact account shares',
      enableKeyRotation: true,
      // Deleting it makes every AMI and volume encrypted with it unusable: no plan may, and a manual
      // deletion waits the longest window KMS allows.
      deletionWindowInDays: 30,
      policy: policyJson(amiKeyPolicy(props)),
      lifecycle: { preventDestroy: true },
    });
    this.alias = new KmsAlias(this, 'alias', { name: `alias/${props.aliasName}`, targetKeyId: this.key.keyId });
  }
}

function amiKeyPolicy({ partition, ownerAccountId, consumerAccountIds, region }: AmiKeyProps): PolicyDocument {
  const consumers = { AWS: consumerAccountIds.map((id) => accountRootArn(partition, id)) };
  return policyDocument(
    // The account's IAM policies decide who in it administers the key and builds AMIs with it.
    { Sid: 'ArtifactAccountIam', Effect: 'Allow', Principal: { AWS: accountRootArn(partition, ownerAccountId) }, Action: 'kms:*', Resource: '*' },
    ...(consumerAccountIds.length === 0
      ? []
      : [
          {
            Sid: 'ConsumersUseItThroughEc2',
            Effect: 'Allow' as const,
            Principal: consumers,
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': `ec2.${region}.amazonaws.com` } },
          },
          {
            // EC2 and Auto Scaling attach the volumes of an instance through grants they create.
            Sid: 'ConsumersGrantItToAwsResources',
            Effect: 'Allow' as const,
            Principal: consumers,
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
          },
          // Auto Scaling across accounts needs a grant to the consumer's own Auto Scaling role, which its
          // administrators create once (docs/sharing.md); each account for its own role (the policy variable
          // names the requester's account, one statement whatever their number), with these operations only.
          {
            Sid: 'ConsumersGrantToTheirOwnAutoScaling',
            Effect: 'Allow' as const,
            Principal: consumers,
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: {
              StringLike: { 'kms:GranteePrincipal': autoScalingRoleArn(partition, '${aws:PrincipalAccount}', `${AUTO_SCALING_ROLE}*`) },
              'ForAllValues:StringEquals': { 'kms:GrantOperations': [...AUTO_SCALING_GRANT_OPERATIONS] },
            },
          },
        ]),
  );
}
