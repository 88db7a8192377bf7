// The one place that reads an organization's description: YAML files in a directory, validated field by
// field and across files. Nothing downstream sees a description that has a single problem.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { crossFileChecks } from './checks';
import type { DraftOrganization } from './checks/draft';
import { accountBudget, resolveCosts, resolveGuardrails, resolveOrganizationalUnits } from './management';
import type { Account, Organization, PendingAccount } from './model';
import { resolveNetwork } from './network';
import { Problems } from './problems';
import { resolveSharing } from './sharing';
import { accountFileSchema } from './schema/account';
import { organizationFileSchema, type OrganizationFile } from './schema/organization';

export const ORGANIZATION_FILE = 'organization.yaml';
export const DEFAULT_ORG_DIR = 'environments';

export class DescriptionError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(
      `The organization description in ${dir}/ has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((problem) => `  ${problem}`).join('\n'),
    );
    this.name = 'DescriptionError';
  }
}

/** Reads and validates the description in `dir`; throws DescriptionError listing every problem. */
export function loadOrganization(dir: string): Organization {
  const problems = new Problems();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DescriptionError(dir, [`${dir}: is not a directory (set ORG_DIR to the directory holding ${ORGANIZATION_FILE})`]);
  }
  const orgFilePath = join(dir, ORGANIZATION_FILE);
  const orgFile = existsSync(orgFilePath)
    ? parseFile(orgFilePath, organizationFileSchema, problems)
    : (problems.add(orgFilePath, [], 'is missing: every organization needs one'), undefined);

  const accounts: (PendingAccount & { id?: string })[] = [];
  const accountFiles = new Map<string, string>();
  for (const entry of readdirSync(dir).sort()) {
    const match = /^(.*)\.ya?ml$/.exec(entry);
    if (!match || entry === ORGANIZATION_FILE) continue;
    const [, name] = match;
    const file = join(dir, entry);
    if (accountFiles.has(name)) {
      problems.add(file, [], `describes account "${name}" again (already in ${accountFiles.get(name)})`);
      continue;
    }
    accountFiles.set(name, file);
    if (!/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(name)) {
      problems.add(file, [], `file name "${name}" is not a valid account name (lowercase letters, digits and dashes, 2-32 characters)`);
    } else if (RESERVED_NAMES.has(name)) {
      problems.add(file, [], `file name "${name}" is reserved; name the account otherwise`);
    }
    const parsed = parseFile(file, accountFileSchema, problems);
    if (parsed) {
      accounts.push({ ...parsed, name, file, environment: parsed.environment ?? name, costCenter: parsed.costCenter ?? name, budget: accountBudget(parsed) });
    }
  }
  if (accountFiles.size === 0) problems.add(dir, [], 'holds no account files (<account>.yaml)');

  const draft: DraftOrganization = { dir, orgFilePath, org: orgFile, accounts, accountFiles };
  for (const check of crossFileChecks) check(draft, problems);
  if (problems.count > 0 || !orgFile) throw new DescriptionError(dir, problems.list());
  return resolve(dir, orgFile, accounts);
}

/** The app's entry: loads ORG_DIR (default environments/), or prints every problem and exits non-zero. */
export function loadOrganizationOrExit(dir = process.env.ORG_DIR || DEFAULT_ORG_DIR): Organization {
  try {
    return loadOrganization(dir);
  } catch (error) {
    if (!(error instanceof DescriptionError)) throw error;
    process.stderr.write(`${error.message}\nNothing was synthesized.\n`);
    process.exit(1);
  }
}

/** Names that would collide with a stack or file the project makes itself. */
const RESERVED_NAMES = new Set(['bootstrap', 'organization', 'vpc-peering']);

function parseFile<S extends z.ZodType>(file: string, schema: S, problems: Problems): z.output<S> | undefined {
  const document = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const position = error.linePos?.[0];
      problems.add(`${file}${position ? `:${position.line}:${position.col}` : ''}`, [], `is not valid YAML: ${firstLine(error.message)}`);
    }
    return undefined;
  }
  const content = document.toJS();
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    problems.add(file, [], content == null ? 'is empty (expected a mapping of fields)' : 'must be a mapping of fields');
    return undefined;
  }
  const result = schema.safeParse(content, { reportInput: true });
  if (result.success) return result.data;
  problems.addZodIssues(file, result.error.issues, schema);
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function resolve(dir: string, file: OrganizationFile, parsedAccounts: (PendingAccount & { id?: string })[]): Organization {
  const pendingAccounts = parsedAccounts.filter((account) => account.id === undefined);
  const accounts = parsedAccounts.filter((account): account is Account => account.id !== undefined).sort(
    (a, b) => Number(b.name === file.managementAccount) - Number(a.name === file.managementAccount) || a.name.localeCompare(b.name),
  );
  const management = accounts[0];
  const artifactAccount = file.artifactAccount ?? file.identityAccount;
  const state =
    file.state.backend === 's3'
      ? { ...file.state, bucket: file.state.bucket ?? `${file.name}-tfstate-${management.id}`, region: file.state.region ?? file.homeRegion }
      : { ...file.state, workspacePrefix: file.state.workspacePrefix ?? file.name };
  return {
    ...file,
    dir,
    artifactAccount,
    state,
    sharing: resolveSharing(file, accounts, artifactAccount),
    accounts,
    pendingAccounts,
    organizationalUnits: resolveOrganizationalUnits(file, parsedAccounts),
    guardrails: resolveGuardrails(file, parsedAccounts),
    costs: resolveCosts(file, management),
    network: resolveNetwork(file, parsedAccounts, accounts),
  };
}
