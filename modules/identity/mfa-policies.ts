// What every user of the identity account carries: the right to manage their own password, MFA device and
// access keys, and a deny of everything else until they have signed in with MFA.
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';
import { REQUIRE_MFA_POLICY_NAME } from '../../naming/names';
import { callersOwnArn, iamPolicyArn, iamUserArn, mfaDeviceArn, type Partition } from '../../naming/arn';
import { policyDocument, type PolicyDocument } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';
import type { AttachablePolicy } from './permission-policies';

/** What registers, changes or removes an MFA device: whoever can, can sign in with MFA as that user. */
const MFA_DEVICE_ACTIONS = [
  'iam:CreateVirtualMFADevice',
  'iam:DeactivateMFADevice',
  'iam:DeleteVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:ResyncMFADevice',
];

/**
 * Allowed without MFA: what a new user needs to set a password and register a device. And AssumeRole,
 * left to the trust policies, which require MFA themselves: the CLI assumes a role with the user's
 * long-term keys plus an MFA code, and the code is the trust policy's to check.
 */
const ALLOWED_WITHOUT_MFA = [
  'iam:ChangePassword',
  'iam:GetAccountPasswordPolicy',
  'iam:GetUser',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  ...MFA_DEVICE_ACTIONS.filter((action) => action !== 'iam:DeactivateMFADevice'),
  'sts:AssumeRole',
  'sts:GetSessionToken',
].sort();

/**
 * Denies everything but setting up a password and an MFA device until signed in with MFA. Devices are
 * registered from the console (a password sign-in): with long-term access keys alone, a stolen key could
 * register the thief's own device and then pass every MFA condition. Without MFA, only one's own device.
 */
export function requireMfaPolicy(partition: Partition): PolicyDocument {
  return policyDocument(
    {
      Sid: 'DenyAllButSettingUpMfaWithoutMfa',
      Effect: 'Deny',
      NotAction: ALLOWED_WITHOUT_MFA,
      Resource: '*',
      // Long-term keys carry no MFA key at all: IfExists denies them too.
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
    {
      Sid: 'DenyMfaDeviceChangesWithAccessKeysAlone',
      Effect: 'Deny',
      Action: MFA_DEVICE_ACTIONS,
      Resource: '*',
      // The key is absent from requests signed with long-term access keys, present in console and MFA sessions.
      Condition: { Null: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
    {
      Sid: 'DenyOthersMfaDevicesWithoutMfa',
      Effect: 'Deny',
      Action: MFA_DEVICE_ACTIONS,
      NotResource: [callersOwnArn(partition, 'mfa'), callersOwnArn(partition, 'user')],
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  );
}

/**
 * One user's own credentials, by literal ARN (no policy variables: the document reads as what IAM
 * evaluates). The virtual MFA device must be named after the user: its ARN is then known to the CLI
 * profiles, and no one can take another user's device name.
 */
export function selfServiceCredentialsPolicy(partition: Partition, accountId: string, userName: string): PolicyDocument {
  const user = iamUserArn(partition, accountId, userName);
  return policyDocument(
    { Sid: 'ViewPasswordPolicyAndDevices', Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'], Resource: '*' },
    {
      Sid: 'ManageOwnPasswordAndAccessKeys',
      Effect: 'Allow',
      Action: [
        'iam:ChangePassword',
        'iam:CreateAccessKey',
        'iam:DeleteAccessKey',
        'iam:GetAccessKeyLastUsed',
        'iam:GetUser',
        'iam:ListAccessKeys',
        'iam:UpdateAccessKey',
      ],
      Resource: user,
    },
    {
      Sid: 'CreateOwnVirtualMfaDevice',
      Effect: 'Allow',
      Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'],
      Resource: mfaDeviceArn(partition, accountId, userName),
    },
    {
      Sid: 'ManageOwnMfa',
      Effect: 'Allow',
      Action: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
      Resource: user,
    },
  );
}

/** The require-mfa customer managed policy, attached to every user. */
export class RequireMfaPolicy extends Construct implements AttachablePolicy {
  readonly arn: string;
  readonly dependsOn: IamPolicy;

  constructor(scope: Construct, id: string, props: { partition: Partition; accountId: string }) {
    super(scope, id);
    this.arn = iamPolicyArn(props.partition, props.accountId, REQUIRE_MFA_POLICY_NAME);
    this.dependsOn = new IamPolicy(this, 'policy', {
      name: REQUIRE_MFA_POLICY_NAME,
      description: 'Denies everything but setting up a password and MFA device until signed in with MFA',
      policy: policyJson(requireMfaPolicy(props.partition)),
    });
  }
}
