// The names of what the project creates, as pure functions of the organization's name and ids: the one
// place that says what a role, tag, bucket, policy, alias or session is called. Stacks create things
// under these names; the description's checks, the guardrails, the review and the tests refer to them.

/** The value of the ManagedBy tag, and the prefix of every session the stacks' providers open. */
export const MANAGED_BY = 'cdktf';

/** The tag naming an account's environment: on every resource, in the tag policy, as the cost category. */
export const ENVIRONMENT_TAG = 'Environment';

/** The role members of `group` switch into in the accounts their row of the access matrix reaches. */
export function crossAccountRoleName(group: string): string {
  return `cross-${group}`;
}

const GROUP_MEMBER_TAG_PREFIX = 'group:';

/** The tag every member of `group` carries on their IAM user; its cross-account roles admit only them. */
export function groupMemberTag(group: string): { key: string; value: string } {
  return { key: `${GROUP_MEMBER_TAG_PREFIX}${group}`, value: 'member' };
}

/** The keys of every group's member tag, as a pattern: only Terraform may set them (guardrail protectIdentity). */
export const GROUP_MEMBER_TAG_KEYS = `${GROUP_MEMBER_TAG_PREFIX}*`;

/** The customer managed policy every IAM user carries: nothing but setting up MFA until signed in with it. */
export const REQUIRE_MFA_POLICY_NAME = 'require-mfa';

/** The state bucket and the bucket its access logs go to, in the management account. */
export function stateBucketName(organization: string, managementAccountId: string): string {
  return `${organization}-tfstate-${managementAccountId}`;
}

export function stateAccessLogBucketName(organization: string, managementAccountId: string): string {
  return `${organization}-tfstate-logs-${managementAccountId}`;
}

/** The organization's one log bucket, in the log archive account. */
export function logArchiveBucketName(organization: string, logArchiveAccountId: string): string {
  return `${organization}-logs-${logArchiveAccountId}`;
}

/** The bucket an account's VPC flow logs go to; with accountId '*', the pattern of every account's. */
export function flowLogBucketName(organization: string, accountId: string): string {
  return `${organization}-flow-logs-${accountId}`;
}

export function organizationTrailName(organization: string): string {
  return `${organization}-organization-trail`;
}

export function accessAnalyzerName(organization: string): string {
  return `${organization}-organization`;
}

/** The alias of the project's AMI key, without alias/: how image builds name it. */
export function amiKeyAliasName(organization: string): string {
  return `${organization}/shared-amis`;
}

/** A service control policy, by the guardrail its targets share first (camelCase key) and its part. */
export function guardrailPolicyName(organization: string, key: string): string {
  return `${organization}-guardrails-${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

export function environmentTagPolicyName(organization: string): string {
  return `${organization}-environment-tag-policy`;
}

export function accountBudgetName(organization: string, account: string): string {
  return `${organization}-${account}-monthly`;
}

/** The read-only role a pull request's workflow run plans with, in every account (organization.yaml `ci`). */
export function planRoleName(organization: string): string {
  return `${organization}-plan`;
}

/** The assumed-role session name: CloudTrail shows which organization and stack acted. */
export function sessionName(organization: string, stackName: string): string {
  return `${MANAGED_BY}-${organization}-${stackName}`;
}
