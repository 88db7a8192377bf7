// What the management (payer) account's stack holds beyond every account's baseline: the organization,
// its OUs and member accounts, the guardrails, and the cost segmentation of the consolidated bill.
import { type TerraformStack, TerraformOutput } from 'cdktf';
import type { Organization as OrganizationDescription, PendingAccount } from '../description/model';
import { alternateContactsOf, ROOT_TARGET } from '../description/management';
import { AccountBudget } from '../modules/costs/account-budget';
import { AnomalyDetection } from '../modules/costs/anomaly-detection';
import { CostSegmentation } from '../modules/costs/cost-segmentation';
import { OrganizationPolicy, type OrganizationPolicyType } from '../modules/guardrails/organization-policy';
import { tagPolicyJson } from '../modules/guardrails/tag-policy';
import { AlternateContacts } from '../modules/organization/alternate-contacts';
import { MemberAccount } from '../modules/organization/member-account';
import { Organization } from '../modules/organization/organization';
import { serviceControlPolicies } from '../description/guardrails';
import type { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { auditServicePrincipals, buildOrganizationAudit } from './audit';
import { type AccountProviders, defaultTags } from './conventions';
import { usesIdentityCenter } from '../description/identity-center';
import { buildIdentityCenterDelegation, IDENTITY_CENTER_SERVICE } from './identity-center';
import { accountBudgetName, ENVIRONMENT_TAG, environmentTagPolicyName, guardrailPolicyName } from '../naming/names';

/** Cost Explorer and Budgets answer from us-east-1 only. */
const BILLING_REGION = 'us-east-1';

/** Trusted access the tag policy needs for organization-wide compliance reports. */
const TAG_POLICY_SERVICE = 'tagpolicies.tag.amazonaws.com';

/** Trusted access the management account needs to set member accounts' alternate contacts. */
const ACCOUNT_SERVICE = 'account.amazonaws.com';

/** `logArchivePolicy`: the log archive bucket's policy when the management account is the log archive. */
export function buildManagementAccount(
  stack: TerraformStack,
  org: OrganizationDescription,
  providers: AccountProviders,
  logArchivePolicy?: S3BucketPolicy,
): void {
  const { management, guardrails } = org;
  const memberAccounts = org.accounts.filter((account) => account !== management);
  const tagPolicyAttached = guardrails.environmentTagPolicy.targets.length > 0;
  const membersWithContacts = [...memberAccounts, ...org.pendingAccounts].some((account) => Object.keys(alternateContactsOf(org, account)).length > 0);

  const organization = new Organization(stack, 'organization', {
    adoptId: org.awsOrganization.id,
    serviceAccessPrincipals: [
      ...new Set([
        ...(tagPolicyAttached ? [TAG_POLICY_SERVICE] : []),
        ...(membersWithContacts ? [ACCOUNT_SERVICE] : []),
        ...auditServicePrincipals(org),
        ...(usesIdentityCenter(org) ? [IDENTITY_CENTER_SERVICE] : []),
        ...org.awsOrganization.serviceAccessPrincipals,
      ]),
    ].sort(),
    enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'],
    organizationalUnits: org.organizationalUnits.map((ou) => ({ path: ou.path, adoptId: ou.id })),
  });

  buildOrganizationAudit(stack, org, organization.organization, logArchivePolicy);
  buildIdentityCenterDelegation(stack, org, organization.organization);

  // Accounts with an id are adopted, the others created; the management account owns the organization. A
  // retired account stays a member, moved to the retired accounts' OU; its budget and anomaly monitor are
  // forgotten (stacks/retirement.ts).
  const members: [PendingAccount, string | undefined][] = [
    ...memberAccounts.map((account): [PendingAccount, string] => [account, account.id]),
    ...org.pendingAccounts.map((account): [PendingAccount, undefined] => [account, undefined]),
  ];
  const accountIds = new Map<string, string>([[management.name, management.id]]);
  for (const [account, adoptId] of [...members, ...org.retiredAccounts.map((account): [PendingAccount, string] => [account, account.id])]) {
    const member = new MemberAccount(stack, `account-${account.name}`, {
      name: account.name,
      email: account.email,
      parentId: account.ou ? organization.organizationalUnitIds.get(account.ou)! : organization.rootId,
      roleName: org.deployRole,
      tags: defaultTags(org, account),
      adoptId,
    });
    accountIds.set(account.name, member.accountId);
  }
  const accounts: readonly PendingAccount[] = [management, ...members.map(([account]) => account)];
  // A member's contacts are set through the organization's trusted access.
  for (const account of accounts) {
    const member = account !== management;
    new AlternateContacts(stack, `contacts-${account.name}`, {
      accountId: member ? accountIds.get(account.name) : undefined,
      contacts: alternateContactsOf(org, account),
      dependsOn: member ? [organization.organization] : undefined,
    });
  }

  const targetId = (target: string) =>
    target === ROOT_TARGET ? organization.rootId : (organization.organizationalUnitIds.get(target) ?? accountIds.get(target)!);
  const policy = (id: string, props: { name: string; description: string; type: OrganizationPolicyType; content: string; targets: readonly string[] }) =>
    new OrganizationPolicy(stack, id, {
      ...props,
      targets: props.targets.map((target) => ({ name: target, id: targetId(target) })),
      organization: organization.organization,
    });
  // Guardrails attached to the same targets share policies (AWS attaches at most five per target). A policy
  // is known by its targets' first guardrail and its place among their policies: repacking updates it in
  // place, and the first is where that guardrail's own policy was.
  for (const scp of serviceControlPolicies(org)) {
    const key = `${scp.firstOfTargets}${scp.part > 1 ? `-${scp.part}` : ''}`;
    policy(`guardrail-${key}`, {
      name: guardrailPolicyName(org.name, key),
      description: `Guardrails ${scp.guardrails.join(', ')}`.slice(0, 512),
      type: 'SERVICE_CONTROL_POLICY',
      content: scp.content,
      targets: scp.targets,
    });
  }
  const { environmentTagPolicy } = guardrails;
  if (tagPolicyAttached) {
    policy('guardrail-environmentTagPolicy', {
      name: environmentTagPolicyName(org.name),
      description: `The ${ENVIRONMENT_TAG} tag and its allowed values`,
      type: 'TAG_POLICY',
      content: tagPolicyJson({ tagKey: ENVIRONMENT_TAG, allowedValues: environmentTagPolicy.values, enforcedFor: environmentTagPolicy.enforcedFor }),
      targets: environmentTagPolicy.targets,
    });
  }

  const billing = providers.for(management, BILLING_REGION);
  const environments = [...new Set(accounts.map((account) => account.environment))].sort();
  new CostSegmentation(stack, 'cost-segmentation', {
    allocationTagKeys: org.costs.activateAllocationTags ? [ENVIRONMENT_TAG, org.costTagKey] : [],
    categoryName: ENVIRONMENT_TAG,
    accountsByValue: new Map(
      environments.map((environment) => [
        environment,
        accounts.filter((account) => account.environment === environment).map((account) => accountIds.get(account.name)!),
      ]),
    ),
    provider: billing,
  });
  for (const account of accounts) {
    if (!account.budget) continue;
    new AccountBudget(stack, `budget-${account.name}`, {
      budgetName: accountBudgetName(org.name, account.name),
      accountId: accountIds.get(account.name)!,
      monthlyUsd: account.budget.monthlyUsd,
      alertEmails: account.budget.alertEmails,
      provider: billing,
    });
  }
  const { anomalyAlerts } = org.costs;
  new AnomalyDetection(stack, 'anomaly-detection', {
    namePrefix: org.name,
    accounts: accounts.map((account) => ({ name: account.name, id: accountIds.get(account.name)! })),
    emails: anomalyAlerts.emails,
    thresholdUsd: anomalyAlerts.thresholdUsd,
    frequency: anomalyAlerts.frequency,
    provider: billing,
  });

  // What a platform team looks up: ids known only once the organization exists, or once an account is created.
  new TerraformOutput(stack, 'organization_id', { value: organization.organization.id, description: 'The organization (o-...)' });
  new TerraformOutput(stack, 'organization_root_id', { value: organization.rootId, description: 'The root (r-...)' });
  new TerraformOutput(stack, 'organizational_unit_ids', {
    value: Object.fromEntries(organization.organizationalUnitIds),
    description: 'OU path -> OU id',
  });
  new TerraformOutput(stack, 'account_ids', { value: Object.fromEntries(accountIds), description: 'Account name -> account id' });
}
