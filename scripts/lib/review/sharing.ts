// 3. Sharing: the ECR repositories and AMIs of the artifact account against the accounts that may pull or
// launch them, and the keys shared with them. Who may use what is read from the synthesized repository
// policies, launch permissions and key policies; the repositories' settings from the description.
import { repositoryUri } from '../../../description/sharing';
import type { TerraformJson } from '../synthesized';
import { accountName, accountRank, type ReviewInputs, synthesizedProviders } from './inputs';
import { blocks, code, listing, table } from './markdown';

export interface SharedRepositoryRow {
  readonly name: string;
  readonly uri: string;
  readonly settings: string;
  /** Accounts the repository policy lets pull, and whose Lambda functions may. */
  readonly pullers: readonly string[];
  readonly lambdaOf: readonly string[];
}

export interface SharedAmiRow {
  readonly name: string;
  readonly id: string;
  readonly key: string;
  /** Accounts with a launch permission. */
  readonly launchers: readonly string[];
}

export interface SharedKeyRow {
  readonly alias: string;
  readonly account: string;
  readonly settings: string;
  /** Accounts other than the owner that its policy admits. */
  readonly usedBy: readonly string[];
}

export interface SharingData {
  readonly artifactAccount: string;
  /** Column order: every account with a stack. */
  readonly accounts: readonly string[];
  readonly repositories: readonly SharedRepositoryRow[];
  readonly amis: readonly SharedAmiRow[];
  readonly keys: readonly SharedKeyRow[];
}

export function collectSharing(inputs: ReviewInputs): SharingData {
  const { org } = inputs;
  const nameOf = (accountId: string) => accountName(org, accountId);
  /** Account names in the description's order of accounts, whatever the order of the policy or resources. */
  const names = (accountIds: readonly string[]) => accountIds.map(nameOf).sort((a, b) => accountRank(org, a) - accountRank(org, b));
  const resources = (type: string) =>
    inputs.stacks.flatMap(({ json }) => Object.entries(json.resource?.[type] ?? {}).map(([id, config]) => ({ id, config, json })));
  const repositoryPolicies = resources('aws_ecr_repository_policy').map(({ config, json }) => ({
    repository: referencedValue(json, String(config.repository)),
    document: JSON.parse(String(config.policy)) as PolicyDocument,
  }));
  const launchPermissions = resources('aws_ami_launch_permission').map(({ config }) => ({
    imageId: String(config.image_id),
    accountId: String(config.account_id),
  }));
  const aliases = resources('aws_kms_alias');
  return {
    artifactAccount: org.artifact.name,
    accounts: org.accounts.map((account) => account.name),
    repositories: org.sharing.ecr.map((repository) => {
      const document = repositoryPolicies.find((policy) => policy.repository === repository.name)?.document;
      return {
        name: repository.name,
        uri: repositoryUri(org, repository.name),
        settings: `tags ${repository.imageTagMutability.toLowerCase()}, ${repository.scanOnPush ? 'scanned on push' : 'not scanned'}, ${repository.encryption}, keeps ${repository.keepImages} images`,
        pullers: document ? names(accountsIn(document, awsPrincipals)) : [],
        lambdaOf: document ? names(accountsIn(document, sources)) : [],
      };
    }),
    amis: org.sharing.amis.map((ami) => ({
      name: ami.name,
      id: ami.id,
      key: ami.kmsKey === undefined ? 'unencrypted' : ami.kmsKey === 'project' ? 'the AMI key' : ami.kmsKey,
      launchers: names(launchPermissions.filter((permission) => permission.imageId === ami.id).map((permission) => permission.accountId)),
    })),
    keys: resources('aws_kms_key').map(({ id, config, json }) => {
      const document = JSON.parse(String(config.policy)) as PolicyDocument;
      const owner = synthesizedProviders(json).get(String(config.provider ?? 'aws'))?.accountId ?? '';
      const alias = aliases.find((candidate) => candidate.json === json && String(candidate.config.target_key_id).includes(`aws_kms_key.${id}.`));
      return {
        alias: alias ? String(alias.config.name) : id,
        account: nameOf(owner),
        settings: [
          config.enable_key_rotation === true ? 'rotated yearly' : 'not rotated',
          `${config.deletion_window_in_days ?? 30} days' deletion window`,
          (config.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy ? 'no plan may destroy it' : '',
        ]
          .filter(Boolean)
          .join(', '),
        usedBy: names(accountsIn(document, awsPrincipals).filter((accountId) => accountId !== owner)),
      };
    }),
  };
}

interface PolicyStatement {
  readonly Effect?: string;
  readonly Principal?: { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[] } | string;
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

interface PolicyDocument {
  readonly Statement: readonly PolicyStatement[];
}

const asList = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value);

function awsPrincipals(statement: PolicyStatement): readonly string[] {
  return typeof statement.Principal === 'object' ? asList(statement.Principal.AWS) : [];
}

/** The accounts a service acts for: by id (aws:SourceAccount), or in the source ARNs that name one (aws:SourceArn). */
function sources(statement: PolicyStatement): readonly string[] {
  return Object.values(statement.Condition ?? {}).flatMap((operator) => [
    ...asList(operator['aws:SourceAccount']),
    ...asList(operator['aws:SourceArn']).filter((arn) => /:\d{12}:/.test(arn)),
  ]);
}

/** The account ids in the ARNs `arnsOf` picks from the policy's Allow statements, each once. */
function accountsIn(document: PolicyDocument, arnsOf: (statement: PolicyStatement) => readonly string[]): string[] {
  const ids = document.Statement.filter((statement) => statement.Effect === 'Allow')
    .flatMap(arnsOf)
    .map((arn) => /^arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):/.exec(arn)?.[1] ?? arn);
  return [...new Set(ids)];
}

