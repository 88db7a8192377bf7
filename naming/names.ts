// Names of the things the project creates that more than one layer must agree on, as pure functions: the
// stacks create them under these names, the description's checks and the guardrails refer to them.

/** The customer managed policy every IAM user carries: nothing but setting up MFA until signed in with it. */
export const REQUIRE_MFA_POLICY_NAME = 'require-mfa';
