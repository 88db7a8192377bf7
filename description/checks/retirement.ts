// A retired account is one that existed and that the organization can do without.
import type { Problems } from '../problems';
import { accountRoles } from './accounts';
import type { DraftOrganization } from './draft';

export function checkRetirement(draft: DraftOrganization, problems: Problems): void {
  const roles = Object.entries(accountRoles(draft));
  for (const account of draft.accounts.filter((candidate) => candidate.retired)) {
    const parts = roles.filter(([, name]) => name === account.name).map(([field]) => field);
    if (parts.length > 0) {
      problems.add(
        account.file,
        ['retired'],
        `is true, but ${account.name} is the ${parts.join(' and ')} of organization.yaml, which the organization cannot do without: give that role to another account first`,
      );
    } else if (account.id === undefined && !account.unknownFields.has('id')) {
      problems.add(
        account.file,
        ['retired'],
        'is true, but the account has no id: it was never created, so there is nothing to retire (delete its file instead)',
      );
    }
  }
}
