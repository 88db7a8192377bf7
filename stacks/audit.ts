// The audit baseline in the stacks of the accounts it lives in: the log archive bucket in the log archive
// account's stack, the organization trail, IAM Access Analyzer and the delegation of GuardDuty and Security
// Hub in the management stack, their organization-wide configuration in the security account's stack. The trail
// names the bucket by its computed name, so no stack reads another's state; the log archive's stack
// deploys before the management stack (stacks/organization-app.ts), so the bucket admits the trail
// before the trail exists.
import type { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { ITerraformDependable, TerraformStack } from 'cdktf';
import { foundationalStandardsArn, organizationTrailArn } from '../description/audit';
import type { Account, Organization } from '../description/model';
import { OrganizationAccessAnalyzer } from '../modules/audit/access-analyzer';
import { FindingsAdministration, FindingsDelegation } from '../modules/audit/findings';
import { LogArchive } from '../modules/audit/log-archive';
import { OrganizationTrail } from '../modules/audit/organization-trail';
import { s3BucketArn } from '../naming/arn';
import { accessAnalyzerName, logArchiveBucketName, organizationTrailName } from '../naming/names';

/** Trusted access the organization needs for the audit baseline. */
export function auditServicePrincipals(org: Organization): string[] {
  const { accessAnalyzer, guardDuty, securityHub } = org.audit;
  return [
    'cloudtrail.amazonaws.com',
    ...(accessAnalyzer ? ['access-analyzer.amazonaws.com'] : []),
    ...(guardDuty ? ['guardduty.amazonaws.com'] : []),
    ...(securityHub ? ['securityhub.amazonaws.com'] : []),
  ];
}

/** The log archive bucket, in the log archive account's stack; its policy, or undefined in any other account. */
export function buildLogArchive(stack: TerraformStack, org: Organization, account: Account): S3BucketPolicy | undefined {
  if (account.name !== org.logArchive.name) return undefined;
  const { logArchive } = org.audit;
  return new LogArchive(stack, 'log-archive', {
    partition: org.partition,
    bucketName: logArchiveBucketName(org.name, org.logArchive.id),
    accountId: account.id,
    deployRoleName: org.deployRole,
    trailArn: organizationTrailArn(org),
    transitionDays: logArchive.transitionDays,
    expirationDays: logArchive.expirationDays,
    objectLockDays: logArchive.objectLockDays,
  }).policy;
}

/**
 * The organization trail and analyzer, in the management stack, once the organization trusts their
 * services (`trustedAccess`); `logArchivePolicy` when the log archive is the management account itself.
 */
export function buildOrganizationAudit(stack: TerraformStack, org: Organization, trustedAccess: ITerraformDependable, logArchivePolicy?: S3BucketPolicy): void {
  const { state } = org;
  new OrganizationTrail(stack, 'organization-trail', {
    name: organizationTrailName(org.name),
    bucketName: logArchiveBucketName(org.name, org.logArchive.id),
    dataEventPrefixes: state.backend === 's3' && org.audit.trail.stateDataEvents ? [`${s3BucketArn(org.partition, state.bucket)}/${state.keyPrefix}/`] : [],
    dependsOn: [trustedAccess, ...(logArchivePolicy ? [logArchivePolicy] : [])],
  });
  if (org.audit.accessAnalyzer) new OrganizationAccessAnalyzer(stack, 'access-analyzer', { name: accessAnalyzerName(org.name), dependsOn: [trustedAccess] });
  const security = org.securityAdministrator;
  if (security) {
    new FindingsDelegation(stack, 'findings-delegation', {
      guardDuty: org.audit.guardDuty,
      securityHub: org.audit.securityHub,
      adminAccountId: security.id,
      trustedAccess,
    });
  }
}

/**
 * GuardDuty and Security Hub for every account, in the security account's stack, which deploys after the
 * management stack has delegated their administration to it.
 */
export function buildFindingsAdministration(stack: TerraformStack, org: Organization, account: Account): void {
  if (org.securityAdministrator?.name !== account.name) return;
  new FindingsAdministration(stack, 'findings', {
    guardDuty: org.audit.guardDuty,
    securityHub: org.audit.securityHub,
    standardsArn: foundationalStandardsArn(org),
  });
}
