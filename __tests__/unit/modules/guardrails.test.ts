// modules/guardrails: what each guardrail denies, how guardrails are packed into service control policies
// within AWS's quotas, the organization policy and its attachments, the tag policy.
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { PolicyStatement } from '../../../catalog/policy-document';
import { GLOBAL_SERVICE_ACTIONS } from '../../../modules/guardrails/global-services';
import { OrganizationPolicy } from '../../../modules/guardrails/organization-policy';
import { packServiceControlPolicies, SCP_MAX_CHARACTERS, type ServiceControlGuardrail } from '../../../modules/guardrails/packing';
import {
  denyAllButExempt,
  denyOutsideRegions,
  protectAuditTrail,
  protectIdentity,
  protectPlatformRoles,
  protectSharedArtifacts,
} from '../../../modules/guardrails/service-control-policies';
import { tagPolicyJson } from '../../../modules/guardrails/tag-policy';
import { policyOf, synthScope } from '../synth-scope';

const EXEMPT = ['test-deploy', 'break-glass'];
const UNLESS_EXEMPT = { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/test-deploy', 'arn:aws:iam::*:role/break-glass'] } };
const sids = (statements: readonly PolicyStatement[]) => statements.map((statement) => statement.Sid);

describe("the guardrails' statements", () => {
  it('the region guardrail denies everything outside the regions but the global services', () => {
    expect(denyOutsideRegions(['eu-west-1', 'eu-central-1'])).toEqual([
      {
        Sid: 'DenyOutsideAllowedRegions',
        Effect: 'Deny',
        NotAction: GLOBAL_SERVICE_ACTIONS,
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } },
      },
    ]);
    expect(GLOBAL_SERVICE_ACTIONS).toEqual(expect.arrayContaining(['iam:*', 'organizations:*', 'sts:*', 'support:*']));
  });

  it('the platform roles, their policies and the application path change only through the exempt roles', () => {
    const statements = protectPlatformRoles({
      partition: 'aws',
      roleNames: ['test-deploy', 'cross-dev'],
      policyNames: ['triage'],
      applicationPath: '/application/',
      exempt: EXEMPT,
    });
    expect(statements.map((statement) => [statement.Sid, statement.Resource, statement.Condition])).toEqual([
      ['ProtectPlatformRoles', ['arn:aws:iam::*:role/test-deploy', 'arn:aws:iam::*:role/cross-dev', 'arn:aws:iam::*:role/application/*'], UNLESS_EXEMPT],
      ['ProtectPlatformPolicies', ['arn:aws:iam::*:policy/triage'], UNLESS_EXEMPT],
      ['ProtectApplicationInstanceProfiles', 'arn:aws:iam::*:instance-profile/application/*', UNLESS_EXEMPT],
    ]);
  });

  it("identity: group tags, memberships and others' credentials; switching into retired accounts only when there are some", () => {
    const props = { partition: 'aws' as const, memberTagKeys: 'group:*', retiredAccountIds: [] as string[], exempt: EXEMPT };
    expect(sids(protectIdentity(props))).toEqual(['DenyGroupTagsOnUsers', 'DenyMembershipChanges', 'DenyOtherUsersCredentials', 'DenyUsersCredentialsToRoles']);
    expect(protectIdentity(props)[0].Condition).toEqual({ ...UNLESS_EXEMPT, 'ForAnyValue:StringLike': { 'aws:TagKeys': 'group:*' } });
    const retired = protectIdentity({ ...props, retiredAccountIds: ['666666666666'] });
    expect(retired.at(-1)).toEqual({
      Sid: 'DenySwitchingIntoRetiredAccounts',
      Effect: 'Deny',
      Action: 'sts:AssumeRole',
      Resource: ['arn:aws:iam::666666666666:role/*'],
      Condition: UNLESS_EXEMPT,
    });
  });

  it('shared artifacts: a statement per kind of artifact the organization shares, publishers exempt from the push deny', () => {
    const base = {
      partition: 'aws' as const,
      artifactAccountId: '444444444444',
      repositoryNames: [] as string[],
      amiIds: [] as string[],
      publisherRoles: [] as string[],
      exempt: EXEMPT,
    };
    expect(sids(protectSharedArtifacts(base))).toEqual(['ProtectSharingOfImagesAndSnapshots']);
    const full = protectSharedArtifacts({
      ...base,
      repositoryNames: ['app'],
      amiIds: ['ami-0123456789abcdef0'],
      amiKeyAlias: 'alias/test-ami',
      publisherRoles: ['ci-publisher'],
    });
    expect(sids(full)).toEqual([
      'ProtectSharingOfImagesAndSnapshots',
      'ProtectSharedRepositories',
      'OnlyPublishersPush',
      'ProtectSharedAmis',
      'ProtectAmiKey',
      'ProtectAmiKeyAlias',
    ]);
    const push = full.find((statement) => statement.Sid === 'OnlyPublishersPush')!;
    expect(push.Resource).toEqual(['arn:aws:ecr:*:444444444444:repository/app']);
    expect(push.Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/test-deploy', 'arn:aws:iam::*:role/break-glass', 'arn:aws:iam::*:role/ci-publisher'] },
    });
    expect(full.find((statement) => statement.Sid === 'ProtectAmiKeyAlias')!.Resource).toBe('arn:aws:kms:*:444444444444:alias/test-ami');
  });

  it('the audit trail: GuardDuty and Security Hub kept on only where the organization runs them', () => {
    const props = {
      partition: 'aws' as const,
      trailName: 'test-trail',
      logBucketName: 'test-logs',
      logBucketChangingActions: ['s3:DeleteObject'],
      guardDuty: false,
      securityHub: false,
      exempt: EXEMPT,
    };
    expect(sids(protectAuditTrail(props))).toEqual(['ProtectOrganizationTrail', 'ProtectLogArchive']);
    expect(protectAuditTrail(props)[0].Resource).toBe('arn:aws:cloudtrail:*:*:trail/test-trail');
    expect(sids(protectAuditTrail({ ...props, guardDuty: true, securityHub: true }))).toEqual([
      'ProtectOrganizationTrail',
      'ProtectLogArchive',
      'KeepGuardDutyOn',
      'KeepSecurityHubOn',
    ]);
  });

  it('a suspended account: everything denied but to the exempt roles', () => {
    expect(denyAllButExempt({ partition: 'aws', exempt: EXEMPT })).toEqual([
      { Sid: 'DenyAllInSuspendedAccounts', Effect: 'Deny', Action: '*', Resource: '*', Condition: UNLESS_EXEMPT },
    ]);
  });
});

