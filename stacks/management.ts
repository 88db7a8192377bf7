// What the management (payer) account's stack holds beyond every account's baseline: the organization,
// its OUs and member accounts, the guardrails, and the cost segmentation of the consolidated bill.
import { type TerraformStack, TerraformOutput } from 'cdktf';
import type { Organization as OrganizationDescription, PendingAccount } from '../description/model';
import { ROOT_TARGET } from '../description/management';
import { policyJson } from '../modules/common/policy';
import { AccountBudget } from '../modules/costs/account-budget';
import { AnomalyDetection } from '../modules/costs/anomaly-detection';
import { CostSegmentation } from '../modules/costs/cost-segmentation';
import { OrganizationPolicy, type OrganizationPolicyType } from '../modules/guardrails/organization-policy';
import { denyLeavingOrganization, denyOutsideRegions, denyRootUser, protectRoles } from '../modules/guardrails/service-control-policies';
import { tagPolicyJson } from '../modules/guardrails/tag-policy';
import { MemberAccount } from '../modules/organization/member-account';
import { Organization } from '../modules/organization/organization';
import { crossAccountRoleName } from '../description/access';
import { type AccountProviders, defaultTags, ENVIRONMENT_TAG } from './conventions';

/** Cost Explorer and Budgets answer from us-east-1 only. */
const BILLING_REGION = 'us-east-1';

/** Trusted access the tag policy needs for organization-wide compliance reports. */
const TAG_POLICY_SERVICE = 'tagpolicies.tag.amazonaws.com';

export function buildManagementAccount(stack: TerraformStack, org: OrganizationDescription, providers: AccountProviders): void {
  const [management] = org.accounts;
  const { guardrails } = org;
  const tagPolicyAttached = guardrails.environmentTagPolicy.targets.length > 0;

  const organization = new Organization(stack, 'organization', {
    adoptId: org.awsOrganization.id,
    serviceAccessPrincipals: [...new Set([...(tagPolicyAttached ? [TAG_POLICY_SERVICE] : []), ...org.awsOrganization.serviceAccessPrincipals])].sort(),
    enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'],
    organizationalUnits: org.organizationalUnits.map((ou) => ({ path: ou.path, adoptId: ou.id })),
  });

  // Accounts with an id are adopted, the others created; the management account owns the organization. A
  // retired account's member account, budget and anomaly monitor are forgotten (stacks/retired-account-stack.ts);
  // a guardrail may still name it: it is still in the organization.
  const members: [PendingAccount, string | undefined][] = [
    ...org.accounts.slice(1).map((account): [PendingAccount, string] => [account, account.id]),
    ...org.pendingAccounts.map((account): [PendingAccount, undefined] => [account, undefined]),
  ];
  const accountIds = new Map<string, string>([[management.name, management.id], ...org.retiredAccounts.map((account): [string, string] => [account.name, account.id])]);
  for (const [account, adoptId] of members) {
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

  const targetId = (target: string) => (target === ROOT_TARGET ? organization.rootId : (organization.organizationalUnitIds.get(target) ?? accountIds.get(target)!));
  const attach = (key: keyof typeof guardrails, type: OrganizationPolicyType, description: string, content: string) => {
    const { targets } = guardrails[key];
    if (targets.length === 0) return;
    new OrganizationPolicy(stack, `guardrail-${key}`, {
      name: `${org.name}-${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`,
      description,
      type,
      content,
      targets: targets.map((target) => ({ name: target, id: targetId(target) })),
      organization: organization.organization,
    });
  };
  const scp = 'SERVICE_CONTROL_POLICY';
  attach('denyLeavingOrganization', scp, 'No account leaves the organization', policyJson(denyLeavingOrganization()));
  attach('denyRootUser', scp, 'The root user of member accounts can do nothing', policyJson(denyRootUser()));
  const { regions } = guardrails.denyOutsideAllowedRegions;
  attach('denyOutsideAllowedRegions', scp, `Nothing outside ${regions.join(', ')} but global services`, policyJson(denyOutsideRegions(regions)));
  const protectedRoles = guardrails.protectPlatformRoles.roles ?? [org.deployRole, ...Object.keys(org.groups).map(crossAccountRoleName)];
  attach('protectPlatformRoles', scp, `Only ${org.deployRole} changes the deploy and cross-account roles`, policyJson(protectRoles(protectedRoles, org.deployRole)));
  attach(
    'environmentTagPolicy',
    'TAG_POLICY',
    `The ${ENVIRONMENT_TAG} tag and its allowed values`,
    tagPolicyJson({
      tagKey: ENVIRONMENT_TAG,
      allowedValues: guardrails.environmentTagPolicy.values,
      enforcedFor: guardrails.environmentTagPolicy.enforcedFor,
    }),
  );

  const billing = providers.for(management, BILLING_REGION);
  const environments = [...new Set(accounts.map((account) => account.environment))].sort();
  new CostSegmentation(stack, 'cost-segmentation', {
    allocationTagKeys: org.costs.activateAllocationTags ? [ENVIRONMENT_TAG, org.costTagKey] : [],
    categoryName: ENVIRONMENT_TAG,
    accountsByValue: new Map(
      environments.map((environment) => [environment, accounts.filter((account) => account.environment === environment).map((account) => accountIds.get(account.name)!)]),
    ),
    provider: billing,
  });
  for (const account of accounts) {
    if (!account.budget) continue;
    new AccountBudget(stack, `budget-${account.name}`, {
      budgetName: `${org.name}-${account.name}-monthly`,
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
