// Artifacts built once in the artifact account and shared to the accounts that consume them: ECR
// repositories and AMIs (sharing: in organization.yaml).
import { z } from 'zod';
import { iamName, slug } from './common';

const show = (value: unknown): string => JSON.stringify(value);

/** kmsKey's value for the key this project creates in the artifact account. */
export const PROJECT_AMI_KEY = 'project';

/** An AWS managed key (alias/aws/<service>), by alias or alias ARN. */
const AWS_MANAGED_KEY = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:)?(alias\/)?aws\/[a-z0-9-]+$/;
const AMI_KEY = new RegExp(`^(${PROJECT_AMI_KEY}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+)$`);

const consumers = z
  .array(slug('account name'))
  .describe('Accounts allowed to use the artifact (default: every account but the artifact and management accounts).');

export const ecrRepositorySchema = z.strictObject({
  name: z
    .string()
    .regex(/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, {
      error: (issue) => `${show(issue.input)} is not a valid ECR repository name (lowercase letters, digits and ._- separators, namespaces with /)`,
    })
    .max(256)
    .describe('Repository name, e.g. webapp or services/api.'),
  consumers: consumers.optional(),
  imageTagMutability: z
    .enum(['IMMUTABLE', 'MUTABLE'])
    .default('IMMUTABLE')
    .describe('IMMUTABLE (default): a tag always names the image that was tested, so consumers run exactly that.'),
  scanOnPush: z.boolean().default(true).describe('Scan every pushed image for vulnerabilities (basic scanning, free).'),
  encryption: z
    .enum(['AES256', 'KMS'])
    .default('AES256')
    .describe('AES256 (default, free) or KMS (the AWS managed aws/ecr key, billed per request). Set at creation: changing it replaces the repository.'),
  keepImages: z.number().int().min(1).max(10000).default(30).describe('How many images the lifecycle policy keeps; older ones expire.'),
});

export const amiSchema = z.strictObject({
  name: slug('AMI name').describe('A name for the AMI in outputs and resource names.'),
  id: z.string().regex(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, {
    error: (issue) => `${show(issue.input)} is not a valid AMI id (ami- and 8 or 17 hex digits)`,
  }),
  consumers: consumers.optional(),
  kmsKey: z
    .string()
    .regex(AMI_KEY, {
      error: (issue) =>
        AWS_MANAGED_KEY.test(String(issue.input))
          ? `${show(issue.input)} is an AWS managed key: an AMI encrypted with it cannot be shared, because only its own account can use an AWS managed key ` +
            `and its key policy cannot be changed. Copy the AMI re-encrypted with a customer managed key (kmsKey: ${PROJECT_AMI_KEY}, the key this project creates) and share the copy`
          : `${show(issue.input)} is neither "${PROJECT_AMI_KEY}" nor a KMS key ARN (arn:aws:kms:<region>:<account id>:key/<key id>)`,
    })
    .optional()
    .describe(
      `The key encrypting the AMI's snapshots: "${PROJECT_AMI_KEY}" (the key this project creates in the artifact account) or the ARN of a customer managed key ` +
        'of the artifact account. Omit for an unencrypted AMI. AMIs on the AWS managed aws/ebs key cannot be shared.',
    ),
});

export const sharingSchema = z
  .strictObject({
    ecr: z.array(ecrRepositorySchema).default([]).describe('Repositories in the artifact account, pulled by their consumers (and Lambda functions there).'),
    amis: z.array(amiSchema).default([]).describe('AMIs of the artifact account, launched by their consumers.'),
    publisherRoles: z
      .array(iamName('role name'))
      .default([])
      .describe(
        "Roles of the artifact account that publish (e.g. your CI's): with the deploy role, the only ones that push to the shared repositories " +
          "and change shared images (guardrail protectSharedArtifacts). Empty (default): the artifact account's own IAM decides who pushes.",
      ),
    amiKey: z
      .boolean()
      .optional()
      .describe(
        `Create the project's AMI key in the artifact account (one customer managed key for every AMI, about 1 USD a month). ` +
          `Default: when an AMI names kmsKey: ${PROJECT_AMI_KEY}. Set true to create it before building the first AMI with it.`,
      ),
  })
  .prefault({})
  .describe('Artifacts built and tested once in the artifact account and shared, not copied, to the accounts that consume them.');
