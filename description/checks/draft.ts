import type { Problems } from '../problems';
import type { AccountFile } from '../schema/account';
import type { OrganizationFile } from '../schema/organization';

/**
 * A file as far as it could be read: every top-level field that is valid on its own (defaults applied),
 * and the fields whose value is not known: invalid, named by a misspelt key, or the whole file unreadable.
 * A check that needs an unknown field skips it: its problem is reported already, and guessing its value
 * would report problems that are not there.
 */
export type ReadFields<T> = Partial<T> & {
  readonly unknownFields: ReadonlySet<keyof T>;
};

/** An account file as the cross-file checks see it. */
export type DraftAccount = Omit<ReadFields<AccountFile>, 'environment'> & {
  /** The file name without extension: the account's name. */
  readonly name: string;
  /** The file it came from, as shown in messages. */
  readonly file: string;
  /** Its Environment tag: as its file says, else its name; undefined when the field is invalid. */
  readonly environment?: string;
};

/**
 * What the cross-file checks see: every file, each as far as it could be read. A file's own problems are
 * reported by its schema; checks look at what is known, so that fixing one file does not reveal problems
 * of another that could have been reported at once.
 */
export interface DraftOrganization {
  readonly dir: string;
  readonly orgFilePath: string;
  readonly org: ReadFields<OrganizationFile>;
  readonly accounts: readonly DraftAccount[];
  /** Account name -> file, for every account file found. */
  readonly accountFiles: ReadonlyMap<string, string>;
}

export type CrossFileCheck = (draft: DraftOrganization, problems: Problems) => void;

/** Whether every account's `field` is known, as a check over all of them (a quota, a lookup) needs. */
export function knownForEveryAccount(draft: DraftOrganization, field: keyof AccountFile): boolean {
  return draft.accounts.every((account) => !account.unknownFields.has(field));
}

/** Reports every value that more than one account uses for `field`, naming all the files. */
export function checkUniqueAcrossAccounts(
  draft: DraftOrganization,
  problems: Problems,
  field: string,
  valueOf: (account: DraftAccount) => string | undefined,
): void {
  const seen = new Map<string, DraftAccount>();
  for (const account of draft.accounts) {
    const value = valueOf(account);
    if (value === undefined) continue;
    const first = seen.get(value);
    if (first) problems.add(account.file, [field], `${JSON.stringify(value)} is already used by ${first.file}`);
    else seen.set(value, account);
  }
}

/** Reports a reference to an account that has no file. */
export function checkAccountReference(
  draft: DraftOrganization,
  problems: Problems,
  path: readonly PropertyKey[],
  name: string,
  file = draft.orgFilePath,
): void {
  // Without any account file, that one problem is reported already.
  if (draft.accountFiles.size > 0 && !draft.accountFiles.has(name)) {
    problems.add(file, path, `names account "${name}", which has no file (known: ${[...draft.accountFiles.keys()].join(', ')})`);
  }
}
