// modules/audit: the log archive bucket, the organization trail, Access Analyzer, GuardDuty and Security Hub.
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { OrganizationAccessAnalyzer } from '../../../modules/audit/access-analyzer';
import { FindingsAdministration, FindingsDelegation, type FindingsServices } from '../../../modules/audit/findings';
import { LogArchive, type LogArchiveProps } from '../../../modules/audit/log-archive';
import { LOG_ARCHIVE_CHANGING_ACTIONS } from '../../../catalog/log-archive';
import { OrganizationTrail } from '../../../modules/audit/organization-trail';
import { statementOf, synthScope } from '../synth-scope';

const TRAIL_ARN = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/test-trail';
const ARCHIVE: LogArchiveProps = {
  partition: 'aws',
  bucketName: 'test-logs',
  accountId: '444444444444',
  deployRoleName: 'test-deploy',
  trailArn: TRAIL_ARN,
  transitionDays: 90,
  expirationDays: 365,
};

describe('the log archive', () => {
  const out = synthScope((scope) => new LogArchive(scope, 'archive', ARCHIVE));
  const policy = out.one('aws_s3_bucket_policy').policy;

  it('is a versioned private bucket no plan destroys, archiving then expiring logs', () => {
    expect(out.one('aws_s3_bucket')).toMatchObject({ bucket: 'test-logs', lifecycle: { prevent_destroy: true } });
    expect(out.one('aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(out.one('aws_s3_bucket_lifecycle_configuration').rule).toEqual([
      expect.objectContaining({
        transition: [{ days: 90, storage_class: 'GLACIER_IR' }],
        expiration: [{ days: 365 }],
        noncurrent_version_expiration: [{ noncurrent_days: 365 }],
      }),
    ]);
    expect(statementOf(policy, 'DenyInsecureTransport').Effect).toBe('Deny');
  });

  it('takes logs from the organization trail only, owned by the bucket', () => {
    expect(statementOf(policy, 'CloudTrailWrite')).toEqual({
      Sid: 'CloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::test-logs/AWSLogs/*',
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    });
    expect(statementOf(policy, 'CloudTrailAclCheck').Condition).toEqual({ StringEquals: { 'aws:SourceArn': TRAIL_ARN } });
  });

  it('lets nobody but the deploy role of its account erase logs or change the bucket', () => {
    expect(statementOf(policy, 'OnlyTheDeployRoleDeletesOrChangesLogs')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [...LOG_ARCHIVE_CHANGING_ACTIONS],
      Resource: ['arn:aws:s3:::test-logs', 'arn:aws:s3:::test-logs/*'],
      Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::444444444444:role/test-deploy' } },
    });
    expect(LOG_ARCHIVE_CHANGING_ACTIONS).toEqual(
      expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutBucketPolicy', 's3:BypassGovernanceRetention']),
    );
  });

  it('holds objects under governance-mode Object Lock only when given the days', () => {
    expect(out.all('aws_s3_bucket_object_lock_configuration')).toEqual([]);
    expect(out.one('aws_s3_bucket').object_lock_enabled).toBeUndefined();
    const locked = synthScope((scope) => new LogArchive(scope, 'archive', { ...ARCHIVE, objectLockDays: 30 }));
    expect(locked.one('aws_s3_bucket').object_lock_enabled).toBe(true);
    expect(locked.one('aws_s3_bucket_object_lock_configuration')).toEqual({
      bucket: locked.reference('aws_s3_bucket'),
      rule: { default_retention: { mode: 'GOVERNANCE', days: 30 } },
    });
  });
});

