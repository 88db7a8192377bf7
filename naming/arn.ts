// ARNs computed at synth from ids the description knows, so no stack reads them from another's state. Every
// ARN names its partition: aws, aws-cn (China) or aws-us-gov (GovCloud), decided by the home region.

/** The AWS partition a region belongs to. */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The partition an ARN names. */
export function partitionOfArn(arn: string): Partition {
  return arn.split(':')[1] as Partition;
}

/** Any ARN: `resource` may be a wildcard pattern for conditions; global services have no region, some no account. */
export function serviceArn(partition: Partition, service: string, region: string, accountId: string, resource: string): string {
  return `arn:${partition}:${service}:${region}:${accountId}:${resource}`;
}

export function iamRoleArn(partition: Partition, accountId: string, roleName: string, path = '/'): string {
  return serviceArn(partition, 'iam', '', accountId, `role${path}${roleName}`);
}

export function accountRootArn(partition: Partition, accountId: string): string {
  return serviceArn(partition, 'iam', '', accountId, 'root');
}

export function awsManagedPolicyArn(partition: Partition, name: string): string {
  return serviceArn(partition, 'iam', '', 'aws', `policy/${name}`);
}

export function s3BucketArn(partition: Partition, bucketName: string): string {
  return serviceArn(partition, 's3', '', '', bucketName);
}

export function iamUserArn(partition: Partition, accountId: string, userName: string): string {
  return serviceArn(partition, 'iam', '', accountId, `user/${userName}`);
}

/** A customer managed policy. */
export function iamPolicyArn(partition: Partition, accountId: string, policyName: string, path = '/'): string {
  return serviceArn(partition, 'iam', '', accountId, `policy${path}${policyName}`);
}

/** The caller's own user or virtual MFA device (named after the user), in any account: by policy variable. */
export function callersOwnArn(partition: Partition, kind: 'user' | 'mfa'): string {
  return kind === 'user' ? iamUserArn(partition, '*', '${aws:username}') : mfaDeviceArn(partition, '*', '${aws:username}');
}

export function mfaDeviceArn(partition: Partition, accountId: string, deviceName: string): string {
  return serviceArn(partition, 'iam', '', accountId, `mfa/${deviceName}`);
}

export function ecrRepositoryArn(partition: Partition, region: string, accountId: string, repositoryName: string): string {
  return serviceArn(partition, 'ecr', region, accountId, `repository/${repositoryName}`);
}

/** An account's OIDC identity provider for the issuer at `host` (one per issuer and account). */
export function oidcProviderArn(partition: Partition, accountId: string, host: string): string {
  return serviceArn(partition, 'iam', '', accountId, `oidc-provider/${host}`);
}

/** An STS session of a role. */
export function assumedRoleArn(partition: Partition, accountId: string, roleName: string, sessionName: string): string {
  return serviceArn(partition, 'sts', '', accountId, `assumed-role/${roleName}/${sessionName}`);
}

/** The organization's ARN, which AWS RAM shares with (no invitation to accept). */
export function organizationArn(partition: Partition, managementAccountId: string, organizationId: string): string {
  return `arn:${partition}:organizations::${managementAccountId}:organization/${organizationId}`;
}
