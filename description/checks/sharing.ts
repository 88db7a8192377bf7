// Shared artifacts name their consumer accounts.
import type { Problems } from '../problems';
import { checkAccountReference, type DraftOrganization } from './draft';

export function checkSharing(draft: DraftOrganization, problems: Problems): void {
  const { org } = draft;
  if (!org) return;
  const artifactAccount = org.artifactAccount ?? org.identityAccount;
  for (const [kind, artifacts] of [['ecr', org.sharing.ecr], ['amis', org.sharing.amis]] as const) {
    artifacts.forEach((artifact, index) =>
      artifact.consumers?.forEach((consumer, position) => {
        const path = ['sharing', kind, index, 'consumers', position];
        checkAccountReference(draft, problems, path, consumer);
        if (consumer === artifactAccount) {
          problems.add(draft.orgFilePath, path, `is the artifact account "${consumer}" itself, which owns the artifact`);
        }
      }),
    );
  }
}
