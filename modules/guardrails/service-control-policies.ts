// What each service control policy denies. SCPs never grant: the FullAWSAccess policy AWS attaches
// everywhere stays, and these deny inside it. They restrict every principal of a member account, its
// administrators included, but never the management account. Each guardrail is a list of statements;
// organization-policy.ts packs the guardrails that share targets into as few policies as AWS allows.
import {
  accountRootArn,
  callersOwnArn,
  ecrRepositoryArn,
  iamPolicyArn,
  iamRoleArn,
  iamUserArn,
  mfaDeviceArn,
  oidcProviderArn,
  type Partition,
  s3BucketArn,
  serviceArn,
} from '../../naming/arn';
import type { PolicyStatement } from '../../catalog/policy-document';
import { GLOBAL_SERVICE_ACTIONS } from './global-services';

/** Any account of the organization, in an ARN. */
const ANY_ACCOUNT = '*';

/**
 * The roles a guardrail lets through, by name in any account: Terraform's deploy role first, then the
 * roles the description exempts. Nobody else can take these names: protectPlatformRoles guards them.
 */
export type ExemptRoles = readonly string[];

function unlessExempt(partition: Partition, exempt: ExemptRoles) {
  return { ArnNotLike: { 'aws:PrincipalArn': exempt.map((name) => iamRoleArn(partition, ANY_ACCOUNT, name)) } };
}

