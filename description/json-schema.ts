// The description's JSON Schemas, derived from the same zod schemas the loader validates with.
import { z } from 'zod';
import { accountFileSchema } from './schema/account';
import { organizationFileSchema } from './schema/organization';

export function jsonSchemas(): Record<string, object> {
  const render = (schema: z.ZodType, title: string) => ({ title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) });
  return {
    'organization.schema.json': render(organizationFileSchema, 'organization.yaml'),
    'account.schema.json': render(accountFileSchema, '<account>.yaml'),
  };
}
