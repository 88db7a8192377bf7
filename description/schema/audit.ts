// Who did what, in every account: the log archive bucket, the organization trail, IAM Access Analyzer,
// GuardDuty and Security Hub (the audit block of organization.yaml; the accounts are logArchiveAccount and
// securityAccount).
import { z } from 'zod';

/** S3 Object Lock keeps a version at most 100 years. */
const MAX_RETENTION_DAYS = 36500;

const days = (what: string) => z.number().int().min(1).max(MAX_RETENTION_DAYS).describe(what);

export const logArchiveSchema = z
  .strictObject({
    transitionDays: days('Days after which log objects move to S3 Glacier Instant Retrieval (cheaper storage, same access).').default(90),
    expirationDays: days('Days after which log objects expire; must be later than transitionDays.').default(730),
    objectLockDays: days(
      'When set, S3 Object Lock in governance mode keeps every log object version this many days (the bucket is created with Object Lock; it cannot be added later); at most expirationDays.',
    ).optional(),
  })
  .check((context) => {
    const { transitionDays, expirationDays, objectLockDays } = context.value;
    if (expirationDays <= transitionDays) {
      context.issues.push({
        code: 'custom',
        input: expirationDays,
        path: ['expirationDays'],
        message: `(${expirationDays}) must be later than transitionDays (${transitionDays})`,
      });
    }
    if (objectLockDays !== undefined && objectLockDays > expirationDays) {
      context.issues.push({
        code: 'custom',
        input: objectLockDays,
        path: ['objectLockDays'],
        message: `(${objectLockDays}) must not be later than expirationDays (${expirationDays})`,
      });
    }
  })
  .prefault({})
  .describe('The one log bucket of the organization, in the log archive account: versioned, encrypted, TLS only, written by CloudTrail only.');

export const auditSchema = z
  .strictObject({
    logArchive: logArchiveSchema,
    trail: z
      .strictObject({
        stateDataEvents: z
          .boolean()
          .default(false)
          .describe('Record every read and write of Terraform state (S3 data events on the state bucket, $0.10 per 100,000 events); s3 state only.'),
      })
      .prefault({})
      .describe('The organization trail: every account, every region, management events, log file validation, delivered to the log archive.'),
    accessAnalyzer: z
      .boolean()
      .default(true)
      .describe('IAM Access Analyzer at organization scope (free): findings on resources shared outside the organization.'),
    guardDuty: z
      .boolean()
      .default(false)
      .describe('GuardDuty in every account of the home region, administered by securityAccount (priced per event and GB analyzed: see the review).'),
    securityHub: z
      .boolean()
      .default(false)
      .describe(
        'Security Hub with AWS Foundational Security Best Practices in every account of the home region, administered by securityAccount (priced per check).',
      ),
  })
  .prefault({})
  .describe('The audit baseline: the log archive, the organization trail, IAM Access Analyzer, GuardDuty and Security Hub.');
