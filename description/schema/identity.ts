// The people side of the description: groups by job function, users, and the access matrix
// (group x account -> permissions) that the identity capability turns into groups, roles and policies.
import { z } from 'zod';
import { DEFAULT_IAM_QUOTAS } from '../../modules/synth-guardrails/limits';
import { email, iamName, region, slug } from './common';

export const groupName = slug('group name');
export const accountName = slug('account name');

/** An AWS managed policy name (with its path when not at the root, e.g. job-function/Billing) or a custom one; checks/identity.ts says which exist. */
export const permissionName = z.string().regex(/^[A-Za-z0-9+=,.@_/-]{1,128}$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid policy name`,
});

export const groupsSchema = z
  .record(groupName, z.strictObject({ description: z.string().min(1) }))
  .describe('Groups by job function: users get their permissions in every account through them.');

export const usersSchema = z
  .record(
    iamName('IAM user name'),
    z.strictObject({
      groups: z.array(groupName).min(1).describe('Groups this user belongs to.'),
      givenName: z.string().min(1).optional().describe('Given name in the Identity Center directory (default: the user name).'),
      familyName: z.string().min(1).optional().describe('Family name in the Identity Center directory (default: the user name).'),
      email: email.optional().describe('Primary email in the Identity Center directory.'),
    }),
  )
  .describe('People: IAM users in the identity account, and/or users of the Identity Center directory (identity.mode).');

export const accessSchema = z
  .record(groupName, z.record(accountName, z.array(permissionName)))
  .describe(
    "The access matrix: group -> account -> permissions. In the identity account, the group's own permissions; " +
      'in any other account, the permissions of the role cross-<group>. A missing or empty cell means no access. ' +
      "Permissions are AWS managed policy names, with their path (job-function/Billing), or the project's own: " +
      'triage (view-only plus reading logs and metrics), pass-application-roles.',
  );

export const mfaMaxAgeHoursSchema = z
  .number()
  .min(0.25)
  .max(36)
  .default(12)
  .describe(
    'Cross-account roles accept an MFA sign-in at most this many hours old (default 12: a console sign-in session; ' +
      'CLI role profiles ask for a fresh code anyway).',
  );

export const maxSessionHoursSchema = z
  .number()
  .min(1)
  .max(12)
  .default(4)
  .describe("How long a session in this account's cross-account roles lasts at most, in hours (1-12, default 4); shorter where mistakes cost more.");

export const iamQuotasSchema = z
  .strictObject({
    roleTrustPolicyLength: z
      .number()
      .int()
      .min(DEFAULT_IAM_QUOTAS.roleTrustPolicyLength)
      .max(4096)
      .default(DEFAULT_IAM_QUOTAS.roleTrustPolicyLength)
      .describe('"Role trust policy length", characters without whitespace (AWS default 2,048, at most 4,096).'),
    managedPoliciesPerRole: z
      .number()
      .int()
      .min(DEFAULT_IAM_QUOTAS.managedPoliciesPerRole)
      .max(20)
      .default(DEFAULT_IAM_QUOTAS.managedPoliciesPerRole)
      .describe('"Managed policies per role": the most an access cell outside the identity account attaches (AWS default 10, at most 20).'),
    managedPoliciesPerUser: z
      .number()
      .int()
      .min(DEFAULT_IAM_QUOTAS.managedPoliciesPerUser)
      .max(20)
      .default(DEFAULT_IAM_QUOTAS.managedPoliciesPerUser)
      .describe('"Managed policies per user" (AWS default 10, at most 20).'),
  })
  .prefault({})
  .describe(
    'IAM quotas as raised in every account (Service Quotas); the synth refuses a document or attachment set over them, and over every fixed AWS limit.',
  );

export const IDENTITY_MODES = ['iam-users', 'identity-center', 'both'] as const;

export const identitySchema = z
  .strictObject({
    mode: z
      .enum(IDENTITY_MODES)
      .default('iam-users')
      .describe(
        'How people reach the accounts: iam-users (IAM users in the identity account switching into cross-<group> roles), ' +
          'identity-center (IAM Identity Center permission sets and account assignments, no IAM user), or both (the migration).',
      ),
    identityCenter: z
      .strictObject({
        instanceArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, {
            error: (issue) => `${JSON.stringify(issue.input)} is not an Identity Center instance ARN (arn:aws:sso:::instance/ssoins-<16 characters>)`,
          })
          .describe('The Identity Center instance (enabled once in the console): arn:aws:sso:::instance/ssoins-...'),
        identityStoreId: z
          .string()
          .regex(/^d-[0-9a-f]{10}$/, {
            error: (issue) => `${JSON.stringify(issue.input)} is not an identity store id (d- and 10 hexadecimal digits)`,
          })
          .describe("Its identity store: d-xxxxxxxxxx (also the access portal's default subdomain)."),
        region: region.optional().describe('The region Identity Center is enabled in (default: homeRegion).'),
        identitySource: z
          .enum(['identity-center-directory', 'external-idp'])
          .default('identity-center-directory')
          .describe(
            'identity-center-directory: the project creates the groups and the users listed in users; ' +
              "external-idp: your IdP provisions users and groups (SCIM), found by display name (= the group's name), and users must not be listed.",
          ),
        delegatedAdministrator: slug('account name')
          .optional()
          .describe('A member account that administers Identity Center for the organization (default: the management account itself).'),
      })
      .optional()
      .describe('The existing IAM Identity Center instance; required unless mode is iam-users.'),
  })
  .prefault({})
  .describe('How people sign in: IAM users, IAM Identity Center, or both while migrating.');
