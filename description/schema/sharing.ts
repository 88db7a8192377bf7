// Artifacts built once in the artifact account and shared to the accounts that consume them.
import { z } from 'zod';
import { slug } from './common';

const consumers = z
  .array(slug('account name'))
  .describe('Accounts allowed to use the artifact (default: every account but the artifact and management accounts).');

export const ecrRepositorySchema = z.strictObject({
  name: z.string().regex(/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a valid ECR repository name`,
  }),
  consumers: consumers.optional(),
  imageTagMutability: z.enum(['IMMUTABLE', 'MUTABLE']).default('IMMUTABLE'),
  scanOnPush: z.boolean().default(true),
  encryption: z.enum(['AES256', 'KMS']).default('AES256'),
  keepImages: z.number().int().min(1).max(10000).default(30).describe('How many images the lifecycle policy keeps.'),
});

export const amiSchema = z.strictObject({
  name: slug('AMI name'),
  id: z.string().regex(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a valid AMI id (ami- and 8 or 17 hex digits)`,
  }),
  consumers: consumers.optional(),
  kmsKey: z
    .string()
    .optional()
    .describe('Key encrypting the AMI snapshots: "project" (the key this project creates) or a key ARN. Omit if unencrypted.'),
});

export const sharingSchema = z
  .strictObject({
    ecr: z.array(ecrRepositorySchema).default([]),
    amis: z.array(amiSchema).default([]),
  })
  .prefault({});
