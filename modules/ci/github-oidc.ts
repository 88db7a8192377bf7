// GitHub Actions' way in: an account's OIDC provider for GitHub's token issuer, the trust a role gives one
// repository's runs by their token's subject, and the read-only role a pull request's run plans with. A
// pull request runs code its author wrote: its token must open nothing that can change the organization.
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { awsManagedPolicyArn, oidcProviderArn, s3BucketArn, type Partition } from '../../naming/arn';
import { policyDocument, type PolicyStatement } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';
import { listStateKeys } from '../state/state-bucket';

/** The audience aws-actions/configure-aws-credentials asks GitHub's tokens for. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** The subject of a repository's runs for a pull request (whatever its branch or fork). */
export function pullRequestSubject(repository: string): string {
  return `repo:${repository}:pull_request`;
}

/** The subject of a repository's runs on a branch (a push, a dispatch), never a pull request's. */
export function branchSubject(repository: string, branch: string): string {
  return `repo:${repository}:ref:refs/heads/${branch}`;
}

export interface WebIdentityTrust {
  readonly partition: Partition;
  /** The account whose OIDC provider the role trusts: the role's own. */
  readonly accountId: string;
  readonly oidcHost: string;
  /** The one token subject admitted. */
  readonly subject: string;
}

/** Admits the tokens of `oidcHost` whose audience is STS and whose subject is exactly `subject`. */
export function webIdentityTrust(trust: WebIdentityTrust): PolicyStatement {
  return {
    Sid: 'GitHubActions',
    Effect: 'Allow',
    Principal: { Federated: oidcProviderArn(trust.partition, trust.accountId, trust.oidcHost) },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${trust.oidcHost}:aud`]: STS_AUDIENCE, [`${trust.oidcHost}:sub`]: trust.subject } },
  };
}

/** The account's provider for the issuer at `host`, accepting tokens meant for STS. */
export function oidcProvider(scope: Construct, id: string, host: string): IamOpenidConnectProvider {
  // AWS verifies GitHub's certificate itself: no thumbprint to pin.
  return new IamOpenidConnectProvider(scope, id, { url: `https://${host}`, clientIdList: [STS_AUDIENCE] });
}

export interface PlanRoleProps {
  readonly roleName: string;
  readonly trust: WebIdentityTrust;
  /** In the account holding state: the bucket and key prefix it reads state from and locks under. */
  readonly state?: { readonly bucketName: string; readonly keyPrefix: string };
  /** What must exist before IAM accepts its trust (the OIDC provider it names). */
  readonly dependsOn?: ITerraformDependable[];
}

/** Reads everything Terraform refreshes, reads state and takes its lock: it writes nothing else. */
export class PlanRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: PlanRoleProps) {
    super(scope, id);
    const { partition } = props.trust;
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: "Assumed by a pull request's workflow run to plan: read-only",
      assumeRolePolicy: policyJson(policyDocument(webIdentityTrust(props.trust))),
      dependsOn: props.dependsOn,
    });
    new IamRolePolicyAttachment(this, 'read-only', { role: this.role.name, policyArn: awsManagedPolicyArn(partition, 'ReadOnlyAccess') });
    const { state } = props;
    if (!state) return;
    const bucketArn = s3BucketArn(partition, state.bucketName);
    new IamRolePolicy(this, 'state-read-lock-write', {
      role: this.role.name,
      name: 'state-read-lock-write',
      policy: policyJson(
        policyDocument(
          listStateKeys(bucketArn, state.keyPrefix),
          { Sid: 'ReadState', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/${state.keyPrefix}/*` },
          // S3-native locking: a plan takes and releases <key>.tflock beside the state, and writes nothing else.
          { Sid: 'TakeAndReleaseLocks', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `${bucketArn}/${state.keyPrefix}/*.tflock` },
        ),
      ),
    });
  }
}
