import type { PendingAccount } from '../model';
import type { Problems } from '../problems';
import type { OrganizationFile } from '../schema/organization';

/**
 * What the cross-file checks see: every file that passed its own schema. A file that failed is absent
 * from `accounts` but its name is in `accountFiles`, so a reference to it is not reported twice.
 */
export interface DraftOrganization {
  readonly dir: string;
  readonly orgFilePath: string;
  readonly org: OrganizationFile | undefined;
  readonly accounts: readonly (PendingAccount & { readonly id?: string })[];
  /** Account name -> file, for every account file found. */
  readonly accountFiles: ReadonlyMap<string, string>;
}

export type CrossFileCheck = (draft: DraftOrganization, problems: Problems) => void;

/** Reports every value that more than one account uses for `field`, naming all the files. */
export function checkUniqueAcrossAccounts(
  draft: DraftOrganization,
  problems: Problems,
  field: string,
  valueOf: (account: DraftOrganization['accounts'][number]) => string | undefined,
): void {
  const seen = new Map<string, DraftOrganization['accounts'][number]>();
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
  if (!draft.accountFiles.has(name)) {
    problems.add(file, path, `names account "${name}", which has no file (known: ${[...draft.accountFiles.keys()].join(', ')})`);
  }
}
