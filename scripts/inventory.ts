// npm run inventory -- --from <dir> [--account <name>] [--vpc <id or Name>] [--email <address>] [--out <dir>]:
// reads what the AWS CLI printed for an existing account (scripts/lib/inventory.ts) and writes its
// description: <out>/<account>.yaml, to put in the description's directory, and
// <out>/organization-additions.yaml, to merge into organization.yaml. Never calls AWS.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCommand, type CommandLine } from './lib/command';
import { takeInventory } from './lib/inventory';
import { ToolError } from './lib/tool-error';

/** What the account file says until the user gives the account's root email (the description refuses it as it is). */
const EMAIL_PLACEHOLDER = '<the account root email>';

const command = {
  name: 'inventory',
  summary:
    'Reads the JSON the AWS CLI printed for an existing account (the commands and file names are in\n' +
    'docs/migration.md#inventory) and writes its description: <out>/<account>.yaml (the account, its VPC,\n' +
    'and adopt: the existing ids its stack takes over) and <out>/organization-additions.yaml (users,\n' +
    'groups and their access, shared repositories and AMIs, to merge into organization.yaml). Notes on\n' +
    'what is left out go to stderr and into the files. Never calls AWS.',
  options: {
    from: { type: 'string', value: '<dir>', description: 'The directory of AWS CLI outputs (required).' },
    account: { type: 'string', value: '<name>', default: 'legacy', description: "The account's name in the description (its file name)." },
    vpc: { type: 'string', value: '<id|Name>', description: 'The VPC its stack takes over, when it has several; the others are noted as peers.' },
    email: { type: 'string', value: '<address>', description: "The account's root email (default: a placeholder the description refuses until replaced)." },
    out: { type: 'string', value: '<dir>', default: 'inventory', description: 'Where the two files are written.' },
  },
  exitStatuses: { 0: 'written', 2: 'a bad option, a missing or unreadable file, or an account whose shape cannot be adopted (what differs is said)' },
  example: 'npm run inventory -- --from flat-account --account prod --vpc prod --email aws@example.com',
} as const;

function main({ values }: CommandLine<typeof command.options>): number {
  if (!values.from) throw new ToolError('--from <dir> is required: the directory of AWS CLI outputs');
  const inventory = takeInventory({ from: values.from, account: values.account, vpc: values.vpc, email: values.email ?? EMAIL_PLACEHOLDER });
  const notes = inventory.notes.map((note) => `# - ${note}`).join('\n');
  const header = (lines: string[]) => `${lines.map((line) => `# ${line}`).join('\n')}\n${notes ? `# Notes:\n${notes}\n` : ''}`;
  mkdirSync(values.out, { recursive: true });
  const accountPath = join(values.out, `${values.account}.yaml`);
  const organizationPath = join(values.out, 'organization-additions.yaml');
  writeFileSync(
    accountPath,
    '# yaml-language-server: $schema=../schema/account.schema.json\n' +
      header([
        `Written by npm run inventory from ${values.from}: the account ${values.account} as it is, its stack taking over what adopt lists.`,
        'Add its ou, budget and vpc settings; check email.',
      ]) +
      stringify(inventory.accountFile),
  );
  writeFileSync(
    organizationPath,
    header([`Merge into organization.yaml (written by npm run inventory from ${values.from}).`]) + stringify(inventory.organization),
  );
  for (const note of inventory.notes) process.stderr.write(`note: ${note}\n`);
  process.stdout.write(`wrote ${accountPath} and ${organizationPath}\n`);
  return 0;
}

runCommand(command, main);
