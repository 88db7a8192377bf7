// An AWS provider that acts in exactly one account: it assumes a role there (or uses the caller's own
// credentials when none is given) and refuses to run anywhere else.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { iamRoleArn, type Partition } from '../../naming/arn';

export interface AccountProviderProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly accountId: string;
  readonly region: string;
  /** Role to assume in the account; omit when the caller's credentials are already in it. */
  readonly roleName?: string;
  /** Role to assume instead with an OIDC token (a CI run's), and the file holding the token. */
  readonly webIdentity?: { readonly roleName: string; readonly tokenFile: string };
  /** Shown in CloudTrail as the assumed-role session: say who acts and for which stack. */
  readonly sessionName: string;
  /** Tags every taggable resource created through this provider carries. */
  readonly defaultTags: Readonly<Record<string, string>>;
  /** Set for every provider but a stack's default one. */
  readonly alias?: string;
}

export function accountProvider(scope: Construct, id: string, props: AccountProviderProps): AwsProvider {
  return new AwsProvider(scope, id, {
    alias: props.alias,
    region: props.region,
    allowedAccountIds: [props.accountId],
    assumeRole: props.roleName
      ? [{ roleArn: iamRoleArn(props.partition, props.accountId, props.roleName), sessionName: props.sessionName.slice(0, 64) }]
      : undefined,
    assumeRoleWithWebIdentity: props.webIdentity
      ? [
          {
            roleArn: iamRoleArn(props.partition, props.accountId, props.webIdentity.roleName),
            sessionName: props.sessionName.slice(0, 64),
            webIdentityTokenFile: props.webIdentity.tokenFile,
          },
        ]
      : undefined,
    defaultTags: [{ tags: { ...props.defaultTags } }],
  });
}
