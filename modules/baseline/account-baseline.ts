// Account-wide settings every account gets: they cost nothing and close the two most common leaks.
import { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default';
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
  }
}
