// The bucket every stack's state lives in, and the role the backends assume to reach it. Losing it loses
// every workspace's state, so it is hardened and cannot be destroyed by a plan.
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import { accountRootArn, s3BucketArn } from '../common/arn';
import { policyDocument, policyJson } from '../common/policy';
import { privateBucket } from '../common/private-bucket';

export interface StateBucketProps {
  readonly bucketName: string;
  /** Every state object lives under this prefix; the state role may touch nothing else. */
  readonly keyPrefix: string;
  readonly stateRoleName: string;
  /** The account whose principals may assume the state role (the management account). */
  readonly trustedAccountId: string;
  /** Days a superseded state version is kept for recovery. */
  readonly noncurrentVersionDays: number;
}

export class StateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly stateRole: IamRole;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    this.bucket = privateBucket(this, {
      bucketName: props.bucketName,
      versioned: true,
      preventDestroy: true,
      lifecycleRules: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    }).bucket;
    const bucketArn = s3BucketArn(props.bucketName);

    this.stateRole = new IamRole(this, 'state-role', {
      name: props.stateRoleName,
      description: 'Assumed by the Terraform backends of every stack to read and write state',
      assumeRolePolicy: policyJson(
        policyDocument({ Effect: 'Allow', Principal: { AWS: accountRootArn(props.trustedAccountId) }, Action: 'sts:AssumeRole' }),
      ),
    });
    new IamRolePolicy(this, 'state-access', {
      role: this.stateRole.name,
      name: 'state-access',
      policy: policyJson(
        policyDocument(
          {
            Sid: 'ListStateKeys',
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: bucketArn,
            Condition: { StringLike: { 's3:prefix': [`${props.keyPrefix}/*`] } },
          },
          {
            Sid: 'ReadWriteStateAndLocks',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            Resource: `${bucketArn}/${props.keyPrefix}/*`,
          },
        ),
      ),
    });
  }
}
