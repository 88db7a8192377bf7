// The synth guardrails: each rule fires on a deliberately bad construct, names it, and stays quiet on
// the good twin next to it.
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupPolicy } from '@cdktf/provider-aws/lib/iam-group-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { App, Aspects, TerraformStack } from 'cdktf';
import { join } from 'node:path';
import { policyDocument, type PolicyStatement } from '../../../catalog/policy-document';
import { policyJson } from '../../../modules/common/policy';
import { DEFAULT_IAM_QUOTAS } from '../../../modules/synth-guardrails/limits';
import { SynthGuardrails } from '../../../modules/synth-guardrails/synth-guardrails';
import { scratchDir } from '../../helpers';

const ORG_ACCOUNT = '222222222222';
const trust = (statement: Partial<PolicyStatement>) =>
  policyJson(policyDocument({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ORG_ACCOUNT}:root` }, Action: 'sts:AssumeRole', ...statement }));
const withMfa = { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } };

/** Synthesizes one stack built by `build` under the guardrails; returns the guardrail errors, one per line. */
function guardrailErrors(build: (stack: TerraformStack) => void, iamQuotas = DEFAULT_IAM_QUOTAS): string[] {
  const app = new App({ outdir: join(scratchDir('guardrails'), 'out') });
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  build(stack);
  Aspects.of(stack).add(new SynthGuardrails({ organizationAccountIds: [ORG_ACCOUNT], iamQuotas }));
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
        new S3BucketServerSideEncryptionConfigurationA(stack, 'tls-only-sse', {
          bucket: bucket.id,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
        });
        new S3BucketPublicAccessBlock(stack, 'tls-only-pab', {
          bucket: bucket.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        });
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
        new S3BucketServerSideEncryptionConfigurationA(stack, 'half-sse', {
          bucket: half.id,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
        });
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
        new SecurityGroup(stack, 'web', {
          name: 'web',
          ingress: [
            { ...world, fromPort: 443, toPort: 443 },
            { ...world, fromPort: 80, toPort: 80 },
          ],
        });
        new SecurityGroup(stack, 'internal', { name: 'internal', ingress: [{ cidrBlocks: ['10.0.0.0/8'], protocol: '-1', fromPort: 0, toPort: 0 }] });
        new VpcSecurityGroupIngressRule(stack, 'all-v6', { securityGroupId: 'sg-1', cidrIpv6: '::/0', ipProtocol: '-1' });
      }),
    ).toEqual([
      '[test/ssh] aws_security_group "ssh": admits ports 22-22 from anywhere; only 80 and 443 may be open to the world',
      '[test/all-v6] aws_vpc_security_group_ingress_rule "all-v6": admits all traffic from anywhere; only 80 and 443 may be open to the world',
    ]);
  });

  describe("refuse a document or an attachment set over AWS's limits", () => {
    /** A policy of `size` characters without whitespace, with spaces in it that IAM does not count. */
    const policyOf = (size: number) => {
      const padded = (length: number) =>
        policyJson(policyDocument({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(length)}/key with spaces` }));
      const json = padded(0);
      const text = padded(size - json.replace(/\s/g, '').length);
      expect(text.replace(/\s/g, '').length).toBe(size);
      return text;
    };

    it("adds up a group's inline policies, naming the group, the total and the limit", () => {
      const build = (second: number) => (stack: TerraformStack) => {
        const group = new IamGroup(stack, 'dev', { name: 'dev' });
        new IamGroupPolicy(stack, 'first', { group: group.name, name: 'first', policy: policyOf(3000) });
        new IamGroupPolicy(stack, 'second', { group: group.name, name: 'second', policy: policyOf(second) });
      };
      expect(guardrailErrors(build(2120))).toEqual([]);
      expect(guardrailErrors(build(2121))).toEqual([
        '[test/second] aws_iam_group_policy "second": inline policies of IAM group "dev": 5,121 characters without whitespace, over AWS\'s 5,120: ' +
          'a fixed IAM limit: name fewer accounts, actions or resources in it',
      ]);
    });

    it('takes a trust policy up to 2,048 characters, or up to the raised quota', () => {
      const build = (stack: TerraformStack) =>
        new IamRole(stack, 'long-trust', { name: 'long-trust', assumeRolePolicy: trust({ Resource: 'x'.repeat(2000) }) });
      const [error] = guardrailErrors(build);
      expect(error).toMatch(
        /^\[test\/long-trust\] aws_iam_role "long-trust": trust policy of IAM role "long-trust": 2,\d{3} characters without whitespace, over AWS's 2,048: ask AWS to raise "Role trust policy length"/,
      );
      expect(guardrailErrors(build, { ...DEFAULT_IAM_QUOTAS, roleTrustPolicyLength: 4096 })).toEqual([]);
    });

    it('counts the managed policies attached to a role against its quota', () => {
      const build = (stack: TerraformStack) => {
        const role = new IamRole(stack, 'busy', { name: 'busy', assumeRolePolicy: trust({}) });
        for (let index = 1; index <= 11; index++)
          new IamRolePolicyAttachment(stack, `policy-${index}`, { role: role.name, policyArn: `arn:aws:iam::aws:policy/P${index}` });
      };
      expect(guardrailErrors(build)).toEqual([
        '[test/policy-11] aws_iam_role_policy_attachment "policy-11": managed policies attached to IAM role "busy": 11 policies, over AWS\'s 10: list fewer policies in its access cell, ' +
          'or ask AWS to raise "Managed policies per role" (at most 20) in every account and set iamQuotas.managedPoliciesPerRole to match',
      ]);
      expect(guardrailErrors(build, { ...DEFAULT_IAM_QUOTAS, managedPoliciesPerRole: 11 })).toEqual([]);
    });

    it('sizes a repository policy as ECR does, whitespace included', () => {
      const build = (size: number) => (stack: TerraformStack) => {
        const repository = new EcrRepository(stack, 'repo', { name: 'app' });
        const pull = policyJson(
          policyDocument({ Sid: '', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ORG_ACCOUNT}:root` }, Action: 'ecr:BatchGetImage' }),
        );
        new EcrRepositoryPolicy(stack, 'pull', { repository: repository.name, policy: pull.replace('"Sid":""', `"Sid":"${' '.repeat(size - pull.length)}"`) });
      };
      expect(guardrailErrors(build(10240))).toEqual([]);
      expect(guardrailErrors(build(10241))).toEqual([
        '[test/pull] aws_ecr_repository_policy "pull": ECR repository policy "app": 10,241 characters, over AWS\'s 10,240: a fixed ECR limit: share the repository with fewer consumers',
      ]);
    });
  });
});
