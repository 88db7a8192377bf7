// modules/sharing: the AMI key, AMI launch permissions and the shared ECR repositories of the artifact account.
import { AmiKey, AUTO_SCALING_GRANT_OPERATIONS } from '../../../modules/sharing/ami-key';
import { AmiLaunchPermissions } from '../../../modules/sharing/ami-launch-permission';
import { SharedEcrRepository, type SharedEcrRepositoryProps } from '../../../modules/sharing/ecr-repository';
import { ECR_PULL_ACTIONS } from '../../../modules/common/ecr-actions';
import { sidsOf, statementOf, synthScope } from '../synth-scope';

const ARTIFACT = '444444444444';
const CONSUMERS = ['222222222222', '333333333333'];
const CONSUMER_ROOTS = { AWS: CONSUMERS.map((id) => `arn:aws:iam::${id}:root`) };

describe('the AMI key', () => {
  const keyOf = (consumerAccountIds: string[]) =>
    synthScope(
      (scope) => new AmiKey(scope, 'ami-key', { partition: 'aws', ownerAccountId: ARTIFACT, consumerAccountIds, region: 'eu-west-1', aliasName: 'test-ami' }),
    );
  const out = keyOf(CONSUMERS);
  const policy = out.one('aws_kms_key').policy;

  it('rotates, waits the longest window before deletion, and no plan destroys it', () => {
    expect(out.one('aws_kms_key')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(out.one('aws_kms_alias')).toEqual({ name: 'alias/test-ami', target_key_id: out.reference('aws_kms_key', 'key_id') });
  });

  it("is administered by the artifact account's IAM, used by the consumers through EC2 of the region only", () => {
    expect(statementOf(policy, 'ArtifactAccountIam')).toMatchObject({ Principal: { AWS: `arn:aws:iam::${ARTIFACT}:root` }, Action: 'kms:*' });
    expect(statementOf(policy, 'ConsumersUseItThroughEc2')).toMatchObject({
      Principal: CONSUMER_ROOTS,
      Condition: { StringEquals: { 'kms:ViaService': 'ec2.eu-west-1.amazonaws.com' } },
    });
    expect(statementOf(policy, 'ConsumersGrantItToAwsResources').Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  it('lets each consumer grant its own Auto Scaling role the documented operations, and no more', () => {
    expect(statementOf(policy, 'ConsumersGrantToTheirOwnAutoScaling').Condition).toEqual({
      StringLike: {
        'kms:GranteePrincipal': 'arn:aws:iam::${aws:PrincipalAccount}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling*',
      },
      'ForAllValues:StringEquals': { 'kms:GrantOperations': [...AUTO_SCALING_GRANT_OPERATIONS] },
    });
  });

  it("without consumers, is the artifact account's alone", () => {
    expect(sidsOf(keyOf([]).one('aws_kms_key').policy)).toEqual(['ArtifactAccountIam']);
  });
});

it('an AMI is launched by exactly the accounts given, one permission each', () => {
  const out = synthScope((scope) => new AmiLaunchPermissions(scope, 'base', { imageId: 'ami-0123456789abcdef0', accountIds: CONSUMERS }));
  expect(
    out
      .all('aws_ami_launch_permission')
      .map((permission) => [permission.image_id, permission.account_id])
      .sort(),
  ).toEqual(CONSUMERS.map((id) => ['ami-0123456789abcdef0', id]));
});

describe('a shared repository', () => {
  const PROPS: SharedEcrRepositoryProps = {
    partition: 'aws',
    name: 'app',
    region: 'eu-west-1',
    consumerAccountIds: CONSUMERS,
    imageTagMutability: 'IMMUTABLE',
    scanOnPush: true,
    encryption: 'KMS',
    keepImages: 25,
  };
  const out = synthScope((scope) => new SharedEcrRepository(scope, 'app', PROPS));
  const policy = out.one('aws_ecr_repository_policy').policy;

  it('keeps immutable, scanned, encrypted images, the most recent ones', () => {
    expect(out.one('aws_ecr_repository')).toEqual({
      name: 'app',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS' }],
    });
    expect(JSON.parse(out.one('aws_ecr_lifecycle_policy').policy).rules).toEqual([
      expect.objectContaining({ selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 25 }, action: { type: 'expire' } }),
    ]);
  });

  it('lets the consumer accounts, and Lambda for their functions of the region, pull and nothing else', () => {
    expect(statementOf(policy, 'ConsumerAccountsPull')).toEqual({
      Sid: 'ConsumerAccountsPull',
      Effect: 'Allow',
      Principal: CONSUMER_ROOTS,
      Action: [...ECR_PULL_ACTIONS],
    });
    expect(statementOf(policy, 'LambdaOfConsumerAccountsPulls')).toMatchObject({
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: [...ECR_PULL_ACTIONS],
      Condition: { StringEquals: { 'aws:SourceAccount': CONSUMERS }, StringLike: { 'aws:SourceArn': 'arn:aws:lambda:eu-west-1:*:function:*' } },
    });
    expect(ECR_PULL_ACTIONS.every((action) => /^ecr:(BatchCheck|BatchGet|Get)/.test(action))).toBe(true);
  });

  it('existing already, is taken over by its name; new, is created', () => {
    const adopted = synthScope((scope) => new SharedEcrRepository(scope, 'app', { ...PROPS, existing: true }));
    expect(adopted.json.import).toEqual([{ to: `aws_ecr_repository.${Object.keys(adopted.byId('aws_ecr_repository'))[0]}`, id: 'app' }]);
    expect(out.json.import).toBeUndefined();
  });

  it('without consumers, has no policy at all', () => {
    expect(synthScope((scope) => new SharedEcrRepository(scope, 'app', { ...PROPS, consumerAccountIds: [] })).all('aws_ecr_repository_policy')).toEqual([]);
  });
});
