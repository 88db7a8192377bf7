// The organization as the rest of the code sees it: the validated description with every default resolved.
import type { AccountFile } from './schema/account';
import type { OrganizationFile } from './schema/organization';

export interface Account extends AccountFile {
  /** The file name without extension: the account's name and its stack's name. */
  readonly name: string;
  /** The file it came from, as shown in messages. */
  readonly file: string;
  readonly environment: string;
  readonly costCenter: string;
}

export type S3State = Extract<OrganizationFile['state'], { backend: 's3' }> & { bucket: string; region: string };
export type CloudState = Extract<OrganizationFile['state'], { backend: 'cloud' }> & { workspacePrefix: string };

type SharedArtifacts = OrganizationFile['sharing'];
type Resolved<T> = Omit<T, 'consumers'> & { readonly consumers: readonly string[] };

export interface Organization extends Omit<OrganizationFile, 'artifactAccount' | 'state' | 'sharing'> {
  /** The description's directory, as shown in messages. */
  readonly dir: string;
  readonly artifactAccount: string;
  readonly state: S3State | CloudState;
  readonly sharing: {
    readonly ecr: readonly Resolved<SharedArtifacts['ecr'][number]>[];
    readonly amis: readonly Resolved<SharedArtifacts['amis'][number]>[];
  };
  /** Every account, the management account first, then by name. */
  readonly accounts: readonly Account[];
}
