// The audit baseline read as what it makes: the log archive account and its bucket, the organization
// trail and its ARN, the security account that administers GuardDuty and Security Hub. Names and ARNs are computed from the description, so that the management stack (the
// trail), the log archive's stack (the bucket), the guardrails and the tests agree without reading state.
import { serviceArn } from '../naming/arn';
import type { Organization } from './model';
import { organizationTrailName } from '../naming/names';

/** The organization trail lives in the management account's home region (it records every region). */
export function organizationTrailArn(org: Organization): string {
  return serviceArn(org.partition, 'cloudtrail', org.homeRegion, org.management.id, `trail/${organizationTrailName(org.name)}`);
}

/** AWS Foundational Security Best Practices, the standard Security Hub checks every account against. */
export function foundationalStandardsArn(org: Pick<Organization, 'partition' | 'homeRegion'>): string {
  return serviceArn(org.partition, 'securityhub', org.homeRegion, '', 'standards/aws-foundational-security-best-practices/v/1.0.0');
}
