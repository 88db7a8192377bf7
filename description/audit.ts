// The audit baseline read as what it makes: the log archive account and its bucket, the organization
// trail and its ARN. Names and ARNs are computed from the description, so that the management stack (the
// trail), the log archive's stack (the bucket), the guardrails and the tests agree without reading state.
import { regionalArn } from '../modules/common/arn';
import type { Account, Organization } from './model';

export function logArchiveAccount(org: Organization): Account {
  return org.accounts.find((account) => account.name === org.logArchiveAccount)!;
}

/** The organization's one log bucket, in the log archive account. */
export function logArchiveBucketName(org: Organization): string {
  return `${org.name}-logs-${logArchiveAccount(org).id}`;
}

export function organizationTrailName(org: Pick<Organization, 'name'>): string {
  return `${org.name}-organization-trail`;
}

/** The organization trail lives in the management account's home region (it records every region). */
export function organizationTrailArn(org: Organization): string {
  return regionalArn('cloudtrail', org.homeRegion, org.accounts[0].id, `trail/${organizationTrailName(org)}`);
}

export function accessAnalyzerName(org: Pick<Organization, 'name'>): string {
  return `${org.name}-organization`;
}
