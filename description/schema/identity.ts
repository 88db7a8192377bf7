// The people side of the description: groups by job function, users, and the access matrix
// (group x account -> permissions) that the identity capability turns into groups, roles and policies.
import { z } from 'zod';
import { DEFAULT_IAM_QUOTAS } from '../../modules/synth-guardrails/limits';
import { iamName, slug } from './common';

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
    }),
  )
  .describe('IAM users, created only in the identity account.');

export const accessSchema = z
  .record(groupName, z.record(accountName, z.array(permissionName)))
  .describe(
    'The access matrix: group -> account -> permissions. In the identity account, the group\'s own permissions; ' +
      'in any other account, the permissions of the role cross-<group>. A missing or empty cell means no access. ' +
      'Permissions are AWS managed policy names, with their path (job-function/Billing), or the project\'s own: ' +
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
  .describe('How long a session in this account\'s cross-account roles lasts at most, in hours (1-12, default 4); shorter where mistakes cost more.');

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
  .describe('IAM quotas as raised in every account (Service Quotas); the synth refuses a document or attachment set over them, and over every fixed AWS limit.');
