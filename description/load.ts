// The one place that reads an organization's description: YAML files in a directory, validated field by
// field and across files. Nothing downstream sees a description that has a single problem.
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { crossFileChecks } from './checks';
import type { DraftAccount, DraftOrganization, ReadFields } from './checks/draft';
import { accountRootArn, partitionOf } from '../naming/arn';
import { checkServiceControlPolicyQuotas } from './guardrails';
import { checkPermissionSetQuotas } from './identity-center';
import { accountBudget, resolveCosts, resolveGuardrails, resolveOrganizationalUnits } from './management';
import type { Organization, PendingAccount } from './model';
import type { VpcFile } from './schema/network';
import { resolveNetwork } from './network';
import { closest, Problems } from './problems';
import { resolveSharing } from './sharing';
import { resolveCrossAccountGrants } from './access';
import { accountFileSchema } from './schema/account';
import { organizationFileSchema, type OrganizationFile } from './schema/organization';
import { stateAccessLogBucketName, stateBucketName } from '../naming/names';

export const ORGANIZATION_FILE = 'organization.yaml';
export const DEFAULT_ORG_DIR = 'environments';

export class DescriptionError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
    /** More than listed when some file had too many to list. */
    count = problems.length,
    /** The problems as GitHub Actions error annotations on their lines (those whose line is known). */
    readonly annotations: readonly string[] = [],
  ) {
    super(`The organization description in ${dir}/ has ${count} problem${count === 1 ? '' : 's'}:\n` + problems.map((problem) => `  ${problem}`).join('\n'));
    this.name = 'DescriptionError';
  }
}

/** Reads and validates the description in `dir`; throws DescriptionError listing every problem. */
export function loadOrganization(dir: string): Organization {
  const problems = new Problems();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DescriptionError(dir, [`${dir}: is not a directory (set ORG_DIR to the directory holding ${ORGANIZATION_FILE})`]);
  }
  const { orgFilePath, accountFiles } = descriptionFiles(dir, problems);
  const orgFile = orgFilePath
    ? readFile(orgFilePath, organizationFileSchema, problems)
    : (problems.add(join(dir, ORGANIZATION_FILE), [], 'is missing: every organization needs one'), unreadable(organizationFileSchema));

  const accounts: ParsedAccount[] = [];
  const draftAccounts: DraftAccount[] = [];
  for (const [name, file] of accountFiles) {
    if (!/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(name)) {
      problems.add(file, [], `file name "${name}" is not a valid account name (lowercase letters, digits and dashes, 2-32 characters)`);
    } else if (RESERVED_NAMES.has(name) || name.startsWith(`${BOOTSTRAP_STACK}-`)) {
      problems.add(file, [], `file name "${name}" is reserved; name the account otherwise`);
    }
    const read = readFile(file, accountFileSchema, problems);
    const { fields } = read;
    const environment = fields.environment ?? (fields.unknownFields.has('environment') ? undefined : name);
    draftAccounts.push({ ...fields, name, file, environment });
    if (read.value) {
      const parsed = read.value;
      accounts.push({ ...parsed, name, file, environment: environment!, costCenter: parsed.costCenter ?? name, budget: accountBudget(parsed) });
    }
  }
  if (accountFiles.size === 0) problems.add(dir, [], 'holds no account files (<account>.yaml)');

  const draft: DraftOrganization = {
    dir,
    orgFilePath: orgFilePath ?? join(dir, ORGANIZATION_FILE),
    org: orgFile.fields,
    accounts: draftAccounts,
    accountFiles,
  };
  for (const check of crossFileChecks) check(draft, problems);
  if (problems.count > 0 || !orgFile.value) throw new DescriptionError(dir, problems.list(), problems.count, problems.annotations());
  const organization = resolve(dir, orgFile.value, accounts);
  // What the guardrails make is known only once every account has its id.
  checkServiceControlPolicyQuotas(organization, draft.orgFilePath, problems);
  checkPermissionSetQuotas(organization, draft.orgFilePath, problems);
  if (problems.count > 0) throw new DescriptionError(dir, problems.list(), problems.count, problems.annotations());
  return organization;
}

/** A description file: .yaml, or .yml, in any case (organization.yml is the organization's, not an account). */
const DESCRIPTION_FILE = /^(.*)\.ya?ml$/i;

/** The organization file and each account's file by account name, in name order. */
function descriptionFiles(dir: string, problems: Problems): { orgFilePath?: string; accountFiles: Map<string, string> } {
  let orgFilePath: string | undefined;
  const accountFiles = new Map<string, string>();
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (error) {
    throw new DescriptionError(dir, [`${dir}: ${whyUnreadable(dir, error as NodeJS.ErrnoException)}`]);
  }
  for (const entry of entries) {
    const name = DESCRIPTION_FILE.exec(entry)?.[1];
    if (name === undefined) continue;
    const file = join(dir, entry);
    const already = name === 'organization' ? orgFilePath : accountFiles.get(name);
    if (already)
      problems.add(file, [], `${name === 'organization' ? 'describes the organization' : `describes account "${name}"`} again (already in ${already})`);
    else if (name === 'organization') orgFilePath = file;
    else accountFiles.set(name, file);
  }
  return { orgFilePath, accountFiles };
}