describe('packing guardrails into service control policies', () => {
  /** A guardrail whose one statement takes about `size` characters. */
  const guardrail = (name: string, size: number, targets = ['root']): ServiceControlGuardrail => ({
    name,
    targets,
    statements: [{ Sid: name, Effect: 'Deny', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'x'.repeat(size)}` }],
  });

  it('guardrails on the same targets share one policy, whatever the order of the targets', () => {
    const packed = packServiceControlPolicies([
      guardrail('a', 100, ['root', 'Workloads']),
      guardrail('b', 100, ['Workloads', 'root']),
      guardrail('c', 100, ['Suspended']),
    ]);
    expect(packed.map((policy) => [policy.firstOfTargets, policy.part, policy.guardrails, policy.targets])).toEqual([
      ['a', 1, ['a', 'b'], ['Workloads', 'root']],
      ['c', 1, ['c'], ['Suspended']],
    ]);
    expect(policyOf(packed[0].content).Statement.map((statement) => statement.Sid)).toEqual(['a', 'b']);
  });

  it('a guardrail that would take a policy over 5,120 characters starts the next; a small one fills the first gap (first fit)', () => {
    const packed = packServiceControlPolicies([guardrail('a', 3000), guardrail('b', 2500), guardrail('c', 1500)]);
    expect(packed.map((policy) => [policy.part, policy.guardrails])).toEqual([
      [1, ['a', 'c']],
      [2, ['b']],
    ]);
    for (const policy of packed) expect(policy.content.length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    // Right at the limit: two guardrails that fill 5,120 characters exactly still share.
    const one = packServiceControlPolicies([guardrail('a', 100), guardrail('b', 100)])[0].content.length;
    const exact = packServiceControlPolicies([guardrail('a', 100), guardrail('b', 100 + SCP_MAX_CHARACTERS - one)]);
    expect(exact.map((policy) => policy.content.length)).toEqual([SCP_MAX_CHARACTERS]);
    expect(packServiceControlPolicies([guardrail('a', 100), guardrail('b', 101 + SCP_MAX_CHARACTERS - one)])).toHaveLength(2);
  });
});

describe('an organization policy', () => {
  const out = synthScope((scope) => {
    const organization = new S3Bucket(scope, 'organization', { bucket: 'x' });
    new OrganizationPolicy(scope, 'scp', {
      name: 'test-guardrails',
      description: 'Guardrails a, b',
      type: 'SERVICE_CONTROL_POLICY',
      content: '{"Version":"2012-10-17","Statement":[]}',
      targets: [
        { name: 'root', id: 'r-abcd' },
        { name: 'Workloads/NonProd', id: 'ou-abcd-11111111' },
      ],
      organization,
    });
  });

  it('waits for the organization (its policy types) and is attached to every target', () => {
    expect(out.one('aws_organizations_policy')).toEqual({
      name: 'test-guardrails',
      description: 'Guardrails a, b',
      type: 'SERVICE_CONTROL_POLICY',
      content: '{"Version":"2012-10-17","Statement":[]}',
      depends_on: [`aws_s3_bucket.${Object.keys(out.byId('aws_s3_bucket'))[0]}`],
    });
    const policyId = out.reference('aws_organizations_policy');
    expect(
      out
        .all('aws_organizations_policy_attachment')
        .map((attachment) => [attachment.target_id, attachment.policy_id])
        .sort(),
    ).toEqual([
      ['ou-abcd-11111111', policyId],
      ['r-abcd', policyId],
    ]);
  });
});

it("a tag policy fixes the key's spelling and values, enforced only on the resource types given", () => {
  expect(JSON.parse(tagPolicyJson({ tagKey: 'Environment', allowedValues: ['dev', 'prod'], enforcedFor: ['ec2:instance'] }))).toEqual({
    tags: {
      environment: { tag_key: { '@@assign': 'Environment' }, tag_value: { '@@assign': ['dev', 'prod'] }, enforced_for: { '@@assign': ['ec2:instance'] } },
    },
  });
  expect(JSON.parse(tagPolicyJson({ tagKey: 'Environment', allowedValues: ['dev'], enforcedFor: [] })).tags.environment.enforced_for).toBeUndefined();
});
