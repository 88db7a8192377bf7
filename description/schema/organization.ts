// organization.yaml: what is true of the whole organization.
import { z } from 'zod';
import { iamName, region, slug, tagKey } from './common';
import { auditSchema } from './audit';
import { ciSchema } from './ci';
import { accessSchema, groupsSchema, iamQuotasSchema, identitySchema, mfaMaxAgeHoursSchema, usersSchema } from './identity';
import { alternateContactsSchema, awsOrganizationSchema, costsSchema, guardrailsSchema } from './management';
import { networkQuotasSchema, networkSchema } from './network';
import { sharingSchema } from './sharing';

const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid S3 bucket name`,
});

const s3StateSchema = z.strictObject({
  backend: z.literal('s3'),
  bucket: bucketName.optional().describe('State bucket in the management account (default: <name>-tfstate-<management account id>).'),
  accessLogBucket: bucketName
    .optional()
    .describe('Bucket recording every request on state, in the management account (default: <name>-tfstate-logs-<management account id>).'),
  region: region.optional().describe('Region of the state bucket (default: homeRegion).'),
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a valid key prefix`,
    })
    .default('cdktf')
    .describe('Each stack keeps its state at <keyPrefix>/<stack>.tfstate.'),
  stateRole: iamName('role name').default('TerraformStateAccess').describe('Role in the management account that the backend assumes.'),
  bootstrapStateInBucket: z
    .boolean()
    .default(false)
    .describe('Set once the bootstrap stack has created the bucket and its own state has been migrated into it.'),
});

const cloudStateSchema = z.strictObject({
  backend: z.literal('cloud'),
  organization: z.string().min(1).describe('Terraform Cloud / HCP Terraform organization.'),
  hostname: z.string().default('app.terraform.io'),
  workspacePrefix: slug('workspace prefix').optional().describe('Workspaces are <workspacePrefix>-<stack> (default: name).'),
  project: z.string().optional().describe('HCP Terraform project holding the workspaces.'),
});

export const stateSchema = z
  .discriminatedUnion('backend', [s3StateSchema, cloudStateSchema])
  .prefault({ backend: 's3' })
  .describe('Where every stack keeps its state: one S3 bucket (default) or Terraform Cloud workspaces.');

export const organizationFileSchema = z
  .strictObject({
    name: slug('organization name').describe('Short name, used in resource names, sessions and workspaces.'),
    homeRegion: region.describe('Region every stack deploys to.'),
    allowedRegions: z.array(region).min(1).describe('Regions member accounts may use; must include homeRegion.'),
    managementAccount: slug('account name').default('management').describe('The payer account that owns the organization.'),
    identityAccount: slug('account name').default('dev').describe('The account where IAM users live.'),
    artifactAccount: slug('account name').optional().describe('Where ECR images and AMIs are built (default: identityAccount).'),
    logArchiveAccount: slug('account name')
      .optional()
      .describe(
        "Where the organization's logs are kept (default: managementAccount; a dedicated account, which the management account's administrators do not control, is the recommended practice).",
      ),
    securityAccount: slug('account name')
      .optional()
      .describe('The member account that administers GuardDuty and Security Hub for the organization (delegated administrator); required when either is on.'),
    deployRole: iamName('role name').default('OrganizationAccountAccessRole').describe('Role that Terraform assumes in every account.'),
    deployers: z
      .array(
        z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/, {
          error: (issue) => `${JSON.stringify(issue.input)} is not the ARN of an IAM role, user or account root (arn:aws:iam::<account id>:role/<name>)`,
        }),
      )
      .min(1)
      .optional()
      .describe(
        "Who may assume the management account's deploy role and the state role: IAM principals (your CI's role, an operator's role). " +
          'Default: the management account itself, i.e. whoever its own IAM policies let assume roles (its administrators).',
      ),
    costTagKey: tagKey.default('CostCenter').describe("Tag key carrying each account's costCenter on every resource."),
    state: stateSchema,
    ci: ciSchema,
    identity: identitySchema,
    groups: groupsSchema,
    users: usersSchema.default({}),
    access: accessSchema.default({}),
    productionEnvironments: z
      .array(slug('environment'))
      .default(['prod', 'production'])
      .describe(
        "Environments (an account's `environment`, by default its name) that hold production data: the access matrix and the review flag every group that can read data there.",
      ),
    mfaMaxAgeHours: mfaMaxAgeHoursSchema,
    sharing: sharingSchema,
    awsOrganization: awsOrganizationSchema,
    guardrails: guardrailsSchema,
    costs: costsSchema,
    audit: auditSchema,
    alternateContacts: alternateContactsSchema.default({}).describe("Every account's alternate contacts, unless its own file names others (per subject)."),
    network: networkSchema,
    networkQuotas: networkQuotasSchema,
    iamQuotas: iamQuotasSchema,
  })
  .describe('The organization-wide settings (organization.yaml).');

export type OrganizationFile = z.output<typeof organizationFileSchema>;
