// modules/common: policy documents as literal JSON, private buckets, import blocks, and what Terraform
// forgets without destroying (removed and moved blocks).
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { adoptExisting } from '../../../modules/common/adoption';
import { callersOwnArn, iamRoleArn } from '../../../modules/common/arn';
import { constructId } from '../../../modules/common/construct-id';
import { ForgettingStack, forgetInstances, forgetResourcesOf, ForgottenInstances, ForgottenResource } from '../../../modules/common/forget';
import { documentSize, policyDocument, policyJson } from '../../../modules/common/policy';
import { privateBucket } from '../../../modules/common/private-bucket';
import { policyOf, sidsOf, statementOf, synthScope } from '../synth-scope';

describe('policy documents', () => {
  it('write a policy variable with its dollar escaped for Terraform, read back by AWS as the variable', () => {
    const json = policyJson(policyDocument({ Effect: 'Allow', Action: 'iam:GetUser', Resource: callersOwnArn('user') }));
    expect(json).toContain('arn:aws:iam::*:user/\\u0024{aws:username}');
    expect(json).not.toContain('${');
    expect(policyOf(json).Statement[0].Resource).toBe('arn:aws:iam::*:user/${aws:username}');
  });

  it('refuse a Terraform reference: the policy must be known at synth', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const role = new IamRole(stack, 'role', { name: 'x', assumeRolePolicy: '{}' });
    expect(() => policyJson(policyDocument({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: role.arn }))).toThrow(/holds a Terraform reference/);
  });

  it('are sized as each service counts: IAM without whitespace, others every character, S3 in bytes', () => {
    const text = '{"a": "é b"}';
    expect([documentSize(text, 'characters without whitespace'), documentSize(text, 'characters'), documentSize(text, 'bytes')]).toEqual([10, 12, 13]);
  });
});

it('construct ids keep letters and digits of names with slashes, spaces or colons', () => {
  expect([constructId('ou', 'Workloads/Non Prod'), constructId('tag', 'cost:center')]).toEqual(['ou-Workloads-Non-Prod', 'tag-cost-center']);
});

it('role ARNs carry their path', () => {
  expect([iamRoleArn('111111111111', 'deploy'), iamRoleArn('111111111111', 'ecs-task', '/application/')]).toEqual([
    'arn:aws:iam::111111111111:role/deploy',
    'arn:aws:iam::111111111111:role/application/ecs-task',
  ]);
});