/** Leaving the organization would take an account out of every guardrail and out of the consolidated bill. */
export function denyLeavingOrganization(): PolicyStatement[] {
  return [{ Sid: 'DenyLeavingOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }];
}

/** The root user of a member account is for recovery only; nobody should work as it. */
export function denyRootUser(props: { partition: Partition }): PolicyStatement[] {
  return [
    {
      Sid: 'DenyRootUser',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringLike: { 'aws:PrincipalArn': accountRootArn(props.partition, ANY_ACCOUNT) } },
    },
  ];
}

/** Nothing happens outside `regions`, but in the global services (which answer from us-east-1). */
export function denyOutsideRegions(regions: readonly string[]): PolicyStatement[] {
  return [
    {
      Sid: 'DenyOutsideAllowedRegions',
      Effect: 'Deny',
      NotAction: GLOBAL_SERVICE_ACTIONS,
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': regions } },
    },
  ];
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

/** A customer managed policy widens every role it is attached to through a new default version. */
const POLICY_CHANGING_ACTIONS: readonly string[] = [
  'iam:CreatePolicy',
  'iam:CreatePolicyVersion',
  'iam:DeletePolicy',
  'iam:DeletePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:TagPolicy',
  'iam:UntagPolicy',
];

/** An instance profile hands its role to every instance launched with it. */
const INSTANCE_PROFILE_CHANGING_ACTIONS: readonly string[] = [
  'iam:AddRoleToInstanceProfile',
  'iam:CreateInstanceProfile',
  'iam:DeleteInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:TagInstanceProfile',
  'iam:UntagInstanceProfile',
];

export interface PlatformRoles {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  /** Roles people and Terraform enter accounts with (the deploy role, the cross-account roles). */
  readonly roleNames: readonly string[];
  /** The customer managed policies attached to them (the project's own permissions). */
  readonly policyNames: readonly string[];
  /** The path of the application roles and their instance profiles. */
  readonly applicationPath: string;
  /**
   * Where IAM Identity Center keeps its permission sets' roles (/aws-reserved/sso.amazonaws.com/), when it
   * is used: their trust in its SAML provider is what lets people in, so both are protected.
   */
  readonly identityCenterRolePath?: string;
  /** The host of the OIDC issuer CI's roles trust (organization.yaml `ci`), when there is one: its provider is protected. */
  readonly oidcProviderHost?: string;
  readonly exempt: ExemptRoles;
}

/** What replaces, widens or removes an OIDC provider: whoever can, decides whose tokens the roles trusting it accept. */
const OIDC_PROVIDER_CHANGING_ACTIONS: readonly string[] = [
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:CreateOpenIDConnectProvider',
  'iam:DeleteOpenIDConnectProvider',
  'iam:RemoveClientIDFromOpenIDConnectProvider',
  'iam:TagOpenIDConnectProvider',
  'iam:UntagOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
];

/** What replaces or removes the SAML provider Identity Center's roles trust: whoever can, signs in as any of them. */
const SAML_PROVIDER_CHANGING_ACTIONS: readonly string[] = [
  'iam:CreateSAMLProvider',
  'iam:DeleteSAMLProvider',
  'iam:TagSAMLProvider',
  'iam:UntagSAMLProvider',
  'iam:UpdateSAMLProvider',
];

/**
 * The roles that let Terraform, people and applications into an account, the policies attached to them and
 * the application instance profiles change only through the exempt roles: an account administrator can
 * neither lock the platform out nor widen anyone's access, directly or through a policy version.
 */
export function protectPlatformRoles(props: PlatformRoles): PolicyStatement[] {
  const unless = unlessExempt(props.partition, props.exempt);
  const identityCenter = props.identityCenterRolePath;
  return [
    {
      Sid: 'ProtectPlatformRoles',
      Effect: 'Deny',
      Action: ROLE_CHANGING_ACTIONS,
      Resource: [
        ...props.roleNames.map((name) => iamRoleArn(props.partition, ANY_ACCOUNT, name)),
        iamRoleArn(props.partition, ANY_ACCOUNT, '*', props.applicationPath),
        ...(identityCenter ? [iamRoleArn(props.partition, ANY_ACCOUNT, '*', identityCenter)] : []),
      ],
      Condition: unless,
    },
    ...(identityCenter
      ? [
          {
            Sid: 'ProtectIdentityCenterSamlProvider',
            Effect: 'Deny' as const,
            Action: SAML_PROVIDER_CHANGING_ACTIONS,
            // Identity Center names it AWSSSO_<id>_DO_NOT_DELETE in every account it provisions.
            Resource: serviceArn(props.partition, 'iam', '', ANY_ACCOUNT, 'saml-provider/AWSSSO_*'),
            Condition: unless,
          },
        ]
      : []),
    ...(props.oidcProviderHost
      ? [
          {
            Sid: 'ProtectCiOidcProvider',
            Effect: 'Deny' as const,
            Action: OIDC_PROVIDER_CHANGING_ACTIONS,
            Resource: oidcProviderArn(props.partition, ANY_ACCOUNT, props.oidcProviderHost),
            Condition: unless,
          },
        ]
      : []),
    {
      Sid: 'ProtectPlatformPolicies',
      Effect: 'Deny',
      Action: POLICY_CHANGING_ACTIONS,
      Resource: props.policyNames.map((name) => iamPolicyArn(props.partition, ANY_ACCOUNT, name)),
      Condition: unless,
    },
    {
      Sid: 'ProtectApplicationInstanceProfiles',
      Effect: 'Deny',
      Action: INSTANCE_PROFILE_CHANGING_ACTIONS,
      Resource: serviceArn(props.partition, 'iam', '', ANY_ACCOUNT, `instance-profile${props.applicationPath}*`),
      Condition: unless,
    },
  ];
}

/** What makes a user a member of a group, or gives it permissions of its own. */
const MEMBERSHIP_CHANGING_ACTIONS: readonly string[] = [
  'iam:AddUserToGroup',
  'iam:AttachGroupPolicy',
  'iam:AttachUserPolicy',
  'iam:CreateGroup',
  'iam:DeleteGroup',
  'iam:DeleteGroupPolicy',
  'iam:DeleteUserPermissionsBoundary',
  'iam:DeleteUserPolicy',
  'iam:DetachGroupPolicy',
  'iam:DetachUserPolicy',
  'iam:PutGroupPolicy',
  'iam:PutUserPermissionsBoundary',
  'iam:PutUserPolicy',
  'iam:RemoveUserFromGroup',
  'iam:UpdateGroup',
  'iam:UpdateUser',
];

/** Every credential a user signs in or calls AWS with: who sets another's can act as them. */
const CREDENTIAL_CHANGING_ACTIONS: readonly string[] = [
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:CreateVirtualMFADevice',
  'iam:DeactivateMFADevice',
  'iam:DeleteAccessKey',
  'iam:DeleteLoginProfile',
  'iam:DeleteServiceSpecificCredential',
  'iam:DeleteSigningCertificate',
  'iam:DeleteSSHPublicKey',
  'iam:DeleteVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:ResetServiceSpecificCredential',
  'iam:ResyncMFADevice',
  'iam:UpdateAccessKey',
  'iam:UpdateLoginProfile',
  'iam:UpdateServiceSpecificCredential',
  'iam:UpdateSigningCertificate',
  'iam:UpdateSSHPublicKey',
  'iam:UploadSigningCertificate',
  'iam:UploadSSHPublicKey',
];

export interface IdentityProtection {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  /** The user tag keys that make a user a member of a group, as a pattern (group:*). */
  readonly memberTagKeys: string;
  /** Accounts out of service: nobody switches into their roles. */
  readonly retiredAccountIds: readonly string[];
  readonly exempt: ExemptRoles;
}

/**
 * Who is in which group is Terraform's alone: the cross-account roles trust a user's group tags, so an
 * administrator of the identity account who could tag himself, join a group, give a user permissions or
 * take over another user's credentials (a new password, key or MFA device) could switch in as anyone.
 */
export function protectIdentity(props: IdentityProtection): PolicyStatement[] {
  const unless = unlessExempt(props.partition, props.exempt);
  const users = [iamUserArn(props.partition, ANY_ACCOUNT, '*'), mfaDeviceArn(props.partition, ANY_ACCOUNT, '*')];
  return [
    {
      Sid: 'DenyGroupTagsOnUsers',
      Effect: 'Deny',
      Action: ['iam:CreateUser', 'iam:TagUser', 'iam:UntagUser'],
      Resource: '*',
      Condition: { ...unless, 'ForAnyValue:StringLike': { 'aws:TagKeys': props.memberTagKeys } },
    },
    { Sid: 'DenyMembershipChanges', Effect: 'Deny', Action: MEMBERSHIP_CHANGING_ACTIONS, Resource: '*', Condition: unless },
    // A user's own credentials stay theirs (self-service); a role session, which has no user name, has none.
    {
      Sid: 'DenyOtherUsersCredentials',
      Effect: 'Deny',
      Action: CREDENTIAL_CHANGING_ACTIONS,
      NotResource: [callersOwnArn(props.partition, 'user'), callersOwnArn(props.partition, 'mfa')],
      Condition: unless,
    },
    {
      Sid: 'DenyUsersCredentialsToRoles',
      Effect: 'Deny',
      Action: CREDENTIAL_CHANGING_ACTIONS,
      Resource: users,
      Condition: { ...unless, Null: { 'aws:username': 'true' } },
    },
    ...(props.retiredAccountIds.length === 0
      ? []
      : [
          {
            Sid: 'DenySwitchingIntoRetiredAccounts',
            Effect: 'Deny' as const,
            Action: 'sts:AssumeRole',
            Resource: props.retiredAccountIds.map((accountId) => iamRoleArn(props.partition, accountId, '*')),
            Condition: unless,
          },
        ]),
  ];
}

/** Long-term credentials: an IAM user, its keys and its password. */
const LONG_TERM_CREDENTIAL_ACTIONS: readonly string[] = ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreateUser', 'iam:UpdateLoginProfile'];

/** People sign in to the identity account only: a user elsewhere would sidestep its MFA and the roles' trust. */
export function denyIamUsersOutsideIdentityAccount(props: { partition: Partition; identityAccountId: string; exempt: ExemptRoles }): PolicyStatement[] {
  return [
    {
      Sid: 'DenyIamUsersOutsideIdentityAccount',
      Effect: 'Deny',
      Action: LONG_TERM_CREDENTIAL_ACTIONS,
      Resource: '*',
      Condition: { ...unlessExempt(props.partition, props.exempt), StringNotEquals: { 'aws:PrincipalAccount': props.identityAccountId } },
    },
  ];
}

const REPOSITORY_CHANGING_ACTIONS: readonly string[] = [
  'ecr:BatchDeleteImage',
  'ecr:DeleteLifecyclePolicy',
  'ecr:DeleteRepository',
  'ecr:DeleteRepositoryPolicy',
  'ecr:PutImageScanningConfiguration',
  'ecr:PutImageTagMutability',
  'ecr:PutLifecyclePolicy',
  'ecr:SetRepositoryPolicy',
];

const IMAGE_PUSHING_ACTIONS: readonly string[] = ['ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];

/** Sharing an image or snapshot (with an account, or publicly) is a change of its attributes. */
const SHARING_ATTRIBUTE_ACTIONS: readonly string[] = [
  'ec2:ModifyImageAttribute',
  'ec2:ModifySnapshotAttribute',
  'ec2:ResetImageAttribute',
  'ec2:ResetSnapshotAttribute',
];

const IMAGE_REMOVING_ACTIONS: readonly string[] = [
  'ec2:DeregisterImage',
  'ec2:DisableImage',
  'ec2:DisableImageDeregistrationProtection',
  'ec2:EnableImageDeprecation',
];

const KEY_CHANGING_ACTIONS: readonly string[] = [
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:UpdateKeyDescription',
];

export interface SharedArtifactsProtection {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly artifactAccountId: string;
  readonly repositoryNames: readonly string[];
  readonly amiIds: readonly string[];
  /** The project's AMI key, by alias (alias/...); undefined when the project creates none. */
  readonly amiKeyAlias?: string;
  /** May push images; when any is named, nobody else but the exempt roles may. */
  readonly publisherRoles: readonly string[];
  /** The deploy role and the roles the description exempts; the publishers are added to them. */
  readonly exempt: ExemptRoles;
}

/**
 * What the other accounts run comes from the artifact account: only Terraform (and the publishers) may
 * change how a shared repository, AMI or the AMI key is shared, kept or encrypted, so a developer there
 * cannot swap what prod runs, share it outside, or make it unusable.
 */
export function protectSharedArtifacts(props: SharedArtifactsProtection): PolicyStatement[] {
  const account = props.artifactAccountId;
  const unless = unlessExempt(props.partition, [...props.exempt, ...props.publisherRoles]);
  const repositories = props.repositoryNames.map((name) => ecrRepositoryArn(props.partition, '*', account, name));
  const inArtifactAccount = { StringEquals: { 'aws:PrincipalAccount': account } };
  const statements: PolicyStatement[] = [
    // Images and snapshots carry no account in their ARN: the sharing of every one the artifact account owns is Terraform's.
    {
      Sid: 'ProtectSharingOfImagesAndSnapshots',
      Effect: 'Deny',
      Action: SHARING_ATTRIBUTE_ACTIONS,
      Resource: [serviceArn(props.partition, 'ec2', '*', '', 'image/*'), serviceArn(props.partition, 'ec2', '*', '', 'snapshot/*')],
      Condition: { ...unless, ...inArtifactAccount },
    },
  ];
  if (repositories.length > 0) {
    statements.push({ Sid: 'ProtectSharedRepositories', Effect: 'Deny', Action: REPOSITORY_CHANGING_ACTIONS, Resource: repositories, Condition: unless });
    if (props.publisherRoles.length > 0) {
      statements.push({ Sid: 'OnlyPublishersPush', Effect: 'Deny', Action: IMAGE_PUSHING_ACTIONS, Resource: repositories, Condition: unless });
    }
  }
  if (props.amiIds.length > 0) {
    statements.push({
      Sid: 'ProtectSharedAmis',
      Effect: 'Deny',
      Action: IMAGE_REMOVING_ACTIONS,
      Resource: props.amiIds.map((id) => serviceArn(props.partition, 'ec2', '*', '', `image/${id}`)),
      Condition: unless,
    });
  }
  if (props.amiKeyAlias) {
    statements.push(
      {
        Sid: 'ProtectAmiKey',
        Effect: 'Deny',
        Action: KEY_CHANGING_ACTIONS,
        Resource: serviceArn(props.partition, 'kms', '*', account, 'key/*'),
        Condition: { ...unless, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': props.amiKeyAlias } },
      },
      {
        Sid: 'ProtectAmiKeyAlias',
        Effect: 'Deny',
        Action: ['kms:DeleteAlias', 'kms:UpdateAlias'],
        Resource: serviceArn(props.partition, 'kms', '*', account, props.amiKeyAlias),
        Condition: unless,
      },
    );
  }
  return statements;
}

/** The account-wide settings of the baseline, and the flow logs. */
const BASELINE_CHANGING_ACTIONS: readonly string[] = [
  'ec2:DeleteFlowLogs',
  'ec2:DisableEbsEncryptionByDefault',
  'ec2:DisableImageBlockPublicAccess',
  'ec2:DisableSnapshotBlockPublicAccess',
  'ec2:EnableSnapshotBlockPublicAccess',
  'ec2:ModifyEbsDefaultKmsKeyId',
  'ec2:ResetEbsDefaultKmsKeyId',
  's3:PutAccountPublicAccessBlock',
];

/** What would erase flow logs or open their bucket. */
const LOG_BUCKET_CHANGING_ACTIONS: readonly string[] = [
  's3:DeleteBucket',
  's3:DeleteBucketPolicy',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutBucketAcl',
  's3:PutBucketOwnershipControls',
  's3:PutBucketPolicy',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketVersioning',
  's3:PutEncryptionConfiguration',
  's3:PutLifecycleConfiguration',
];

/**
 * The baseline every account gets (no public S3, AMI or snapshot; encrypted volumes; flow logs) stays on:
 * only the exempt roles switch it off, delete flow logs or their objects.
 */
export function protectAccountBaseline(props: { partition: Partition; flowLogBucketPattern: string; exempt: ExemptRoles }): PolicyStatement[] {
  const unless = unlessExempt(props.partition, props.exempt);
  const buckets = s3BucketArn(props.partition, props.flowLogBucketPattern);
  return [
    { Sid: 'ProtectAccountBaseline', Effect: 'Deny', Action: BASELINE_CHANGING_ACTIONS, Resource: '*', Condition: unless },
    { Sid: 'ProtectFlowLogBuckets', Effect: 'Deny', Action: LOG_BUCKET_CHANGING_ACTIONS, Resource: [buckets, `${buckets}/*`], Condition: unless },
  ];
}

/** What would stop, delete or narrow a trail. */
export const TRAIL_CHANGING_ACTIONS: readonly string[] = [
  'cloudtrail:DeleteTrail',
  'cloudtrail:PutEventSelectors',
  'cloudtrail:PutInsightSelectors',
  'cloudtrail:StopLogging',
  'cloudtrail:UpdateTrail',
];

/** What would switch GuardDuty off in an account, or take the account out of the organization's administrator. */
export const GUARDDUTY_DISABLING_ACTIONS: readonly string[] = [
  'guardduty:DeleteDetector',
  'guardduty:DeleteMembers',
  'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DisassociateFromMasterAccount',
  'guardduty:DisassociateMembers',
  'guardduty:StopMonitoringMembers',
  'guardduty:UpdateDetector',
  'guardduty:UpdateOrganizationConfiguration',
];

/** What would switch Security Hub off in an account, leave the organization's administrator, or drop its standard. */
export const SECURITY_HUB_DISABLING_ACTIONS: readonly string[] = [
  'securityhub:BatchDisableStandards',
  'securityhub:DeleteMembers',
  'securityhub:DisableSecurityHub',
  'securityhub:DisassociateFromAdministratorAccount',
  'securityhub:DisassociateFromMasterAccount',
  'securityhub:DisassociateMembers',
  'securityhub:UpdateOrganizationConfiguration',
];

export interface AuditTrailProtection {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  /** The organization trail, by name: its ARN in any account (the management account's, and the copy members see). */
  readonly trailName: string;
  /** The log archive bucket. */
  readonly logBucketName: string;
  /** What would erase logs or open the bucket (modules/audit/log-archive.ts). */
  readonly logBucketChangingActions: readonly string[];
  /** Whether the organization runs GuardDuty and Security Hub: then nobody but the exempt roles switches them off. */
  readonly guardDuty: boolean;
  readonly securityHub: boolean;
  readonly exempt: ExemptRoles;
}

/**
 * Who did what stays recorded: only the exempt roles stop, delete or change the organization trail, or
 * delete or change the log archive bucket and its objects (whose own policy says the same), and, where the
 * organization runs them, switch GuardDuty or Security Hub off or leave their administrator.
 */
export function protectAuditTrail(props: AuditTrailProtection): PolicyStatement[] {
  const unless = unlessExempt(props.partition, props.exempt);
  const bucket = s3BucketArn(props.partition, props.logBucketName);
  return [
    {
      Sid: 'ProtectOrganizationTrail',
      Effect: 'Deny',
      Action: TRAIL_CHANGING_ACTIONS,
      Resource: serviceArn(props.partition, 'cloudtrail', '*', ANY_ACCOUNT, `trail/${props.trailName}`),
      Condition: unless,
    },
    { Sid: 'ProtectLogArchive', Effect: 'Deny', Action: props.logBucketChangingActions, Resource: [bucket, `${bucket}/*`], Condition: unless },
    ...(props.guardDuty ? [{ Sid: 'KeepGuardDutyOn', Effect: 'Deny' as const, Action: GUARDDUTY_DISABLING_ACTIONS, Resource: '*', Condition: unless }] : []),
    ...(props.securityHub
      ? [{ Sid: 'KeepSecurityHubOn', Effect: 'Deny' as const, Action: SECURITY_HUB_DISABLING_ACTIONS, Resource: '*', Condition: unless }]
      : []),
  ];
}

/** A suspended account (a retired one) is left as it was: nobody but the exempt roles does anything there. */
export function denyAllButExempt(props: { partition: Partition; exempt: ExemptRoles }): PolicyStatement[] {
  return [{ Sid: 'DenyAllInSuspendedAccounts', Effect: 'Deny', Action: '*', Resource: '*', Condition: unlessExempt(props.partition, props.exempt) }];
}
