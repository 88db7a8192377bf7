// The audit baseline on the offline plans of both organizations: the organization trail from the
// management account into the log archive bucket, the bucket and its policy in the log archive account's
// stack (deployed before the trail), IAM Access Analyzer at organization scope, and the trusted access
// they need.
import { organizationTrailArn } from '../description/audit';
import { loadOrganization } from '../description/load';
import { editedOrg, synthesizeOrg } from './helpers';
import { PLANNED_ORGS, plannedOrg } from './setup/planned';
import { accessAnalyzerName, logArchiveBucketName, organizationTrailName } from '../naming/names';

describe.each(Object.keys(PLANNED_ORGS))("the %s organization's audit baseline", (name) => {
  const org = loadOrganization(PLANNED_ORGS[name]);
  const stacks = plannedOrg(name);
  const management = stacks.get(org.management.name)!;
  const archive = org.logArchive;
  const archiveStack = stacks.get(archive.name)!;
  const planned = (stack: typeof management, type: string) => stack.resources.filter((resource) => resource.type === type).map((resource) => resource.values);
  const bucketName = logArchiveBucketName(org.name, org.logArchive.id);
  const archivePolicy = () =>
    planned(archiveStack, 'aws_s3_bucket_policy')
      .map((policy) => JSON.parse(policy.policy))
      .find((document) => document.Statement.some((statement: any) => statement.Sid === 'CloudTrailWrite'));

  it('plans one organization trail in the management account: every region, management events, validated log files, into the log archive', () => {
    expect(management.check.ok).toBe(true);
    const trails = planned(management, 'aws_cloudtrail');
    expect(trails).toHaveLength(1);
    expect(trails[0]).toMatchObject({
      name: organizationTrailName(org.name),
      s3_bucket_name: bucketName,
      is_organization_trail: true,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
    });
    expect(trails[0].event_selector).toEqual([expect.objectContaining({ read_write_type: 'All', include_management_events: true })]);
    // Only once the organization trusts CloudTrail, and (same stack) once the bucket admits it.
    const [configured] = management.plan.configuration.root_module.resources.filter((resource: any) => resource.type === 'aws_cloudtrail');
    expect(configured.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_organizations_organization\./),
        ...(archive.name === org.management.name ? [expect.stringMatching(/^aws_s3_bucket_policy\.log-archive/)] : []),
      ]),
    );
  });

  it('records the reads and writes of Terraform state where the description asks for it', () => {
    const [trail] = planned(management, 'aws_cloudtrail');
    const dataResources = trail.event_selector[0].data_resource;
    if (org.state.backend === 's3' && org.audit.trail.stateDataEvents) {
      expect(dataResources).toEqual([{ type: 'AWS::S3::Object', values: [`arn:aws:s3:::${org.state.bucket}/${org.state.keyPrefix}/`] }]);
    } else {
      expect(dataResources).toEqual([]);
    }
  });

  it("plans the log archive bucket in the log archive account's stack: versioned, encrypted, public access blocked, archived then expired", () => {
    expect(archiveStack.check.ok).toBe(true);
    const [bucket] = planned(archiveStack, 'aws_s3_bucket').filter((candidate) => candidate.bucket === bucketName);
    expect(bucket).toBeDefined();
    expect(Boolean(bucket.object_lock_enabled)).toBe(org.audit.logArchive.objectLockDays !== undefined);
    expect(planned(archiveStack, 'aws_s3_bucket_versioning').map((versioning) => versioning.versioning_configuration[0].status)).toContain('Enabled');
    expect(planned(archiveStack, 'aws_s3_bucket_public_access_block')).toContainEqual(
      expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    );
    const rules = planned(archiveStack, 'aws_s3_bucket_lifecycle_configuration')
      .flatMap((lifecycle) => lifecycle.rule)
      .filter((rule) => rule.id === 'archive-then-expire-logs');
    expect(rules).toHaveLength(1);
    expect(rules[0].transition).toEqual([expect.objectContaining({ days: org.audit.logArchive.transitionDays, storage_class: 'GLACIER_IR' })]);
    expect(rules[0].expiration).toEqual([expect.objectContaining({ days: org.audit.logArchive.expirationDays })]);
    const locks = planned(archiveStack, 'aws_s3_bucket_object_lock_configuration');
    if (org.audit.logArchive.objectLockDays === undefined) expect(locks).toEqual([]);
    else
      expect(locks.map((lock) => lock.rule[0].default_retention[0])).toEqual([
        expect.objectContaining({ mode: 'GOVERNANCE', days: org.audit.logArchive.objectLockDays }),
      ]);
  });

  it('admits only the organization trail to write, TLS only, and denies deleting or changing logs to all but the deploy role', () => {
    const statements = archivePolicy().Statement;
    const trail = organizationTrailArn(org);
    const allows = statements.filter((statement: any) => statement.Effect === 'Allow');
    expect(allows.map((statement: any) => [statement.Principal, statement.Action, statement.Condition.StringEquals['aws:SourceArn']])).toEqual([
      [{ Service: 'cloudtrail.amazonaws.com' }, 's3:GetBucketAcl', trail],
      [{ Service: 'cloudtrail.amazonaws.com' }, 's3:PutObject', trail],
    ]);
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny' }));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'OnlyTheDeployRoleDeletesOrChangesLogs',
        Effect: 'Deny',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${archive.id}:role/${org.deployRole}` } },
      }),
    );
  });

  it("deploys the log archive before the trail: in the same stack, or the log archive's stack first, after bootstrap", () => {
    if (archive.name === org.management.name) return expect(archiveStack).toBe(management);
    expect(archiveStack.dependencies).toEqual(['bootstrap']);
    expect(management.dependencies).toEqual(expect.arrayContaining(['bootstrap', archive.name]));
  });

  it('plans IAM Access Analyzer at organization scope in the management account', () => {
    expect(planned(management, 'aws_accessanalyzer_analyzer')).toEqual([
      expect.objectContaining({ analyzer_name: accessAnalyzerName(org.name), type: 'ORGANIZATION' }),
    ]);
  });

  it('trusts CloudTrail and Access Analyzer in the organization, and GuardDuty and Security Hub where they are on', () => {
    const [organization] = planned(management, 'aws_organizations_organization');
    expect(organization.aws_service_access_principals).toEqual(expect.arrayContaining(['access-analyzer.amazonaws.com', 'cloudtrail.amazonaws.com']));
    expect(organization.aws_service_access_principals.includes('guardduty.amazonaws.com')).toBe(org.audit.guardDuty);
    expect(organization.aws_service_access_principals.includes('securityhub.amazonaws.com')).toBe(org.audit.securityHub);
  });

  it('delegates GuardDuty and Security Hub, where on, to the security account, which enables them for every current and new account', () => {
    const security = org.securityAdministrator;
    const findingsTypes = /^aws_(guardduty|securityhub)_/;
    const everywhere = [...stacks.values()].flatMap((stack) => stack.resources.filter((resource) => findingsTypes.test(resource.type)));
    if (!security) return expect(everywhere).toEqual([]);
    const securityStack = stacks.get(security.name)!;
    expect(securityStack.check.ok).toBe(true);
    // After the management stack, which registers the delegation.
    expect(securityStack.dependencies).toContain(org.management.name);
    expect(planned(management, 'aws_guardduty_organization_admin_account')).toEqual([expect.objectContaining({ admin_account_id: security.id })]);
    expect(planned(management, 'aws_securityhub_organization_admin_account')).toEqual([expect.objectContaining({ admin_account_id: security.id })]);
    expect(planned(management, 'aws_guardduty_detector')).toEqual([expect.objectContaining({ enable: true })]);
    expect(planned(securityStack, 'aws_guardduty_detector')).toEqual([expect.objectContaining({ enable: true })]);
    expect(planned(securityStack, 'aws_guardduty_organization_configuration')).toEqual([expect.objectContaining({ auto_enable_organization_members: 'ALL' })]);
    expect(planned(securityStack, 'aws_securityhub_organization_configuration')).toEqual([
      expect.objectContaining({ auto_enable: true, auto_enable_standards: 'DEFAULT' }),
    ]);
    expect(planned(securityStack, 'aws_securityhub_standards_subscription')).toEqual([
      expect.objectContaining({ standards_arn: `arn:aws:securityhub:${org.homeRegion}::standards/aws-foundational-security-best-practices/v/1.0.0` }),
    ]);
    // Nowhere else: the other member accounts are enrolled by the administrator, not by their own stacks.
    const elsewhere = [...stacks].filter(([stackName]) => ![org.management.name, security.name].includes(stackName));
    expect(elsewhere.flatMap(([, stack]) => stack.resources.filter((resource) => findingsTypes.test(resource.type)))).toEqual([]);
  });
});

describe('audit settings', () => {
  it('without Access Analyzer: no analyzer, and the organization does not trust it', async () => {
    const { stacks } = await synthesizeOrg(editedOrg({ 'organization.yaml': (file) => (file.audit = { accessAnalyzer: false }) }));
    const management = stacks.find((stack) => stack.name === 'management')!.json!;
    expect(management.resource!.aws_accessanalyzer_analyzer).toBeUndefined();
    expect(Object.values(management.resource!.aws_organizations_organization)[0].aws_service_access_principals).not.toContain('access-analyzer.amazonaws.com');
  });
});
