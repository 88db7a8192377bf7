// The accounts as a set: unique ids and emails, and the roles (management, identity, artifact) the
// organization file gives them.
import type { Problems } from '../problems';
import { checkAccountReference, checkUniqueAcrossAccounts, type DraftOrganization } from './draft';

export function checkAccounts(draft: DraftOrganization, problems: Problems): void {
  checkUniqueAcrossAccounts(draft, problems, 'id', (account) => account.id);
  checkUniqueAcrossAccounts(draft, problems, 'email', (account) => account.email.toLowerCase());
  const { org } = draft;
  if (!org) return;
  const roles = {
    managementAccount: org.managementAccount,
    identityAccount: org.identityAccount,
    ...(org.artifactAccount ? { artifactAccount: org.artifactAccount } : {}),
  };
  for (const [field, name] of Object.entries(roles)) checkAccountReference(draft, problems, [field], name);
  // Everything else is built from these accounts: they must exist before the rest of the organization.
  for (const account of draft.accounts.filter((candidate) => candidate.id === undefined)) {
    const parts = Object.entries(roles).filter(([, name]) => name === account.name).map(([field]) => field.replace('Account', ''));
    if (parts.length > 0) {
      problems.add(account.file, ['id'], `is missing: ${account.name} is the ${parts.join(' and ')} account, which must exist (create it first, then record its id)`);
    }
  }
  if (!org.allowedRegions.includes(org.homeRegion)) {
    problems.add(draft.orgFilePath, ['homeRegion'], `"${org.homeRegion}" is not in allowedRegions (${org.allowedRegions.join(', ')})`);
  }
}
