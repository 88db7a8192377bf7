// modules/common: policy documents as literal JSON, private buckets, import blocks, and what Terraform
// forgets without destroying (removed and moved blocks).
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { TerraformIterator, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { adoptExisting } from '../../../modules/common/adoption';
import { constructId } from '../../../modules/common/construct-id';
import { ForgettingStack, forgetResourcesOf, ForgottenInstances, ForgottenResource } from '../../../modules/common/forget';
import { policyJson } from '../../../modules/common/policy';
import { privateBucket } from '../../../modules/common/private-bucket';
import { documentSize, policyDocument } from '../../../catalog/policy-document';
import { callersOwnArn, type Partition } from '../../../naming/arn';
import { policyOf, sidsOf, statementOf, synthScope } from '../synth-scope';

describe('policy documents', () => {
  it('write a policy variable with its dollar escaped for Terraform, read back by AWS as the variable', () => {
    const json = policyJson(policyDocument({ Effect: 'Allow', Action: 'iam:GetUser', Resource: callersOwnArn('aws', 'user') }));
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

describe('a private bucket', () => {
  const build = (versioned: boolean, extra = false, partition: Partition = 'aws') =>
    synthScope((scope) =>
      privateBucket(scope, {
        partition,
        bucketName: 'test-bucket',
        versioned,
        preventDestroy: versioned,
        objectLockEnabled: extra || undefined,
        lifecycleRules: [{ id: 'expire', status: 'Enabled', expiration: [{ days: 7 }] }],
        policyStatements: extra
          ? [
              {
                Sid: 'Extra',
                Effect: 'Allow',
                Principal: { Service: 'logging.s3.amazonaws.com' },
                Action: 's3:PutObject',
                Resource: 'arn:aws:s3:::test-bucket/*',
              },
            ]
          : [],
      }),
    );

  it('is encrypted, closed to the public, without ACLs, TLS only, and every setting applies to it', () => {
    const out = build(true);
    const bucket = out.reference('aws_s3_bucket');
    expect(out.one('aws_s3_bucket')).toMatchObject({ bucket: 'test-bucket', force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(out.one('aws_s3_bucket_versioning')).toEqual({ bucket, versioning_configuration: { status: 'Enabled' } });
    expect(out.one('aws_s3_bucket_server_side_encryption_configuration')).toEqual({
      bucket,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: true }],
    });
    expect(out.one('aws_s3_bucket_public_access_block')).toEqual({
      bucket,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(out.one('aws_s3_bucket_ownership_controls')).toEqual({ bucket, rule: { object_ownership: 'BucketOwnerEnforced' } });
    expect(out.one('aws_s3_bucket_lifecycle_configuration')).toEqual({ bucket, rule: [{ id: 'expire', status: 'Enabled', expiration: [{ days: 7 }] }] });
    const policy = out.one('aws_s3_bucket_policy');
    expect(policy.bucket).toBe(bucket);
    expect(sidsOf(policy.policy)).toEqual(['DenyInsecureTransport']);
    expect(statementOf(policy.policy, 'DenyInsecureTransport')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('is versioned, destroyable and lockable only when asked; its own statements follow the TLS deny', () => {
    const out = build(false, true);
    expect(out.all('aws_s3_bucket_versioning')).toEqual([]);
    expect(out.one('aws_s3_bucket').lifecycle).toBeUndefined();
    expect(out.one('aws_s3_bucket').object_lock_enabled).toBe(true);
    expect(sidsOf(out.one('aws_s3_bucket_policy').policy)).toEqual(['DenyInsecureTransport', 'Extra']);
  });

  it('names itself in the partition of its region', () => {
    expect(statementOf(build(true, false, 'aws-us-gov').one('aws_s3_bucket_policy').policy, 'DenyInsecureTransport').Resource).toEqual([
      'arn:aws-us-gov:s3:::test-bucket',
      'arn:aws-us-gov:s3:::test-bucket/*',
    ]);
  });
});

it("adopting an existing object writes an import block for the resource's address", () => {
  const out = synthScope((scope) => adoptExisting(new S3Bucket(scope, 'adopted', { bucket: 'old-bucket' }), 'old-bucket'));
  expect(out.json.import).toEqual([{ to: `aws_s3_bucket.${Object.keys(out.byId('aws_s3_bucket'))[0]}`, id: 'old-bucket' }]);
  // Without an id the resource is created.
  expect(synthScope((scope) => adoptExisting(new S3Bucket(scope, 'new', { bucket: 'new-bucket' }), undefined)).json.import).toBeUndefined();
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
    expect(() => synthScope((scope) => new ForgottenInstances(new S3Bucket(scope, 'b', { bucket: 'b' }), ['a:b', 'a_b']))).toThrow(
      /do not map to distinct addresses/,
    );
  });

  it('the for_each keys a stack built aside holds and this one does not, the block staying for the others', () => {
    const app = Testing.app();
    const routes = (stack: TerraformStack, keys: string[]) =>
      new S3Bucket(new Construct(stack, 'mesh'), 'dev-routes', {
        forEach: TerraformIterator.fromMap(Object.fromEntries(keys.map((key) => [key, key]))),
        bucket: 'b',
      });
    const built = new TerraformStack(app, 'in-service');
    routes(built, ['prod:public', 'qa:public']);
    const retired = new ForgettingStack(app, 'retired');
    routes(retired, ['prod:public']);
    forgetResourcesOf(built, retired);
    const json = JSON.parse(Testing.synth(retired));
    const address = `aws_s3_bucket.${Object.keys(json.resource.aws_s3_bucket)[0]}`;
    expect(json.moved).toEqual([{ from: `${address}["qa:public"]`, to: `${address}_forgotten_qa_public` }]);
    expect(json.removed).toEqual([{ from: `${address}_forgotten_qa_public`, lifecycle: { destroy: false } }]);
    // Nothing to forget where both hold the same keys.
    const same = new ForgettingStack(app, 'same');
    routes(same, ['prod:public', 'qa:public']);
    forgetResourcesOf(built, same);
    expect(JSON.parse(Testing.synth(same)).removed).toBeUndefined();
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
