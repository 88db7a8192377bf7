// What each service control policy denies. SCPs never grant: the FullAWSAccess policy AWS attaches
// everywhere stays, and these deny inside it. They restrict every principal of a member account, its
// administrators included, but never the management account.
import { accountRootArn, iamRoleArn } from '../common/arn';
import { type PolicyDocument, policyDocument } from '../common/policy';
import { GLOBAL_SERVICE_ACTIONS } from './global-services';

/** Any account of the organization, in an ARN. */
const ANY_ACCOUNT = '*';

/** Leaving the organization would take an account out of every guardrail and out of the consolidated bill. */
export function denyLeavingOrganization(): PolicyDocument {
  return policyDocument({ Sid: 'DenyLeavingOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' });
}

/** The root user of a member account is for recovery only; nobody should work as it. */
export function denyRootUser(): PolicyDocument {
  return policyDocument({
    Sid: 'DenyRootUser',
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { StringLike: { 'aws:PrincipalArn': accountRootArn(ANY_ACCOUNT) } },
  });
}

/** Nothing happens outside `regions`, but in the global services (which answer from us-east-1). */
export function denyOutsideRegions(regions: readonly string[]): PolicyDocument {
  return policyDocument({
    Sid: 'DenyOutsideAllowedRegions',
    Effect: 'Deny',
    NotAction: GLOBAL_SERVICE_ACTIONS,
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:RequestedRegion': regions } },
  });
}

/** Everything that creates, changes or deletes a role, its policies, boundary or tags. */
export const ROLE_CHANGING_ACTIONS: readonly string[] = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

/**
 * The roles that let Terraform and people into an account change only through `changedBy` (Terraform's
 * deploy role): an account administrator can neither lock the platform out nor widen their own access.
 */
export function protectRoles(roleNames: readonly string[], changedBy: string): PolicyDocument {
  return policyDocument({
    Sid: 'ProtectPlatformRoles',
    Effect: 'Deny',
    Action: ROLE_CHANGING_ACTIONS,
    Resource: roleNames.map((name) => iamRoleArn(ANY_ACCOUNT, name)),
    Condition: { ArnNotLike: { 'aws:PrincipalArn': iamRoleArn(ANY_ACCOUNT, changedBy) } },
  });
}
