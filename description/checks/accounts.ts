// The accounts as a set: unique ids and emails, and the roles (management, identity, artifact) the
// organization file gives them.
import type { Problems } from '../problems';
import { checkAccountReference, checkUniqueAcrossAccounts, type DraftOrganization } from './draft';

export function checkAccounts(draft: DraftOrganization, problems: Problems): void {
  checkUniqueAcrossAccounts(draft, problems, 'id', (account) => account.id);
  checkUniqueAcrossAccounts(draft, problems, 'email', (account) => account.email.toLowerCase());
  const { org } = draft;
  if (!org) return;
  checkAccountReference(draft, problems, ['managementAccount'], org.managementAccount);
  checkAccountReference(draft, problems, ['identityAccount'], org.identityAccount);
  if (org.artifactAccount) checkAccountReference(draft, problems, ['artifactAccount'], org.artifactAccount);
  if (!org.allowedRegions.includes(org.homeRegion)) {
    problems.add(draft.orgFilePath, ['homeRegion'], `"${org.homeRegion}" is not in allowedRegions (${org.allowedRegions.join(', ')})`);
  }
}
