// Where a stack keeps its state: a key in the shared S3 bucket, a Terraform Cloud workspace, or (only for
// the bootstrap stack before the bucket exists) a local file.
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from 'cdktf';

export interface S3StateProps {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** Role the backend assumes to read and write state. */
  readonly roleArn: string;
  readonly sessionName: string;
  /** Assume the role with the OIDC token in this file (a CI run's), not with the caller's credentials. */
  readonly webIdentityTokenFile?: string;
}

export function useS3State(stack: TerraformStack, props: S3StateProps): void {
  new S3Backend(stack, {
    bucket: props.bucket,
    key: props.key,
    region: props.region,
    encrypt: true,
    ...(props.webIdentityTokenFile
      ? { assumeRoleWithWebIdentity: { roleArn: props.roleArn, sessionName: props.sessionName.slice(0, 64), webIdentityTokenFile: props.webIdentityTokenFile } }
      : { assumeRole: { roleArn: props.roleArn, sessionName: props.sessionName.slice(0, 64) } }),
  });
  // S3-native locking (Terraform >= 1.10) needs no DynamoDB table; cdktf 0.21's S3Backend lacks the option.
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}

export interface CloudStateProps {
  readonly organization: string;
  readonly hostname: string;
  readonly workspace: string;
  readonly project?: string;
}

export function useCloudState(stack: TerraformStack, props: CloudStateProps): void {
  new CloudBackend(stack, {
    organization: props.organization,
    hostname: props.hostname,
    workspaces: new NamedCloudWorkspace(props.workspace, props.project),
  });
}

export function useLocalState(stack: TerraformStack, path: string): void {
  new LocalBackend(stack, { path });
}
