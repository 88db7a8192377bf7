// The organization's one log bucket: the organization trail writes to it, nobody changes what it holds.
// Versioned, encrypted, TLS only, public access blocked (modules/common/private-bucket.ts), with a
// lifecycle; optionally S3 Object Lock in governance mode.
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import type { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Construct } from 'constructs';
import { LOG_ARCHIVE_CHANGING_ACTIONS } from '../../catalog/log-archive';
import { iamRoleArn, s3BucketArn, type Partition } from '../../naming/arn';
import { privateBucket } from '../common/private-bucket';

export interface LogArchiveProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly bucketName: string;
  /** The account holding the bucket, and its deploy role: the only one that deletes or changes logs. */
  readonly accountId: string;
  readonly deployRoleName: string;
  /** The organization trail, the only CloudTrail trail that may write here. */
  readonly trailArn: string;
  /** Days before objects move to S3 Glacier Instant Retrieval, and before they expire. */
  readonly transitionDays: number;
  readonly expirationDays: number;
  /** Object Lock in governance mode for this many days; undefined: no Object Lock. */
  readonly objectLockDays?: number;
}

export class LogArchive extends Construct {
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const bucketArn = s3BucketArn(props.partition, props.bucketName);
    const fromTheTrail = { StringEquals: { 'aws:SourceArn': props.trailArn } };
    const bucket = privateBucket(this, {
      partition: props.partition,
      bucketName: props.bucketName,
      versioned: true,
      preventDestroy: true,
      objectLockEnabled: props.objectLockDays !== undefined ? true : undefined,
      lifecycleRules: [
        {
          id: 'archive-then-expire-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          transition: [{ days: props.transitionDays, storageClass: 'GLACIER_IR' }],
          expiration: [{ days: props.expirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.expirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      policyStatements: [
        {
          Sid: 'CloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: bucketArn,
          Condition: fromTheTrail,
        },
        // An organization trail writes AWSLogs/<management account id>/ and AWSLogs/<organization id>/<account id>/.
        {
          Sid: 'CloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${bucketArn}/AWSLogs/*`,
          Condition: { StringEquals: { ...fromTheTrail.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
        },
        {
          Sid: 'OnlyTheDeployRoleDeletesOrChangesLogs',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: [...LOG_ARCHIVE_CHANGING_ACTIONS],
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { ArnNotLike: { 'aws:PrincipalArn': iamRoleArn(props.partition, props.accountId, props.deployRoleName) } },
        },
      ],
    });
    this.policy = bucket.policy;
    if (props.objectLockDays !== undefined) {
      new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        bucket: bucket.bucket.id,
        rule: { defaultRetention: { mode: 'GOVERNANCE', days: props.objectLockDays } },
      });
    }
  }
}