describe('a private bucket', () => {
  const build = (versioned: boolean, extra = false) =>
    synthScope((scope) =>
      privateBucket(scope, {
        bucketName: 'test-bucket',
        versioned,
        preventDestroy: versioned,
        objectLockEnabled: extra || undefined,
        lifecycleRules: [{ id: 'expire', status: 'Enabled', expiration: [{ days: 7 }] }],
        policyStatements: extra ? [{ Sid: 'Extra', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::test-bucket/*' }] : [],
      }),
    );

  it('is encrypted, closed to the public, without ACLs, TLS only, and every setting applies to it', () => {
    const out = build(true);
    const bucket = out.reference('aws_s3_bucket');
    expect(out.one('aws_s3_bucket')).toMatchObject({ bucket: 'test-bucket', force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(out.one('aws_s3_bucket_versioning')).toEqual({ bucket, versioning_configuration: { status: 'Enabled' } });
    expect(out.one('aws_s3_bucket_server_side_encryption_configuration')).toEqual({ bucket, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: true }] });
    expect(out.one('aws_s3_bucket_public_access_block')).toEqual({ bucket, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(out.one('aws_s3_bucket_ownership_controls')).toEqual({ bucket, rule: { object_ownership: 'BucketOwnerEnforced' } });
    expect(out.one('aws_s3_bucket_lifecycle_configuration')).toEqual({ bucket, rule: [{ id: 'expire', status: 'Enabled', expiration: [{ days: 7 }] }] });
    const policy = out.one('aws_s3_bucket_policy');
    expect(policy.bucket).toBe(bucket);
    expect(sidsOf(policy.policy)).toEqual(['DenyInsecureTransport']);
    expect(statementOf(policy.policy, 'DenyInsecureTransport')).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('is versioned, destroyable and lockable only when asked; its own statements follow the TLS deny', () => {
    const out = build(false, true);
    expect(out.all('aws_s3_bucket_versioning')).toEqual([]);
    expect(out.one('aws_s3_bucket').lifecycle).toBeUndefined();
    expect(out.one('aws_s3_bucket').object_lock_enabled).toBe(true);
    expect(sidsOf(out.one('aws_s3_bucket_policy').policy)).toEqual(['DenyInsecureTransport', 'Extra']);
  });
});

it('adopting an existing object writes an import block for the resource\'s address', () => {
  const out = synthScope((scope) => adoptExisting(new S3Bucket(scope, 'adopted', { bucket: 'old-bucket' }), 'old-bucket'));
  expect(out.json.import).toEqual([{ to: `aws_s3_bucket.${Object.keys(out.byId('aws_s3_bucket'))[0]}`, id: 'old-bucket' }]);
});

describe('forgetting', () => {
  it('a whole resource: a removed block at its address, which does not destroy', () => {
    const out = synthScope((scope) => new ForgottenResource(new Construct(scope, 'vpc'), 'flow-log', 'aws_flow_log'));
    expect(out.json.removed).toEqual([{ from: expect.stringMatching(/^aws_flow_log\.vpc_flow-log_[0-9A-F]{8}$/), lifecycle: { destroy: false } }]);
    expect(out.json.resource).toBeUndefined();
  });

  it('for_each instances: each moved to an address of its own, then removed there; the resource stays', () => {
    const out = synthScope((scope) => {
      const routes = new S3Bucket(scope, 'routes', { bucket: 'b' });
      new ForgottenInstances(routes, ['qa:private-a', 'prod:public']);
    });
    const address = `aws_s3_bucket.${Object.keys(out.byId('aws_s3_bucket'))[0]}`;
    expect(out.json.moved).toEqual([
      { from: `${address}["prod:public"]`, to: `${address}_forgotten_prod_public` },
      { from: `${address}["qa:private-a"]`, to: `${address}_forgotten_qa_private-a` },
    ]);
    expect(out.json.removed).toEqual([
      { from: `${address}_forgotten_prod_public`, lifecycle: { destroy: false } },
      { from: `${address}_forgotten_qa_private-a`, lifecycle: { destroy: false } },
    ]);
  });

  it('refuses keys that would be forgotten at the same address', () => {
    expect(() => synthScope((scope) => new ForgottenInstances(new S3Bucket(scope, 'b', { bucket: 'b' }), ['a:b', 'a_b']))).toThrow(/do not map to distinct addresses/);
  });

  it('instances of a block no longer built: the whole block; no keys: nothing', () => {
    const whole = synthScope((scope) => forgetInstances(scope, 'dev-routes', 'aws_route', undefined, ['qa:public']));
    expect(whole.json.removed).toEqual([{ from: 'aws_route.dev-routes', lifecycle: { destroy: false } }]);
    const none = synthScope((scope) => forgetInstances(scope, 'dev-routes', 'aws_route', undefined, []));
    expect(none.json.removed).toBeUndefined();
  });

  it('what a stack built aside holds and this one does not, at the same addresses', () => {
    const app = Testing.app();
    const built = new TerraformStack(app, 'in-service');
    new S3Bucket(new Construct(built, 'logs'), 'bucket', { bucket: 'kept' });
    new S3Bucket(new Construct(built, 'flow-logs'), 'bucket', { bucket: 'gone' });
    const retired = new ForgettingStack(app, 'retired');
    new S3Bucket(new Construct(retired, 'logs'), 'bucket', { bucket: 'kept' });
    forgetResourcesOf(built, retired);
    const json = JSON.parse(Testing.synth(retired));
    const kept = Object.keys(json.resource.aws_s3_bucket);
    expect(kept).toEqual([expect.stringMatching(/^logs_bucket_/)]);
    expect(json.removed).toEqual([{ from: expect.stringMatching(/^aws_s3_bucket\.flow-logs_bucket_[0-9A-F]{8}$/), lifecycle: { destroy: false } }]);
    // The same address as the resource had in the stack it was built in.
    expect(JSON.parse(Testing.synth(built)).resource.aws_s3_bucket).toHaveProperty(json.removed[0].from.replace('aws_s3_bucket.', ''));
    // cdktf's HCL knows no removed blocks: the stack appends them.
    expect(Testing.synthHcl(retired)).toContain(`removed {\n  from = ${json.removed[0].from}\n  lifecycle {\n    destroy = false\n  }\n}`);
  });
});
