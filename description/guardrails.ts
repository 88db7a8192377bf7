// The guardrails read as what they make: each service control policy guardrail's statements, from the
// organization's names and ids, and the policies they are packed into. The management stack builds them,
// the quota check sizes them, the review lists them: all from here, so that they agree.
import { APPLICATION_ROLE_PATH } from '../catalog/application-roles';
import { CUSTOM_POLICY_NAMES } from '../catalog/custom-policies';
import { REQUIRE_MFA_POLICY_NAME } from '../naming/names';
import {
  type PackedPolicy,
  packServiceControlPolicies,
  SCP_MAX_CHARACTERS,
  SCPS_PER_TARGET,
  type ServiceControlGuardrail,
} from '../modules/guardrails/packing';
import {
  denyAllButExempt,
  denyIamUsersOutsideIdentityAccount,
  denyLeavingOrganization,
  denyOutsideRegions,
  denyRootUser,
  protectAccountBaseline,
  protectAuditTrail,
  protectIdentity,
  protectPlatformRoles,
  protectSharedArtifacts,
} from '../modules/guardrails/service-control-policies';
import { LOG_ARCHIVE_CHANGING_ACTIONS } from '../catalog/log-archive';
import { documentSize, type PolicyStatement } from '../catalog/policy-document';
import { SSO_ROLE_PATH, usesIdentityCenter } from './identity-center';
import type { Guardrails, Organization } from './model';
import type { Problems } from './problems';
import {
  amiKeyAliasName,
  crossAccountRoleName,
  flowLogBucketName,
  GROUP_MEMBER_TAG_KEYS,
  logArchiveBucketName,
  organizationTrailName,
  planRoleName,
} from '../naming/names';

export type ServiceControlGuardrailName = Exclude<keyof Guardrails, 'environmentTagPolicy'>;

/** What each service control policy guardrail denies, in the organization's terms. */
const STATEMENTS: { readonly [name in ServiceControlGuardrailName]: (org: Organization) => PolicyStatement[] } = {
  denyLeavingOrganization: () => denyLeavingOrganization(),
  denyRootUser: (org) => denyRootUser({ partition: org.partition }),
  denyOutsideAllowedRegions: (org) => denyOutsideRegions(org.guardrails.denyOutsideAllowedRegions.regions),
  protectPlatformRoles: (org) =>
    protectPlatformRoles({
      partition: org.partition,
      // CI's plan role whatever the list: its trust is what keeps a pull request's token read-only.
      roleNames: [
        ...(org.guardrails.protectPlatformRoles.roles ?? [org.deployRole, ...Object.keys(org.groups).map(crossAccountRoleName)]),
        ...(org.ci ? [planRoleName(org.name)] : []),
      ],
      policyNames: [...CUSTOM_POLICY_NAMES, REQUIRE_MFA_POLICY_NAME],
      applicationPath: APPLICATION_ROLE_PATH,
      identityCenterRolePath: usesIdentityCenter(org) ? SSO_ROLE_PATH : undefined,
      oidcProviderHost: org.ci?.oidcHost,
      exempt: exemptRoles(org, 'protectPlatformRoles'),
    }),
  protectIdentity: (org) =>
    protectIdentity({
      partition: org.partition,
      memberTagKeys: GROUP_MEMBER_TAG_KEYS,
      retiredAccountIds: org.retiredAccounts.map((account) => account.id),
      exempt: exemptRoles(org, 'protectIdentity'),
    }),
  denyIamUsersOutsideIdentityAccount: (org) =>
    denyIamUsersOutsideIdentityAccount({
      partition: org.partition,
      identityAccountId: org.identity.id,
      exempt: exemptRoles(org, 'denyIamUsersOutsideIdentityAccount'),
    }),
  protectSharedArtifacts: (org) =>
    protectSharedArtifacts({
      partition: org.partition,
      artifactAccountId: org.artifact.id,
      repositoryNames: org.sharing.ecr.map((repository) => repository.name),
      amiIds: org.sharing.amis.map((ami) => ami.id),
      amiKeyAlias: org.sharing.amiKey ? `alias/${amiKeyAliasName(org.name)}` : undefined,
      publisherRoles: org.sharing.publisherRoles,
      exempt: exemptRoles(org, 'protectSharedArtifacts'),
    }),
  protectAccountBaseline: (org) =>
    protectAccountBaseline({
      partition: org.partition,
      flowLogBucketPattern: flowLogBucketName(org.name, '*'),
      exempt: exemptRoles(org, 'protectAccountBaseline'),
    }),
  protectAuditTrail: (org) =>
    protectAuditTrail({
      partition: org.partition,
      trailName: organizationTrailName(org.name),
      logBucketName: logArchiveBucketName(org.name, org.logArchive.id),
      logBucketChangingActions: LOG_ARCHIVE_CHANGING_ACTIONS,
      guardDuty: org.audit.guardDuty,
      securityHub: org.audit.securityHub,
      exempt: exemptRoles(org, 'protectAuditTrail'),
    }),
  suspendRetiredAccounts: (org) => denyAllButExempt({ partition: org.partition, exempt: exemptRoles(org, 'suspendRetiredAccounts') }),
};

/** The deploy role, then the roles the guardrail's description exempts. */
function exemptRoles(org: Organization, name: ServiceControlGuardrailName): string[] {
  const guardrail = org.guardrails[name];
  return [org.deployRole, ...('exemptRoles' in guardrail ? guardrail.exemptRoles : [])];
}

/** Every service control policy guardrail that is attached somewhere, in the description's order. */
export function serviceControlGuardrails(org: Organization): ServiceControlGuardrail[] {
  return (Object.keys(STATEMENTS) as ServiceControlGuardrailName[])
    .filter((name) => org.guardrails[name].targets.length > 0)
    .map((name) => ({ name, targets: org.guardrails[name].targets, statements: STATEMENTS[name](org) }));
}

/** The service control policies the management stack creates: the guardrails packed by target. */
export function serviceControlPolicies(org: Organization): PackedPolicy[] {
  return packServiceControlPolicies(serviceControlGuardrails(org));
}

/** The policies AWS would refuse: a guardrail too large for one policy, a target with more policies than it attaches. */
export function checkServiceControlPolicyQuotas(org: Organization, orgFile: string, problems: Problems): void {
  const policies = serviceControlPolicies(org);
  for (const policy of policies) {
    const size = documentSize(policy.content, 'characters');
    if (size <= SCP_MAX_CHARACTERS) continue;
    problems.add(
      orgFile,
      ['guardrails', policy.guardrails[0]],
      `makes a service control policy of ${size} characters; AWS takes at most ${SCP_MAX_CHARACTERS}: protect fewer roles or artifacts with it`,
    );
  }
  const byTarget = new Map<string, PackedPolicy[]>();
  for (const policy of policies) for (const target of policy.targets) byTarget.set(target, [...(byTarget.get(target) ?? []), policy]);
  for (const [target, attached] of byTarget) {
    if (attached.length <= SCPS_PER_TARGET) continue;
    problems.add(
      orgFile,
      ['guardrails'],
      `attach ${attached.length} service control policies to "${target}" (${attached.flatMap((policy) => policy.guardrails).join(', ')}); AWS attaches at most ` +
        `${SCPS_PER_TARGET + 1} to a root, OU or account, FullAWSAccess included: give guardrails the same targets so that they share policies, or attach fewer there`,
    );
  }
}
