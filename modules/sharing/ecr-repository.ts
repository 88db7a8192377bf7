// A repository in the artifact account: images are pushed there once, and the consumer accounts (their
// roles and their Lambda functions) pull exactly those images. Pushing stays with the artifact account.
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { Construct } from 'constructs';
import { adoptExisting } from '../common/adoption';
import { accountRootArn, serviceArn, type Partition } from '../../naming/arn';
import { ECR_PULL_ACTIONS } from '../common/ecr-actions';
import { type PolicyDocument, policyDocument } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';

export interface SharedEcrRepositoryProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly name: string;
  readonly region: string;
  /** Accounts that may pull: principals their own policies allow, and their Lambda functions. */
  readonly consumerAccountIds: readonly string[];
  readonly imageTagMutability: 'IMMUTABLE' | 'MUTABLE';
  readonly scanOnPush: boolean;
  /** KMS: the AWS managed aws/ecr key, which ECR uses through its own grant, so pullers need no key access. */
  readonly encryption: 'AES256' | 'KMS';
  readonly keepImages: number;
  /** It exists already: taken over (by its name) instead of created. */
  readonly existing?: boolean;
}

export class SharedEcrRepository extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: SharedEcrRepositoryProps) {
    super(scope, id);
    this.repository = adoptExisting(
      new EcrRepository(this, 'repository', {
        name: props.name,
        imageTagMutability: props.imageTagMutability,
        imageScanningConfiguration: { scanOnPush: props.scanOnPush },
        encryptionConfiguration: [{ encryptionType: props.encryption }],
      }),
      props.existing ? props.name : undefined,
    );
    if (props.consumerAccountIds.length > 0) {
      new EcrRepositoryPolicy(this, 'policy', {
        repository: this.repository.name,
        policy: policyJson(repositoryPullPolicy(props.partition, props.consumerAccountIds, props.region)),
      });
    }
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Keep the ${props.keepImages} most recent images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: props.keepImages },
            action: { type: 'expire' },
          },
        ],
      }),
    });
  }
}

/**
 * The consumer accounts pull; so does Lambda, which fetches a function's image itself, for functions of
 * those accounts only (aws:SourceAccount, the confused-deputy guard, 12 digits an account where a function
 * ARN pattern per account would take four times as many) and of its own region (aws:SourceArn, one pattern
 * whatever the number of accounts): Lambda runs images of its own region.
 */
function repositoryPullPolicy(partition: Partition, consumerAccountIds: readonly string[], region: string): PolicyDocument {
  return policyDocument(
    {
      Sid: 'ConsumerAccountsPull',
      Effect: 'Allow',
      Principal: { AWS: consumerAccountIds.map((id) => accountRootArn(partition, id)) },
      Action: [...ECR_PULL_ACTIONS],
    },
    {
      Sid: 'LambdaOfConsumerAccountsPulls',
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: [...ECR_PULL_ACTIONS],
      Condition: {
        StringEquals: { 'aws:SourceAccount': [...consumerAccountIds] },
        StringLike: { 'aws:SourceArn': serviceArn(partition, 'lambda', region, '*', 'function:*') },
      },
    },
  );
}