/**
 * The app's entry: loads ORG_DIR (default environments/), or prints every problem (on GitHub Actions also as
 * error annotations on their lines) and exits non-zero. CDKTF_CREDENTIALS=plan: a pull request's run, which
 * plans with CI's plan role.
 */
export function loadOrganizationOrExit(dir = process.env.ORG_DIR || DEFAULT_ORG_DIR, credentials = process.env.CDKTF_CREDENTIALS || undefined): Organization {
  try {
    if (credentials !== undefined && credentials !== 'plan') {
      throw new DescriptionError(dir, [`CDKTF_CREDENTIALS: is ${JSON.stringify(credentials)}, expected "plan" or nothing`]);
    }
    const organization = loadOrganization(dir);
    if (!credentials) return organization;
    if (!organization.ci) {
      throw new DescriptionError(dir, [`${join(dir, ORGANIZATION_FILE)}: ci is required to plan with CI's plan role (CDKTF_CREDENTIALS=plan)`]);
    }
    const webIdentityTokenFile = process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
    if (!webIdentityTokenFile) {
      throw new DescriptionError(dir, ["AWS_WEB_IDENTITY_TOKEN_FILE: is required with CDKTF_CREDENTIALS=plan (the file holding the run's OIDC token)"]);
    }
    return { ...organization, planWithCiRole: { webIdentityTokenFile } };
  } catch (error) {
    if (!(error instanceof DescriptionError)) throw error;
    process.stderr.write(`${error.message}\nNothing was synthesized.\n`);
    if (process.env.GITHUB_ACTIONS === 'true') process.stdout.write(error.annotations.map((line) => `${line}\n`).join(''));
    process.exit(1);
  }
}

/** Names that would collide with a stack or file the project makes itself (and bootstrap-<account>, an invited account's). */
const BOOTSTRAP_STACK = 'bootstrap';
const RESERVED_NAMES = new Set([BOOTSTRAP_STACK, 'organization', 'vpc-peering', 'transit-gateway']);

interface ReadFile<T> {
  /** The whole file, when valid. */
  readonly value?: T;
  /** Its fields as far as they could be read, for the cross-file checks. */
  readonly fields: ReadFields<T>;
}

type ObjectSchema = z.ZodObject<z.core.$ZodLooseShape>;

function readFile<S extends ObjectSchema>(file: string, schema: S, problems: Problems): ReadFile<z.output<S>> {
  const text = readText(file, problems);
  if (text === undefined) return unreadable(schema);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true, lineCounter });
  problems.addSource(file, document, lineCounter);
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const position = error.linePos?.[0];
      problems.add(`${file}${position ? `:${position.line}:${position.col}` : ''}`, [], `is not valid YAML: ${firstLine(error.message)}`);
    }
    return unreadable(schema);
  }
  let content: unknown;
  try {
    content = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package refuses an alias that expands too far (a "billion laughs") or refers to nothing.
    if (!(error instanceof ReferenceError)) throw error;
    problems.add(
      file,
      [],
      /Excessive alias count/.test(error.message)
        ? `is refused: its YAML aliases expand to more than ${MAX_ALIAS_COUNT} copies (a resource exhaustion attack?)`
        : `is not valid YAML: ${firstLine(error.message)}`,
    );
    return unreadable(schema);
  }
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    problems.add(file, [], content == null ? 'is empty (expected a mapping of fields)' : 'must be a mapping of fields');
    return unreadable(schema);
  }
  const result = schema.safeParse(content, { reportInput: true });
  if (result.success) return { value: result.data, fields: { ...result.data, unknownFields: new Set() } };
  problems.addZodIssues(file, result.error.issues, schema);
  return { fields: readableFields(schema, content as Record<string, unknown>, result.error.issues) };
}

/** A description has no use for more: the yaml package's own default, said here because the message names it. */
const MAX_ALIAS_COUNT = 100;

/** The file as text, or undefined with a problem saying why it cannot be read as a description file. */
function readText(file: string, problems: Problems): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    problems.add(file, [], whyUnreadable(file, error as NodeJS.ErrnoException));
    return undefined;
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    problems.add(file, [], 'is UTF-16 text (as a PowerShell redirect writes it): save it as UTF-8');
  } else if (bytes.includes(0)) {
    problems.add(file, [], 'is binary, not YAML text');
  } else {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      problems.add(file, [], 'is not UTF-8 text: save it as UTF-8');
    }
  }
  return undefined;
}

function whyUnreadable(file: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ELOOP':
      return 'is a symbolic link in a loop (it never reaches a file)';
    case 'ENOENT':
      return `is a symbolic link to ${readlinkSync(file)}, which does not exist`;
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
      return 'cannot be read: permission denied';
    default:
      return `cannot be read: ${error.message}`;
  }
}

