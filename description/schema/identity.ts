// The people side of the description: groups by job function, users, and the access matrix
// (group x account -> permissions) that the identity capability turns into groups, roles and policies.
import { z } from 'zod';
import { iamName, slug } from './common';

export const groupName = slug('group name');
export const accountName = slug('account name');

/** An AWS managed policy name (with its path when not at the root, e.g. job-function/Billing) or a custom one. */
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
      'in any other account, the permissions of the role cross-<group>. A missing or empty cell means no access.',
  );
