// Account-wide settings every account gets: they cost nothing and close the most common leaks (the
// protectAccountBaseline guardrail keeps them on). EBS, AMI and snapshot settings are regional: they
// hold in the region of the stack's provider.
import { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default';
import { EbsSnapshotBlockPublicAccess } from '@cdktf/provider-aws/lib/ebs-snapshot-block-public-access';
import { Ec2ImageBlockPublicAccess } from '@cdktf/provider-aws/lib/ec2-image-block-public-access';
import { S3AccountPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-account-public-access-block';
import { Construct } from 'constructs';

export class AccountBaseline extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new EbsEncryptionByDefault(this, 'ebs-encryption', { enabled: true });
    new S3AccountPublicAccessBlock(this, 's3-public-access-block', {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    // Sharing with named accounts (the shared AMIs) stays possible; making an AMI or a snapshot public does not.
    new Ec2ImageBlockPublicAccess(this, 'image-block-public-access', { state: 'block-new-sharing' });
    new EbsSnapshotBlockPublicAccess(this, 'snapshot-block-public-access', { state: 'block-all-sharing' });
  }
}
