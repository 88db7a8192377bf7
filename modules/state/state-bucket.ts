// The bucket every stack's state lives in, and the role the backends assume to reach it. Losing it loses
// every workspace's state, so it is hardened and cannot be destroyed by a plan.
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { accountRootArn, s3BucketArn } from '../common/arn';
import { policyDocument, policyJson } from '../common/policy';

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
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.bucket.id;
    const bucketArn = s3BucketArn(props.bucketName);
    new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      // SSE-S3 costs nothing; state holds no secret that a customer key would protect better here.
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: policyJson(
        policyDocument({
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ),
    });

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
