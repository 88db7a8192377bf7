// The audit baseline read as what it makes: the log archive account and its bucket, the organization
// trail and its ARN, the security account that administers GuardDuty and Security Hub. Names and ARNs are computed from the description, so that the management stack (the
// trail), the log archive's stack (the bucket), the guardrails and the tests agree without reading state.
import { regionalArn } from '../modules/common/arn';
import type { Organization } from './model';

/** The organization's one log bucket, in the log archive account. */
export function logArchiveBucketName(org: Organization): string {
  return `${org.name}-logs-${org.logArchive.id}`;
}

export function organizationTrailName(org: Pick<Organization, 'name'>): string {
  return `${org.name}-organization-trail`;
}

/** The organization trail lives in the management account's home region (it records every region). */
export function organizationTrailArn(org: Organization): string {
  return regionalArn('cloudtrail', org.homeRegion, org.management.id, `trail/${organizationTrailName(org)}`);
}

/** AWS Foundational Security Best Practices, the standard Security Hub checks every account against. */
export function foundationalStandardsArn(region: string): string {
  return `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
}

export function accessAnalyzerName(org: Pick<Organization, 'name'>): string {
  return `${org.name}-organization`;
}
