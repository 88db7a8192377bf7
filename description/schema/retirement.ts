// Taking an account out of service is a state of its file, never a deleted file: a retired account stays
// in the organization, moved to the retired accounts' OU where nothing but the deploy role acts, and
// Terraform forgets what its stack held, its budget in the management stack, and every peering connection
// it was part of, without destroying any of it (docs/retiring-an-account.md).
import { z } from 'zod';

export const retiredSchema = z
  .boolean()
  .default(false)
  .describe(
    'Out of service: what its stack held, its budget, anomaly monitor and alternate contacts, and the peering connections with its VPC are forgotten by Terraform, not destroyed; ' +
      'it stays in the organization, moved to awsOrganization.retiredAccountsOu, where nothing but the deploy role acts; no role, share or peering reaches it any more. ' +
      'Set back to false, its stack is built anew: what was forgotten still exists, to import or delete first (docs/retiring-an-account.md).',
  );
