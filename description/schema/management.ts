// What the management (payer) stack builds from the description: the AWS Organization and its OUs
// (awsOrganization), the organization policies (guardrails), the cost alerts (costs) in organization.yaml,
// and each account's monthly budget (budget) in its own file.
import { z } from 'zod';
import { email, iamName, region } from './common';

const show = (value: unknown): string => JSON.stringify(value);

/** An OU path under the root, e.g. Workloads/NonProd. */
export const ouPath = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _-]*(\/[A-Za-z0-9][A-Za-z0-9 _-]*)*$/, {
  error: (issue) => `${show(issue.input)} is not a valid OU path (e.g. Workloads/NonProd)`,
});

/** The OU retired accounts are moved to, unless awsOrganization.retiredAccountsOu names another. */
export const DEFAULT_RETIRED_ACCOUNTS_OU = 'Suspended';

const servicePrincipal = z.string().regex(/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/, {
  error: (issue) => `${show(issue.input)} is not an AWS service principal (e.g. sso.amazonaws.com)`,
});

// AWS Budgets notifications and Cost Anomaly Detection subscriptions both take at most 10 email subscribers.
const alertEmails = z.array(email).min(1).max(10);

export const awsOrganizationSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^o-[a-z0-9]{10,32}$/, { error: (issue) => `${show(issue.input)} is not an organization id (o- and 10-32 lowercase letters or digits)` })
      .optional()
      .describe('Id of the existing organization to adopt (import); omit to have the management stack create one.'),
    serviceAccessPrincipals: z
      .array(servicePrincipal)
      .default([])
      .describe(
        'AWS services trusted by the organization beyond those this project needs. Adopting an organization: list every service it already trusts, or the plan disables them.',
      ),
    organizationalUnits: z
      .record(
        ouPath,
        z.strictObject({
          id: z
            .string()
            .regex(/^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/, { error: (issue) => `${show(issue.input)} is not an OU id (ou-xxxx-xxxxxxxx)` })
            .optional()
            .describe('Id of the existing OU to adopt (import); omit to create it.'),
        }),
      )
      .default({})
      .describe('OUs to create beyond those the accounts name (their parents are created too), or to adopt by id.'),
    retiredAccountsOu: ouPath
      .default(DEFAULT_RETIRED_ACCOUNTS_OU)
      .describe('The OU retired accounts are moved to, under the suspendRetiredAccounts guardrail (created if missing).'),
  })
  .prefault({})
  .describe('The AWS Organization the management account owns: adopted by id, or created.');

const targets = z
  .array(z.string().min(1))
  .describe('Where the policy is attached: "root" (every account but the management account), an OU path or an account name. Empty: not created.');

const exemptRoles = z
  .array(iamName('role name'))
  .default([])
  .describe('Roles let through besides deployRole (e.g. a break-glass role), by name in every account.');

const guardrail = <T extends z.core.$ZodLooseShape>(parameters: T) => z.strictObject({ targets: targets.default(['root']), ...parameters });

/** A guardrail that reserves changes to Terraform's deploy role and the roles it exempts. */
const reservingGuardrail = <T extends z.core.$ZodLooseShape>(parameters: T) => guardrail({ exemptRoles, ...parameters });

