// An S3 bucket nobody outside the account reads by accident: encrypted, public access blocked, ACLs off,
// TLS only, with a lifecycle. The resources are created directly in `scope` (not in a child construct) so
// that a construct adopting this helper keeps the addresses of resources it already deployed.
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { Construct } from 'constructs';
import { s3BucketArn, type Partition } from '../../naming/arn';
import { policyDocument, type PolicyStatement } from '../../catalog/policy-document';
import { policyJson } from './policy';

export interface PrivateBucketProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly bucketName: string;
  readonly versioned: boolean;
  /** Refuse to destroy the bucket in a plan. */
  readonly preventDestroy: boolean;
  readonly lifecycleRules: readonly S3BucketLifecycleConfigurationRule[];
  /** Create the bucket with S3 Object Lock available (versioned; it cannot be turned on later through Terraform). */
  readonly objectLockEnabled?: boolean;
  /** Statements the bucket policy holds besides the TLS-only deny. */
  readonly policyStatements?: readonly PolicyStatement[];
}

export interface PrivateBucket {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;
}

export function privateBucket(scope: Construct, props: PrivateBucketProps): PrivateBucket {
  const s3Bucket = new S3Bucket(scope, 'bucket', {
    bucket: props.bucketName,
    forceDestroy: false,
    objectLockEnabled: props.objectLockEnabled,
    lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
  });
  const bucket = s3Bucket.id;
  const bucketArn = s3BucketArn(props.partition, props.bucketName);
  if (props.versioned) new S3BucketVersioningA(scope, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
  new S3BucketServerSideEncryptionConfigurationA(scope, 'encryption', {
    bucket,
    // SSE-S3 costs nothing; what these buckets hold needs no customer-managed key.
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
  });
  new S3BucketPublicAccessBlock(scope, 'public-access-block', {
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  new S3BucketLifecycleConfiguration(scope, 'lifecycle', { bucket, rule: [...props.lifecycleRules] });
  const policy = new S3BucketPolicy(scope, 'policy', {
    bucket,
    policy: policyJson(
      policyDocument(
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        ...(props.policyStatements ?? []),
      ),
    ),
  });
  return { bucket: s3Bucket, policy };
}