describe('the organization trail', () => {
  const trailOf = (dataEventPrefixes: string[]) =>
    synthScope((scope) => {
      const dependency = new S3Bucket(scope, 'dependency', { bucket: 'x' });
      new OrganizationTrail(scope, 'trail', { name: 'test-trail', bucketName: 'test-logs', dataEventPrefixes, dependsOn: [dependency] });
    });

  it('covers every account and region, with validated log files, after what it depends on', () => {
    const out = trailOf([]);
    expect(out.one('aws_cloudtrail')).toEqual({
      name: 'test-trail',
      s3_bucket_name: 'test-logs',
      is_organization_trail: true,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      event_selector: [{ read_write_type: 'All', include_management_events: true }],
      depends_on: [`aws_s3_bucket.${Object.keys(out.byId('aws_s3_bucket'))[0]}`],
    });
  });

  it('records object reads and writes under the prefixes given', () => {
    expect(trailOf(['arn:aws:s3:::test-state/stacks/']).one('aws_cloudtrail').event_selector[0].data_resource).toEqual([
      { type: 'AWS::S3::Object', values: ['arn:aws:s3:::test-state/stacks/'] },
    ]);
  });
});

it('Access Analyzer covers the whole organization', () => {
  const out = synthScope((scope) => new OrganizationAccessAnalyzer(scope, 'analyzer', { name: 'test-analyzer', dependsOn: [] }));
  expect(out.one('aws_accessanalyzer_analyzer')).toMatchObject({ analyzer_name: 'test-analyzer', type: 'ORGANIZATION' });
});

describe('GuardDuty and Security Hub', () => {
  const types = (services: FindingsServices, build: 'delegation' | 'administration') =>
    Object.keys(
      synthScope((scope) => {
        const trustedAccess = new S3Bucket(scope, 'trusted-access', { bucket: 'x' });
        if (build === 'delegation') new FindingsDelegation(scope, 'findings', { ...services, adminAccountId: '444444444444', trustedAccess });
        else new FindingsAdministration(scope, 'findings', { ...services, standardsArn: 'arn:aws:securityhub:eu-west-1::standards/fsbp/v/1.0.0' });
      }).json.resource!,
    ).filter((type) => type !== 'aws_s3_bucket');

  it('each a toggle: nothing when off, only its own resources when on', () => {
    expect(types({ guardDuty: false, securityHub: false }, 'delegation')).toEqual([]);
    expect(types({ guardDuty: true, securityHub: false }, 'delegation')).toEqual(['aws_guardduty_detector', 'aws_guardduty_organization_admin_account']);
    expect(types({ guardDuty: false, securityHub: true }, 'administration')).toEqual([
      'aws_securityhub_account',
      'aws_securityhub_organization_configuration',
      'aws_securityhub_standards_subscription',
    ]);
  });

  it('the management account delegates both to the administrator account, after trusted access', () => {
    const out = synthScope((scope) => {
      const trustedAccess = new S3Bucket(scope, 'trusted-access', { bucket: 'x' });
      new FindingsDelegation(scope, 'findings', { guardDuty: true, securityHub: true, adminAccountId: '444444444444', trustedAccess });
    });
    const trustedAccess = `aws_s3_bucket.${Object.keys(out.byId('aws_s3_bucket'))[0]}`;
    expect(out.one('aws_guardduty_organization_admin_account')).toEqual({ admin_account_id: '444444444444', depends_on: [trustedAccess] });
    expect(out.one('aws_securityhub_organization_admin_account')).toMatchObject({
      admin_account_id: '444444444444',
      depends_on: [trustedAccess, expect.stringMatching(/^aws_securityhub_account\./)],
    });
  });

  it('the administrator account enrols every member account, Security Hub with the standard given', () => {
    const out = synthScope(
      (scope) =>
        new FindingsAdministration(scope, 'findings', {
          guardDuty: true,
          securityHub: true,
          standardsArn: 'arn:aws:securityhub:eu-west-1::standards/fsbp/v/1.0.0',
        }),
    );
    expect(out.one('aws_guardduty_organization_configuration')).toEqual({
      detector_id: out.reference('aws_guardduty_detector'),
      auto_enable_organization_members: 'ALL',
    });
    expect(out.one('aws_securityhub_organization_configuration')).toMatchObject({ auto_enable: true, auto_enable_standards: 'DEFAULT' });
    expect(out.one('aws_securityhub_standards_subscription').standards_arn).toBe('arn:aws:securityhub:eu-west-1::standards/fsbp/v/1.0.0');
    expect(out.one('aws_securityhub_account').enable_default_standards).toBe(false);
  });
});
