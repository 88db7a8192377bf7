// Taking an account out of service is a state of its file, never a deleted file: a retired account stays
// in the organization, and Terraform forgets what its stack held, its member account and budget in the
// management stack, and every peering connection it was part of, without destroying any of it
// (docs/retiring-an-account.md).
import { z } from 'zod';

export const retiredSchema = z
  .boolean()
  .default(false)
  .describe(
    'Out of service: what its stack held, its member account, budget and anomaly monitor, and the peering connections with its VPC are forgotten by Terraform, not destroyed; ' +
      'it stays in the organization, under its guardrails; no role, share or peering reaches it any more. ' +
      'Set back to false, its stack is built anew: what was forgotten still exists, to import or delete first (docs/retiring-an-account.md).',
  );