/** A literal argument, following a reference to another resource's argument in the same stack. */
function referencedValue(json: TerraformJson, value: string): string {
  const reference = /^\$\{(\w+)\.([\w-]+)\.(\w+)\}$/.exec(value);
  if (!reference) return value;
  const [, type, id, attribute] = reference;
  return String(json.resource?.[type]?.[id]?.[attribute] ?? value);
}

export function renderSharing(data: SharingData): string {
  const mark = (names: readonly string[], account: string, owner: string, allowed: string) =>
    account === data.artifactAccount ? owner : names.includes(account) ? allowed : '';
  const repositories = table(
    ['repository', 'settings', ...data.accounts],
    data.repositories.map((repository) => [
      `${code(repository.name)}<br>${repository.uri}`,
      repository.settings,
      ...data.accounts.map((account) => mark(repository.pullers, account, 'owner (push)', repository.lambdaOf.includes(account) ? 'pull, Lambda' : 'pull')),
    ]),
  );
  const amis = table(
    ['AMI', 'encrypted with', ...data.accounts],
    data.amis.map((ami) => [`${code(ami.name)}<br>${ami.id}`, ami.key, ...data.accounts.map((account) => mark(ami.launchers, account, 'owner', 'launch'))]),
  );
  const keys = table(
    ['key', 'in', 'settings', 'other accounts its policy admits'],
    data.keys.map((key) => [code(key.alias), key.account, key.settings, listing(key.usedBy)]),
  );
  return blocks(
    '## 3. Sharing',
    `Built once in ${code(data.artifactAccount)} and shared, not copied; who may pull or launch is read from the synthesized repository policies and launch permissions.`,
    repositories || 'No ECR repository is shared.',
    amis || 'No AMI is shared.',
    keys || 'No KMS key is created.',
  );
}

export function sharingRecords(data: SharingData): Record<string, string> {
  return Object.fromEntries([
    ...data.repositories.map((repository) => [`repository ${repository.name}`, `${repository.settings}; pulled by ${listing(repository.pullers)}`]),
    ...data.amis.map((ami) => [`AMI ${ami.name}`, `${ami.id}, ${ami.key}; launched by ${listing(ami.launchers)}`]),
    ...data.keys.map((key) => [`key ${key.alias}`, `in ${key.account}, ${key.settings}; admits ${listing(key.usedBy)}`]),
  ]);
}
