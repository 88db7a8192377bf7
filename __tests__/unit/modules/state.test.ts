// modules/state: the state bucket, its access logs and the state role; the backends a stack keeps its state in.
import { TerraformStack } from 'cdktf';
import { StateBucket, type StateBucketProps } from '../../../modules/state/state-bucket';
import { useCloudState, useLocalState, useS3State } from '../../../modules/state/state-backend';
import { statementOf, synthScope } from '../synth-scope';

const PROPS: StateBucketProps = {
  partition: 'aws',
  bucketName: 'test-state',
  keyPrefix: 'stacks',
  stateRoleName: 'test-state-role',
  accountId: '111111111111',
  deployRoleName: 'test-deploy',
  trustedPrincipals: ['arn:aws:iam::111111111111:root'],
  noncurrentVersionDays: 45,
  accessLogBucketName: 'test-state-access-logs',
  accessLogDays: 400,
};

describe('StateBucket', () => {
  const out = synthScope((scope) => new StateBucket(scope, 'state', PROPS));
  const buckets = out.byId('aws_s3_bucket');
  const idOf = (name: string) => Object.entries(buckets).find(([, bucket]) => bucket.bucket === name)![0];
  const onBucket = (type: string, name: string) => out.all(type).filter((resource) => resource.bucket === `\${aws_s3_bucket.${idOf(name)}.id}`);
  const policyOfBucket = (name: string) => onBucket('aws_s3_bucket_policy', name)[0].policy as string;

  it('keeps state in a versioned, encrypted, private bucket no plan can destroy', () => {
    expect(
      out
        .all('aws_s3_bucket')
        .map((bucket) => [bucket.bucket, bucket.lifecycle, bucket.force_destroy])
        .sort(),
    ).toEqual([
      ['test-state', { prevent_destroy: true }, false],
      ['test-state-access-logs', { prevent_destroy: true }, false],
    ]);
    expect(onBucket('aws_s3_bucket_versioning', 'test-state')).toEqual([expect.objectContaining({ versioning_configuration: { status: 'Enabled' } })]);
    // The access logs are not versioned: they expire.
    expect(onBucket('aws_s3_bucket_versioning', 'test-state-access-logs')).toEqual([]);
    for (const name of ['test-state', 'test-state-access-logs']) {
      expect(onBucket('aws_s3_bucket_server_side_encryption_configuration', name)[0].rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: true },
      ]);
      expect(onBucket('aws_s3_bucket_public_access_block', name)).toEqual([
        expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      ]);
    }
  });

  it("refuses every request without TLS, and every object request but the state and deploy roles'", () => {
    const policy = policyOfBucket('test-state');
    expect(statementOf(policy, 'DenyInsecureTransport')).toEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: ['arn:aws:s3:::test-state', 'arn:aws:s3:::test-state/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(statementOf(policy, 'OnlyStateAndDeployRolesTouchState')).toMatchObject({
      Effect: 'Deny',
      Resource: 'arn:aws:s3:::test-state/*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/test-state-role', 'arn:aws:iam::111111111111:role/test-deploy'] } },
    });
  });

  it('keeps superseded state versions for the days given', () => {
    expect(onBucket('aws_s3_bucket_lifecycle_configuration', 'test-state')[0].rule).toEqual([
      expect.objectContaining({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 45 }] }),
    ]);
    expect(onBucket('aws_s3_bucket_lifecycle_configuration', 'test-state-access-logs')[0].rule).toEqual([
      expect.objectContaining({ expiration: [{ days: 400 }] }),
    ]);
  });

  it('logs every request on state to the access log bucket, which only S3 log delivery for that bucket writes to', () => {
    expect(onBucket('aws_s3_bucket_logging', 'test-state')).toEqual([
      expect.objectContaining({ target_bucket: 'test-state-access-logs', target_prefix: 'state-bucket/' }),
    ]);
    const logs = policyOfBucket('test-state-access-logs');
    expect(statementOf(logs, 'StateBucketLogDelivery')).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Resource: 'arn:aws:s3:::test-state-access-logs/*',
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::test-state' }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });
    expect(statementOf(logs, 'OnlyTheDeployRoleDeletesLogs').Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/test-deploy' },
    });
  });

  it('makes a state role the trusted principals assume, which reads and writes under the key prefix only', () => {
    const role = out.one('aws_iam_role');
    expect(role.name).toBe('test-state-role');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root'] }, Action: 'sts:AssumeRole' },
    ]);
    const access = out.one('aws_iam_role_policy');
    expect(access.role).toBe(out.reference('aws_iam_role', 'name'));
    expect(statementOf(access.policy, 'ListStateKeys').Condition).toEqual({ StringLike: { 's3:prefix': ['stacks/*'] } });
    expect(statementOf(access.policy, 'ReadWriteStateAndLocks').Resource).toBe('arn:aws:s3:::test-state/stacks/*');
  });
});

describe('the state backends', () => {
  it('S3: encrypted, through the state role, locked natively, with a session name AWS accepts', () => {
    const { json } = synthScope((scope) =>
      useS3State(TerraformStack.of(scope), {
        bucket: 'test-state',
        key: 'stacks/dev.tfstate',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::111111111111:role/test-state-role',
        sessionName: 'x'.repeat(80),
      }),
    );
    expect(json.terraform.backend.s3).toEqual({
      bucket: 'test-state',
      key: 'stacks/dev.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
      assume_role: { role_arn: 'arn:aws:iam::111111111111:role/test-state-role', session_name: 'x'.repeat(64) },
    });
  });

  it('Terraform Cloud: one named workspace of the organization', () => {
    const { json } = synthScope((scope) =>
      useCloudState(TerraformStack.of(scope), { organization: 'acme', hostname: 'app.terraform.io', workspace: 'dev', project: 'platform' }),
    );
    expect(json.terraform.cloud).toEqual({ organization: 'acme', hostname: 'app.terraform.io', workspaces: { name: 'dev', project: 'platform' } });
  });

  it('local: the given file', () => {
    const { json } = synthScope((scope) => useLocalState(TerraformStack.of(scope), 'bootstrap.tfstate'));
    expect(json.terraform.backend).toEqual({ local: { path: 'bootstrap.tfstate' } });
  });
});
