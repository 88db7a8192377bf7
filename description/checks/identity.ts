// Groups, users and the access matrix refer to each other and to accounts by name.
import type { Problems } from '../problems';
import { checkAccountReference, type DraftOrganization } from './draft';

export function checkIdentity(draft: DraftOrganization, problems: Problems): void {
  const { org, orgFilePath } = draft;
  if (!org) return;
  const groups = Object.keys(org.groups);
  const checkGroup = (path: readonly PropertyKey[], group: string) => {
    if (!groups.includes(group)) problems.add(orgFilePath, path, `names group "${group}", which is not in groups (${groups.join(', ')})`);
  };
  for (const [user, { groups: memberships }] of Object.entries(org.users)) {
    memberships.forEach((group, index) => checkGroup(['users', user, 'groups', index], group));
  }
  for (const [group, row] of Object.entries(org.access)) {
    checkGroup(['access', group], group);
    for (const account of Object.keys(row)) checkAccountReference(draft, problems, ['access', group, account], account);
  }
}
