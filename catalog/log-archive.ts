// What changes the organization's log archive: the one list the bucket's own policy and the audit-trail
// guardrail both deny to everyone but the deploy role.

/** What would erase logs, or let someone else write or read them. */
export const LOG_ARCHIVE_CHANGING_ACTIONS: readonly string[] = [
  's3:BypassGovernanceRetention',
  's3:DeleteBucket',
  's3:DeleteBucketPolicy',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketPolicy',
  's3:PutBucketVersioning',
  's3:PutLifecycleConfiguration',
  's3:PutObjectLegalHold',
  's3:PutObjectRetention',
];