/** Each field of an invalid file that is valid on its own; a misspelt key makes the field it was meant for unknown. */
function readableFields<S extends ObjectSchema>(schema: S, content: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): ReadFields<z.output<S>> {
  const known = Object.keys(schema.shape);
  const fields: Record<string, unknown> = {};
  const unknownFields = new Set<string>();
  for (const field of known) {
    const result = schema.shape[field].safeParse(content[field]);
    if (result.success) fields[field] = result.data;
    else unknownFields.add(field);
  }
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys' || issue.path.length > 0) continue;
    for (const key of issue.keys) {
      const meant = closest(key, known);
      if (meant) {
        delete fields[meant];
        unknownFields.add(meant);
      }
    }
  }
  return { ...(fields as Partial<z.output<S>>), unknownFields: unknownFields as Set<keyof z.output<S>> };
}

/** A file that could not be read at all: no field is known. */
function unreadable<S extends ObjectSchema>(schema: S): ReadFile<z.output<S>> {
  return { fields: { ...({} as Partial<z.output<S>>), unknownFields: new Set(Object.keys(schema.shape)) as Set<keyof z.output<S>> } };
}

/** The yaml package's message, without its position (given apart) and with a quoted token cut short. */
function firstLine(message: string): string {
  const line = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/**
 * The organization in service; a retired account keeps a view of the organization with every account in
 * service, which is what its stack held (an account's stack depends on no other account's retirement).
 */
function resolve(dir: string, file: OrganizationFile, parsedAccounts: readonly ParsedAccount[]): Organization {
  const organization = resolveInService(dir, file, parsedAccounts);
  const retired = withIds(
    file,
    parsedAccounts.filter((account) => account.retired),
  );
  if (retired.length === 0) return organization;
  const inService = resolveInService(
    dir,
    file,
    parsedAccounts.map((account) => ({ ...account, retired: false })),
  );
  // Out of service, an account waits in the retired accounts' OU, where nothing but the deploy role acts.
  // Its VPC as it was built in service.
  const resolvedVpc = (name: string) => inService.accounts.find((account) => account.name === name)!.vpc;
  return {
    ...organization,
    retiredAccounts: retired.map((account) => ({ ...account, vpc: resolvedVpc(account.name), ou: file.awsOrganization.retiredAccountsOu, inService })),
  };
}

type ParsedAccount = Omit<PendingAccount, 'vpc'> & { id?: string; vpc?: VpcFile };

type ParsedWithId = ParsedAccount & { id: string };

/** The accounts that have an id, in deploy order: the management account first, then by name. */
function withIds(file: OrganizationFile, parsedAccounts: readonly ParsedAccount[]): ParsedWithId[] {
  return parsedAccounts
    .filter((account): account is ParsedWithId => account.id !== undefined)
    .sort((a, b) => Number(b.name === file.managementAccount) - Number(a.name === file.managementAccount) || a.name.localeCompare(b.name));
}

/** Every account of the description but the retired ones, as the stacks build them. */
function resolveInService(dir: string, file: OrganizationFile, parsedAccounts: readonly ParsedAccount[]): Organization {
  const { managementAccount, identityAccount, artifactAccount, logArchiveAccount, securityAccount, identity: signIn, ...organization } = file;
  const inService = parsedAccounts.filter((account) => !account.retired);
  const pendingAccounts = inService.filter((account) => account.id === undefined);
  const { accounts, network } = resolveNetwork(file, pendingAccounts, withIds(file, inService));
  // The checks made sure every account with a role exists and has an id.
  const named = (name: string) => accounts.find((account) => account.name === name)!;
  const management = named(managementAccount);
  const identity = named(identityAccount);
  const artifact = named(artifactAccount ?? identityAccount);
  const partition = partitionOf(file.homeRegion);
  const state =
    file.state.backend === 's3'
      ? {
          ...file.state,
          bucket: file.state.bucket ?? stateBucketName(file.name, management.id),
          accessLogBucket: file.state.accessLogBucket ?? stateAccessLogBucketName(file.name, management.id),
          region: file.state.region ?? file.homeRegion,
        }
      : { ...file.state, workspacePrefix: file.state.workspacePrefix ?? file.name };
  return {
    ...organization,
    dir,
    partition,
    // Unless named, whoever the management account's own IAM lets assume roles: its administrators.
    deployers: file.deployers ?? [accountRootArn(partition, management.id)],
    state,
    sharing: resolveSharing(file, accounts, artifact),
    accounts,
    management,
    identity,
    artifact,
    logArchive: named(logArchiveAccount ?? managementAccount),
    securityAdministrator: file.audit.guardDuty || file.audit.securityHub ? named(securityAccount!) : undefined,
    crossAccountGrants: resolveCrossAccountGrants(file, accounts, identity, partition),
    identityMode: signIn.mode,
    identityCenter: signIn.identityCenter && {
      ...signIn.identityCenter,
      region: signIn.identityCenter.region ?? file.homeRegion,
      administrator: named(signIn.identityCenter.delegatedAdministrator ?? managementAccount),
    },
    retiredAccounts: [],
    pendingAccounts,
    // A retired account is still a member: in its OU, tagged with its environment.
    organizationalUnits: resolveOrganizationalUnits(file, parsedAccounts),
    guardrails: resolveGuardrails(file, parsedAccounts),
    costs: resolveCosts(file, management),
    network,
  };
}