export const guardrailsSchema = z
  .strictObject({
    denyLeavingOrganization: guardrail({}).prefault({}).describe('Service control policy: no account may leave the organization.'),
    denyRootUser: guardrail({}).prefault({}).describe('Service control policy: the root user of member accounts can do nothing.'),
    denyOutsideAllowedRegions: guardrail({
      regions: z.array(region).min(1).optional().describe('Regions allowed (default: allowedRegions); must include homeRegion.'),
    })
      .prefault({})
      .describe('Service control policy: no action outside the regions, but in the global services.'),
    protectPlatformRoles: reservingGuardrail({
      roles: z.array(iamName('role name')).min(1).optional().describe('Roles protected (default: deployRole and every cross-<group> role).'),
    })
      .prefault({})
      .describe(
        "Service control policy: only the deploy role changes the deploy and cross-account roles, the project's own policies attached to them, " +
          'the application roles and instance profiles, and (with Identity Center) its AWSReservedSSO_* roles and their SAML provider.',
      ),
    protectIdentity: reservingGuardrail({})
      .prefault({})
      .describe(
        'Service control policy: only the deploy role tags users with group:* tags, changes group memberships, group and user policies, ' +
          "or another user's credentials (keys, password, MFA devices); nobody switches into a retired account.",
      ),
    denyIamUsersOutsideIdentityAccount: reservingGuardrail({})
      .prefault({})
      .describe('Service control policy: no IAM user, access key or password outside the identity account, but by the deploy role.'),
    protectSharedArtifacts: reservingGuardrail({})
      .prefault({})
      .describe(
        'Service control policy: only the deploy role and sharing.publisherRoles change the shared repositories (policy, tag mutability, lifecycle, images), ' +
          "the sharing of the artifact account's AMIs and snapshots, the shared AMIs and the AMI key.",
      ),
    protectAccountBaseline: reservingGuardrail({})
      .prefault({})
      .describe(
        'Service control policy: only the deploy role turns off S3, AMI and snapshot public access blocks and EBS default encryption, ' +
          'or deletes flow logs and their objects.',
      ),
    protectAuditTrail: reservingGuardrail({})
      .prefault({})
      .describe(
        'Service control policy: only the deploy role stops, deletes or changes the organization trail, or deletes or changes the log archive bucket and its objects.',
      ),
    suspendRetiredAccounts: reservingGuardrail({ targets: targets.default([DEFAULT_RETIRED_ACCOUNTS_OU]) })
      .prefault({})
      .describe('Service control policy: nothing but the deploy role acts in the accounts under these targets: the OU retired accounts are moved to.'),
    environmentTagPolicy: guardrail({
      values: z.array(z.string().min(1).max(256)).min(1).optional().describe("Allowed values (default: every account's environment)."),
      enforcedFor: z
        .array(
          z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9_-]+$/, {
            error: (issue) => `${show(issue.input)} is not a resource type (service:type, e.g. ec2:instance)`,
          }),
        )
        .default([])
        .describe('Resource types on which a non-compliant Environment value is refused (e.g. ec2:instance); empty: reported only.'),
    })
      .prefault({})
      .describe('Tag policy: the Environment tag, spelled so, with one of the allowed values.'),
  })
  .prefault({})
  .describe('Organization policies: which apply where, with their parameters. What each denies is fixed in modules/guardrails.');

export const costsSchema = z
  .strictObject({
    activateAllocationTags: z
      .boolean()
      .default(true)
      .describe(
        'Activate Environment and the cost tag for cost allocation. AWS refuses until it has seen the tags in billing data (up to 24 hours after the first tagged resource): set false for a first deploy if it does.',
      ),
    anomalyAlerts: z
      .strictObject({
        emails: alertEmails.optional().describe("Who gets the alerts (default: the management account's email)."),
        thresholdUsd: z.number().positive().default(100).describe('Alert on anomalies whose total impact reaches this many US dollars.'),
        frequency: z.enum(['DAILY', 'WEEKLY']).default('DAILY').describe('How often alerts are sent (email needs DAILY or WEEKLY).'),
      })
      .prefault({}),
  })
  .prefault({})
  .describe("Cost anomaly detection over every account, reported to the management account's owners.");

const alternateContact = z
  .strictObject({
    name: z.string().min(1).max(64),
    title: z.string().min(1).max(50),
    email,
    phone: z.string().regex(/^[\s0-9()+-]{1,25}$/, { error: (issue) => `${show(issue.input)} is not a phone number (digits, spaces, + ( ) -)` }),
  })
  .describe('Who AWS writes to about this subject, besides the root user.');

export const alternateContactsSchema = z
  .strictObject({
    billing: alternateContact.optional(),
    operations: alternateContact.optional(),
    security: alternateContact.optional(),
  })
  .describe('Alternate contacts (billing, operations, security), set from the management account.');

export const budgetSchema = z
  .strictObject({
    monthlyUsd: z.number().positive().describe("The account's monthly cost budget in US dollars."),
    alertEmails: alertEmails.optional().describe("Who is told at 80% forecast and 100% actual (default: the account's email)."),
  })
  .describe('A monthly cost budget for the account, kept in the management account.');
