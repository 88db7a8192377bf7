// VPC flow logs delivered straight to an S3 bucket of the account: the cheapest destination (no
// CloudWatch ingestion, no role to assume), kept for a number of days, then expired.
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { Construct } from 'constructs';
import { serviceArn, s3BucketArn, type Partition } from '../../naming/arn';
import { privateBucket } from '../common/private-bucket';

export interface FlowLogsProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly vpcId: string;
  readonly bucketName: string;
  /** The account and region the logs are delivered from: only their log delivery may write. */
  readonly accountId: string;
  readonly region: string;
  readonly retentionDays: number;
  /** Name tag of the flow log. */
  readonly name: string;
}

export class FlowLogs extends Construct {
  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const bucketArn = s3BucketArn(props.partition, props.bucketName);
    const fromThisAccount = {
      StringEquals: { 'aws:SourceAccount': props.accountId },
      ArnLike: { 'aws:SourceArn': serviceArn(props.partition, 'logs', props.region, props.accountId, '*') },
    };
    const { policy } = privateBucket(this, {
      partition: props.partition,
      bucketName: props.bucketName,
      versioned: false,
      preventDestroy: false,
      lifecycleRules: [
        {
          id: 'expire-flow-logs',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.retentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      // What the log delivery service needs, as AWS documents it for flow logs to S3.
      policyStatements: [
        {
          Sid: 'AWSLogDeliveryWrite',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${bucketArn}/AWSLogs/${props.accountId}/*`,
          Condition: { ...fromThisAccount, StringEquals: { ...fromThisAccount.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
        },
        {
          Sid: 'AWSLogDeliveryAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: ['s3:GetBucketAcl', 's3:ListBucket'],
          Resource: bucketArn,
          Condition: fromThisAccount,
        },
      ],
    });
    new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 's3',
      logDestination: bucketArn,
      // The longest interval: fewer, larger records cost less.
      maxAggregationInterval: 600,
      tags: { Name: props.name },
      // The delivery must be allowed before the flow log is created, or AWS edits the policy itself.
      dependsOn: [policy],
    });
  }
}
