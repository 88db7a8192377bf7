// The role Terraform assumes in an account. AWS Organizations creates it in every member account it
// creates; the management account has none, so the bootstrap stack makes one of the same name there.
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { awsManagedPolicyArn, type Partition } from '../../naming/arn';
import { policyDocument } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';
import { webIdentityTrust, type WebIdentityTrust } from '../ci/github-oidc';

export interface DeployRoleProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly roleName: string;
  /** The principals (CI, operators, or an account root) that may assume it. */
  readonly trustedPrincipals: readonly string[];
  /** CI's runs admitted by their OIDC token (organization.yaml `ci`: the deploy branch's only). */
  readonly webIdentity?: WebIdentityTrust;
  /** What must exist before IAM accepts its trust (the OIDC provider it names). */
  readonly dependsOn?: ITerraformDependable[];
}

export class DeployRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: 'Assumed by Terraform to manage this account',
      assumeRolePolicy: policyJson(
        policyDocument(
          { Effect: 'Allow', Principal: { AWS: [...props.trustedPrincipals] }, Action: 'sts:AssumeRole' },
          ...(props.webIdentity ? [webIdentityTrust(props.webIdentity)] : []),
        ),
      ),
      dependsOn: props.dependsOn,
      // Losing it locks Terraform out of the account.
      lifecycle: { preventDestroy: true },
    });
    new IamRolePolicyAttachment(this, 'administrator', { role: this.role.name, policyArn: awsManagedPolicyArn(props.partition, 'AdministratorAccess') });
  }
}
