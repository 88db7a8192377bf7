// One CloudTrail trail for the whole organization, from the management account: every member account,
// every region, management events (the first copy is free), log files signed for validation.
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export interface OrganizationTrailProps {
  readonly name: string;
  /** The log archive bucket, by name (computed at synth; its policy must admit this trail). */
  readonly bucketName: string;
  /** S3 object ARN prefixes whose reads and writes are recorded as data events (e.g. the state keys). */
  readonly dataEventPrefixes: readonly string[];
  /** What must exist first: trusted access for CloudTrail, the bucket policy when in the same stack. */
  readonly dependsOn: readonly ITerraformDependable[];
}

export class OrganizationTrail extends Construct {
  constructor(scope: Construct, id: string, props: OrganizationTrailProps) {
    super(scope, id);
    new Cloudtrail(this, 'trail', {
      name: props.name,
      s3BucketName: props.bucketName,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      eventSelector: [
        {
          readWriteType: 'All',
          includeManagementEvents: true,
          dataResource: props.dataEventPrefixes.length > 0 ? [{ type: 'AWS::S3::Object', values: [...props.dataEventPrefixes] }] : undefined,
        },
      ],
      dependsOn: [...props.dependsOn],
    });
  }
}
