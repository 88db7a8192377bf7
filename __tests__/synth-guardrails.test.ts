// The synth guardrails: each rule fires on a deliberately bad construct, names it, and stays quiet on
// the good twin next to it.
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { App, Aspects, TerraformStack } from 'cdktf';
import { join } from 'node:path';
import { policyDocument, policyJson, type PolicyStatement } from '../modules/common/policy';
import { SynthGuardrails } from '../modules/synth-guardrails/synth-guardrails';
import { scratchDir } from './helpers';

const ORG_ACCOUNT = '222222222222';
const trust = (statement: Partial<PolicyStatement>) =>
  policyJson(policyDocument({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ORG_ACCOUNT}:root` }, Action: 'sts:AssumeRole', ...statement }));
const withMfa = { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } };

/** Synthesizes one stack built by `build` under the guardrails; returns the guardrail errors, one per line. */
function guardrailErrors(build: (stack: TerraformStack) => void): string[] {
  const app = new App({ outdir: join(scratchDir('guardrails'), 'out') });
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  build(stack);
  Aspects.of(stack).add(new SynthGuardrails({ organizationAccountIds: [ORG_ACCOUNT] }));
  try {
    app.synth();
    return [];
  } catch (error) {
    return (error as Error).message.split('\n').filter((line) => line.startsWith('[test/'));
  }
}

describe('the synth guardrails', () => {
  it('refuse a trust or resource policy that allows principal "*"', () => {
    expect(
      guardrailErrors((stack) => {
        new IamRole(stack, 'open', { name: 'open', assumeRolePolicy: trust({ Principal: '*' }) });
        new IamRole(stack, 'open-aws', { name: 'open-aws', assumeRolePolicy: trust({ Principal: { AWS: '*' } }) });
        new IamRole(stack, 'closed', { name: 'closed', assumeRolePolicy: trust({}) });
        // A Deny for everyone is how TLS-only bucket policies are written: not a grant.
        const bucket = new S3Bucket(stack, 'tls-only', { bucket: 'tls-only' });
        new S3BucketServerSideEncryptionConfigurationA(stack, 'tls-only-sse', { bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] });
        new S3BucketPublicAccessBlock(stack, 'tls-only-pab', { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      }),
    ).toEqual([
      '[test/open] aws_iam_role "open": policy statement 0 allows principal "*"',
      '[test/open-aws] aws_iam_role "open-aws": policy statement 0 allows principal "*"',
    ]);
  });

  it('refuse a cross-<group> role that people can assume without MFA', () => {
    expect(
      guardrailErrors((stack) => {
        new IamRole(stack, 'no-mfa', { name: 'cross-dev', assumeRolePolicy: trust({}) });
        new IamRole(stack, 'mfa', { name: 'cross-ops', assumeRolePolicy: trust(withMfa) });
        new IamRole(stack, 'machine', { name: 'deploy', assumeRolePolicy: trust({}) });
      }),
    ).toEqual(['[test/no-mfa] aws_iam_role "cross-dev": trust policy statement 0 lets people in without MFA (Bool aws:MultiFactorAuthPresent "true")']);
  });

  it('refuse an ECR, KMS or S3 policy that names an account outside the organization', () => {
    expect(
      guardrailErrors((stack) => {
        const repository = new EcrRepository(stack, 'repo', { name: 'app' });
        const pull = (account: string) =>
          policyJson(policyDocument({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'ecr:BatchGetImage' }));
        new EcrRepositoryPolicy(stack, 'foreign', { repository: repository.name, policy: pull('999999999999') });
        new EcrRepositoryPolicy(stack, 'ours', { repository: repository.name, policy: pull(ORG_ACCOUNT) });
      }),
    ).toEqual(['[test/foreign] aws_ecr_repository_policy "foreign": policy names account(s) outside the organization: 999999999999']);
  });

  it('refuse a bucket without encryption or a public access block', () => {
    expect(
      guardrailErrors((stack) => {
        new S3Bucket(stack, 'bare', { bucket: 'bare' });
        const half = new S3Bucket(stack, 'half', { bucket: 'half' });
        new S3BucketServerSideEncryptionConfigurationA(stack, 'half-sse', { bucket: half.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] });
      }),
    ).toEqual([
      '[test/bare] aws_s3_bucket "bare": bucket lacks an encryption configuration and a public access block',
      '[test/half] aws_s3_bucket "half": bucket lacks a public access block',
    ]);
  });

  it('refuse a security group that opens anything but 80 and 443 to the world', () => {
    const world = { cidrBlocks: ['0.0.0.0/0'], protocol: 'tcp' };
    expect(
      guardrailErrors((stack) => {
        new SecurityGroup(stack, 'ssh', { name: 'ssh', ingress: [{ ...world, fromPort: 22, toPort: 22 }] });
        new SecurityGroup(stack, 'web', { name: 'web', ingress: [{ ...world, fromPort: 443, toPort: 443 }, { ...world, fromPort: 80, toPort: 80 }] });
        new SecurityGroup(stack, 'internal', { name: 'internal', ingress: [{ cidrBlocks: ['10.0.0.0/8'], protocol: '-1', fromPort: 0, toPort: 0 }] });
        new VpcSecurityGroupIngressRule(stack, 'all-v6', { securityGroupId: 'sg-1', cidrIpv6: '::/0', ipProtocol: '-1' });
      }),
    ).toEqual([
      '[test/ssh] aws_security_group "ssh": admits ports 22-22 from anywhere; only 80 and 443 may be open to the world',
      '[test/all-v6] aws_vpc_security_group_ingress_rule "all-v6": admits all traffic from anywhere; only 80 and 443 may be open to the world',
    ]);
  });
});
