// ARNs computed at synth from ids the description knows, so no stack reads them from another's state.

export function iamRoleArn(accountId: string, roleName: string, path = '/'): string {
  return `arn:aws:iam::${accountId}:role${path}${roleName}`;
}

export function accountRootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

export function awsManagedPolicyArn(name: string): string {
  return `arn:aws:iam::aws:policy/${name}`;
}

export function s3BucketArn(bucketName: string): string {
  return `arn:aws:s3:::${bucketName}`;
}

export function iamUserArn(accountId: string, userName: string): string {
  return `arn:aws:iam::${accountId}:user/${userName}`;
}

/** A customer managed policy. */
export function iamPolicyArn(accountId: string, policyName: string, path = '/'): string {
  return `arn:aws:iam::${accountId}:policy${path}${policyName}`;
}

/** The caller's own user or virtual MFA device (named after the user), in any account: by policy variable. */
export function callersOwnArn(kind: 'user' | 'mfa'): string {
  return kind === 'user' ? iamUserArn('*', '${aws:username}') : mfaDeviceArn('*', '${aws:username}');
}

export function mfaDeviceArn(accountId: string, deviceName: string): string {
  return `arn:aws:iam::${accountId}:mfa/${deviceName}`;
}

export function ecrRepositoryArn(region: string, accountId: string, repositoryName: string): string {
  return `arn:aws:ecr:${region}:${accountId}:repository/${repositoryName}`;
}

/** An ARN of a regional service; `resource` may be a wildcard pattern for conditions. */
export function regionalArn(service: string, region: string, accountId: string, resource: string): string {
  return `arn:aws:${service}:${region}:${accountId}:${resource}`;
}
