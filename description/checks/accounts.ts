// The accounts as a set: unique ids and emails, and the roles (management, identity, artifact, log archive, security) the
// organization file gives them.
import type { Problems } from '../problems';
import { checkAccountReference, checkUniqueAcrossAccounts, type DraftOrganization } from './draft';

/** The accounts organization.yaml gives a role, by field (those whose value is known). */
export function accountRoles(draft: DraftOrganization): Record<string, string> {
  const roles: Record<string, string> = {};
  for (const field of ['managementAccount', 'identityAccount', 'artifactAccount', 'logArchiveAccount', 'securityAccount'] as const) {
    const name = draft.org[field];
    if (name !== undefined) roles[field] = name;
  }
  return roles;
}

export function checkAccounts(draft: DraftOrganization, problems: Problems): void {
  checkUniqueAcrossAccounts(draft, problems, 'id', (account) => account.id);
  checkUniqueAcrossAccounts(draft, problems, 'email', (account) => account.email?.toLowerCase());
  const roles = accountRoles(draft);
  for (const [field, name] of Object.entries(roles)) checkAccountReference(draft, problems, [field], name);
  // Everything else is built from these accounts: they must exist before the rest of the organization.
  for (const account of draft.accounts.filter((candidate) => candidate.id === undefined && !candidate.unknownFields.has('id'))) {
    const parts = Object.entries(roles)
      .filter(([, name]) => name === account.name)
      .map(([field]) => field.replace('Account', '').replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`));
    if (parts.length > 0) {
      problems.add(
        account.file,
        ['id'],
        `is missing: ${account.name} is the ${parts.join(' and ')} account, which must exist (create it first, then record its id)`,
      );
    }
  }
  const { homeRegion, allowedRegions } = draft.org;
  if (homeRegion && allowedRegions && !allowedRegions.includes(homeRegion)) {
    problems.add(draft.orgFilePath, ['homeRegion'], `"${homeRegion}" is not in allowedRegions (${allowedRegions.join(', ')})`);
  }
}
