// Shared artifacts name their consumer accounts, each artifact once, and the keys of encrypted AMIs must
// be usable where the AMIs are: in the home region, within the organization, the project's key created.
import type { Problems } from '../problems';
import { PROJECT_AMI_KEY } from '../schema/sharing';
import { checkAccountReference, type DraftOrganization, knownForEveryAccount } from './draft';

export function checkSharing(draft: DraftOrganization, problems: Problems): void {
  const { org, orgFilePath } = draft;
  if (!org.sharing) return;
  const artifactAccount = org.unknownFields.has('artifactAccount') ? undefined : (org.artifactAccount ?? org.identityAccount);
  const { ecr, amis, amiKey } = org.sharing;

  for (const [kind, artifacts] of [
    ['ecr', ecr],
    ['amis', amis],
  ] as const) {
    artifacts.forEach((artifact, index) =>
      artifact.consumers?.forEach((consumer, position) => {
        const path = ['sharing', kind, index, 'consumers', position];
        if (artifact.consumers!.indexOf(consumer) < position) problems.add(orgFilePath, path, `lists "${consumer}" twice`);
        else if (consumer === artifactAccount) problems.add(orgFilePath, path, `is the artifact account "${consumer}" itself, which owns the artifact`);
        else checkAccountReference(draft, problems, path, consumer);
      }),
    );
  }
  const checkUnique = (kind: 'ecr' | 'amis', field: string, values: readonly string[]) =>
    values.forEach((value, index) => {
      const first = values.indexOf(value);
      if (first < index) problems.add(orgFilePath, ['sharing', kind, index, field], `"${value}" is already shared by sharing.${kind}[${first}]`);
    });
  checkUnique(
    'ecr',
    'name',
    ecr.map((repository) => repository.name),
  );
  checkUnique(
    'amis',
    'name',
    amis.map((ami) => ami.name),
  );
  checkUnique(
    'amis',
    'id',
    amis.map((ami) => ami.id),
  );

  // Whether a key's account is in the organization is known only when every account id is.
  const organizationIds = knownForEveryAccount(draft, 'id') ? new Set(draft.accounts.flatMap((account) => (account.id ? [account.id] : []))) : undefined;
  amis.forEach(({ kmsKey }, index) => {
    const path = ['sharing', 'amis', index, 'kmsKey'];
    if (kmsKey === PROJECT_AMI_KEY) {
      if (amiKey === false) problems.add(orgFilePath, path, `is "${PROJECT_AMI_KEY}", but sharing.amiKey is false: the project creates no AMI key`);
      return;
    }
    if (!kmsKey) return;
    // The schema admits only key ARNs here: arn:<partition>:kms:<region>:<account>:key/<id>.
    const [, , , region, account] = kmsKey.split(':');
    if (org.homeRegion && region !== org.homeRegion) {
      problems.add(
        orgFilePath,
        path,
        `"${kmsKey}" is a key of ${region}, but the AMIs are shared in homeRegion "${org.homeRegion}": an AMI's snapshots use a key of its own region`,
      );
    } else if (organizationIds && !organizationIds.has(account)) {
      problems.add(orgFilePath, path, `"${kmsKey}" is a key of account ${account}, which is not in the organization: shared artifacts stay within it`);
    }
  });
}
