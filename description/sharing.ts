// The shared artifacts read as what they make: who owns them, who consumes each, which repositories an
// account pulls, which accounts launch AMIs on the project's key. Everything that builds or checks sharing
// (stacks/sharing.ts, stacks/identity.ts, the tests) derives it here, so that they agree.
import { ecrRepositoryArn } from '../naming/arn';
import type { Account, Organization, SharedArtifacts } from './model';
import { PROJECT_AMI_KEY } from './schema/sharing';
import type { OrganizationFile } from './schema/organization';

/**
 * Consumers default to every account but the artifact and management accounts. Only accounts with an id
 * are kept: one still to be created gets its share once its id is recorded.
 */
export function resolveSharing(file: OrganizationFile, accounts: readonly Account[], artifact: Account): SharedArtifacts {
  const existing = (names: readonly string[]) => names.filter((name) => accounts.some((account) => account.name === name));
  const defaultConsumers = accounts.map((account) => account.name).filter((name) => name !== artifact.name && name !== file.managementAccount);
  const { ecr, amis, amiKey, publisherRoles } = file.sharing;
  return {
    publisherRoles,
    ecr: ecr.map((repository) => ({ ...repository, consumers: existing(repository.consumers ?? defaultConsumers) })),
    amis: amis.map((ami) => ({ ...ami, consumers: existing(ami.consumers ?? defaultConsumers) })),
    amiKey: amiKey ?? amis.some((ami) => ami.kmsKey === PROJECT_AMI_KEY),
  };
}

export function accountsNamed(org: Organization, names: readonly string[]): Account[] {
  return names.map((name) => org.accounts.find((account) => account.name === name)!);
}

/** The shared ECR repositories `account` runs images from: those it consumes, and all of them in the artifact account. */
export function pulledRepositoryArns(org: Organization, account: Account): string[] {
  const artifact = org.artifact;
  return org.sharing.ecr
    .filter((repository) => account === artifact || repository.consumers.includes(account.name))
    .map((repository) => ecrRepositoryArn(org.partition, org.homeRegion, artifact.id, repository.name));
}

/** The accounts that launch AMIs encrypted with the project's key: the ones its key policy lets use it. */
export function projectKeyConsumers(org: Organization): Account[] {
  const names = new Set(org.sharing.amis.filter((ami) => ami.kmsKey === PROJECT_AMI_KEY).flatMap((ami) => ami.consumers));
  return org.accounts.filter((account) => names.has(account.name));
}

/** The URI consumers pull a shared repository's images by (docker pull <uri>:<tag>). */
export function repositoryUri(org: Organization, repository: string): string {
  return `${org.artifact.id}.dkr.ecr.${org.homeRegion}.amazonaws.com/${repository}`;
}
