// The bucket every stack's state lives in, and the role the backends assume to reach it. Losing it loses
// every workspace's state, so it is hardened and cannot be destroyed by a plan.
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { Construct } from 'constructs';
import { iamRoleArn, s3BucketArn, type Partition } from '../../naming/arn';
import { policyDocument, type PolicyStatement } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';
import { privateBucket } from '../common/private-bucket';

export interface StateBucketProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly bucketName: string;
  /** Every state object lives under this prefix; the state role may touch nothing else. */
  readonly keyPrefix: string;
  readonly stateRoleName: string;
  /** The management account, which holds the bucket, the state role and the deploy role. */
  readonly accountId: string;
  /** The deploy role, the only other role that reads or writes state objects (migrations, repairs). */
  readonly deployRoleName: string;
  /** Who may assume the state role: the principals that run Terraform. */
  readonly trustedPrincipals: readonly string[];
  /** CI's plan role, which reads state and takes locks (its own policy says which keys), when there is one. */
  readonly planRoleName?: string;
  /** Days a superseded state version is kept for recovery. */
  readonly noncurrentVersionDays: number;
  /** The bucket that records every request on state (S3 server access logs), and for how many days. */
  readonly accessLogBucketName: string;
  readonly accessLogDays: number;
}

export class StateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly stateRole: IamRole;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const bucketArn = s3BucketArn(props.partition, props.bucketName);
    const stateRoleArn = iamRoleArn(props.partition, props.accountId, props.stateRoleName);
    this.bucket = privateBucket(this, {
      partition: props.partition,
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
      // State holds every resource's attributes, secrets included, and steers the next apply: an administrator
      // of the management account with S3 rights is no reason to read or rewrite it.
      policyStatements: [
        {
          Sid: 'OnlyStateAndDeployRolesTouchState',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:RestoreObject'],
          Resource: `${bucketArn}/*`,
          Condition: {
            ArnNotLike: {
              'aws:PrincipalArn': [
                stateRoleArn,
                ...[props.deployRoleName, ...(props.planRoleName ? [props.planRoleName] : [])].map((name) =>
                  iamRoleArn(props.partition, props.accountId, name),
                ),
              ],
            },
          },
        },
      ],
    }).bucket;
    new StateAccessLogs(this, 'access-logs', { ...props, stateBucketArn: bucketArn });
    new S3BucketLoggingA(this, 'logging', { bucket: this.bucket.id, targetBucket: props.accessLogBucketName, targetPrefix: 'state-bucket/' });

    this.stateRole = new IamRole(this, 'state-role', {
      name: props.stateRoleName,
      description: 'Assumed by the Terraform backends of every stack to read and write state',
      assumeRolePolicy: policyJson(policyDocument({ Effect: 'Allow', Principal: { AWS: [...props.trustedPrincipals] }, Action: 'sts:AssumeRole' })),
    });
    new IamRolePolicy(this, 'state-access', {
      role: this.stateRole.name,
      name: 'state-access',
      policy: policyJson(
        policyDocument(listStateKeys(bucketArn, props.keyPrefix), {
          Sid: 'ReadWriteStateAndLocks',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: `${bucketArn}/${props.keyPrefix}/*`,
        }),
      ),
    });
  }
}

/** Listing the state keys, which the backend does to find workspaces: every role that reads state needs it. */
export function listStateKeys(bucketArn: string, keyPrefix: string): PolicyStatement {
  return {
    Sid: 'ListStateKeys',
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: bucketArn,
    Condition: { StringLike: { 's3:prefix': [`${keyPrefix}/*`] } },
  };
}

/** Where S3 delivers the state bucket's access logs: only its log delivery writes, nobody but the deploy role deletes. */
class StateAccessLogs extends Construct {
  constructor(scope: Construct, id: string, props: StateBucketProps & { stateBucketArn: string }) {
    super(scope, id);
    const logsArn = s3BucketArn(props.partition, props.accessLogBucketName);
    privateBucket(this, {
      partition: props.partition,
      bucketName: props.accessLogBucketName,
      versioned: false,
      preventDestroy: true,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.accessLogDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      policyStatements: [
        {
          Sid: 'StateBucketLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${logsArn}/*`,
          Condition: { ArnLike: { 'aws:SourceArn': props.stateBucketArn }, StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
        {
          Sid: 'OnlyTheDeployRoleDeletesLogs',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutLifecycleConfiguration'],
          Resource: [logsArn, `${logsArn}/*`],
          Condition: { ArnNotLike: { 'aws:PrincipalArn': iamRoleArn(props.partition, props.accountId, props.deployRoleName) } },
        },
      ],
    });
  }
}
