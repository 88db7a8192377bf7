// <account>.yaml: one AWS account; the file name is the account's name and its stack's name.
import { z } from 'zod';
import { accountId, email, slug } from './common';
import { alternateContactsSchema, budgetSchema, ouPath } from './management';
import { maxSessionHoursSchema } from './identity';
import { retiredSchema } from './retirement';
import { vpcSchema } from './network';
import { adoptionSchema, invitedSchema } from './adoption';

export const accountFileSchema = z
  .strictObject({
    id: accountId
      .optional()
      .describe('The 12-digit AWS account id, quoted. Omit to have the management stack create the account; record its id here once created.'),
    email: email.describe("The account's root email address (unique per account)."),
    environment: slug('environment').optional().describe('Value of the Environment tag (default: the account name).'),
    costCenter: z.string().min(1).max(256).optional().describe('Value of the cost tag (default: the account name).'),
    ou: ouPath.optional().describe('Organizational unit path under the root; omit for the root.'),
    vpc: vpcSchema.optional().describe("The account's VPC; omit for an account without a network."),
    budget: budgetSchema.optional().describe("The account's monthly cost budget; omit for none."),
    alternateContacts: alternateContactsSchema.optional().describe("This account's alternate contacts, each replacing organization.yaml's for its subject."),
    maxSessionHours: maxSessionHoursSchema,
    retired: retiredSchema,
    invited: invitedSchema,
    adopt: adoptionSchema,
  })
  .describe('One AWS account (<name>.yaml).');

export type AccountFile = z.output<typeof accountFileSchema>;
