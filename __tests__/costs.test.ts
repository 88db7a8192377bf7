// Cost segmentation with a consolidated view, in the payer account: allocation tags, the Environment cost
// category, a budget per account, anomaly detection; on a us-east-1 provider where Cost Explorer lives.
import { loadOrganization } from '../description/load';
import { editedOrg, synthesizeOrg } from './helpers';
import { PLANNED_ORGS, plannedOrg } from './setup/planned';

const BILLING_TYPES = ['aws_budgets_budget', 'aws_ce_anomaly_monitor', 'aws_ce_anomaly_subscription', 'aws_ce_cost_allocation_tag', 'aws_ce_cost_category'];

function plannedCosts(name: string) {
  const org = loadOrganization(PLANNED_ORGS[name]);
  const management = plannedOrg(name).get(org.management.name)!;
  const planned = (type: string) => management.resources.filter((resource) => resource.type === type);
  const configured = (type: string) => management.plan.configuration.root_module.resources.filter((resource: any) => resource.type === type);
  return { org, management, planned, configured, described: [...org.accounts, ...org.pendingAccounts] };
}

describe.each(Object.keys(PLANNED_ORGS))('the %s organization', (name) => {
  const { org, management, planned, described } = plannedCosts(name);
  const idOf = (accountName: string) => org.accounts.find((account) => account.name === accountName)?.id;

  it('activates the Environment tag and the cost tag for cost allocation', () => {
    expect(
      planned('aws_ce_cost_allocation_tag')
        .map((tag) => [tag.values.tag_key, tag.values.status])
        .sort(),
    ).toEqual(
      [
        ['Environment', 'Active'],
        [org.costTagKey, 'Active'],
      ].sort(),
    );
  });

  it('maps every account, created ones included, to its environment in the Environment cost category', () => {
    const [category] = planned('aws_ce_cost_category');
    expect(category.values).toMatchObject({ name: 'Environment', rule_version: 'CostCategoryExpression.v1' });
    const rules = Object.fromEntries(category.values.rule.map((rule: any) => [rule.value, rule.rule[0].dimension[0]] as const));
    const environments = [...new Set(described.map((account) => account.environment))].sort();
    expect(Object.keys(rules).sort()).toEqual(environments);
    for (const environment of environments) {
      const accounts = described.filter((account) => account.environment === environment);
      expect(rules[environment]).toMatchObject({ key: 'LINKED_ACCOUNT', match_options: ['EQUALS'] });
      const ids = accounts.map((account) => idOf(account.name));
      // A created account's id, and so its rule's list, is known once the account exists.
      if (ids.every(Boolean)) expect(rules[environment].values).toEqual(ids);
      else expect([environment, rules[environment].values]).toEqual([environment, undefined]);
    }
  });

  it('keeps a monthly budget for every account whose file sets one, alerting at 80% forecast and 100% actual', () => {
    const budgeted = described.filter((account) => account.budget);
    expect(budgeted.length).toBeGreaterThan(0);
    const budgets = new Map(planned('aws_budgets_budget').map((budget) => [budget.values.name, budget.values]));
    expect([...budgets.keys()].sort()).toEqual(budgeted.map((account) => `${org.name}-${account.name}-monthly`).sort());
    for (const account of budgeted) {
      const budget = budgets.get(`${org.name}-${account.name}-monthly`)!;
      expect(budget).toMatchObject({ budget_type: 'COST', limit_amount: String(account.budget!.monthlyUsd), limit_unit: 'USD', time_unit: 'MONTHLY' });
      expect(budget.cost_filter).toEqual(idOf(account.name) ? [{ name: 'LinkedAccount', values: [idOf(account.name)] }] : [{ name: 'LinkedAccount' }]);
      const alerts = budget.notification.map((alert: any) => [alert.notification_type, alert.comparison_operator, alert.threshold, alert.threshold_type]);
      expect(alerts.sort()).toEqual([
        ['ACTUAL', 'GREATER_THAN', 100, 'PERCENTAGE'],
        ['FORECASTED', 'GREATER_THAN', 80, 'PERCENTAGE'],
      ]);
      for (const alert of budget.notification) expect(alert.subscriber_email_addresses.sort()).toEqual([...account.budget!.alertEmails].sort());
    }
  });

  it('watches every account for cost anomalies and mails those over the threshold', () => {
    const monitors = planned('aws_ce_anomaly_monitor').map((monitor) => monitor.values);
    expect(monitors.map((monitor) => monitor.name).sort()).toEqual(described.map((account) => `${org.name}-${account.name}`).sort());
    for (const account of org.accounts) {
      const monitor = monitors.find((candidate) => candidate.name === `${org.name}-${account.name}`)!;
      expect(monitor.monitor_type).toBe('CUSTOM');
      // Every Expression field, as AWS hands it back: otherwise each plan would replace the monitor.
      expect(JSON.parse(monitor.monitor_specification)).toEqual({
        And: null,
        CostCategories: null,
        Dimensions: { Key: 'LINKED_ACCOUNT', MatchOptions: null, Values: [account.id] },
        Not: null,
        Or: null,
        Tags: null,
      });
    }
    const [subscription] = planned('aws_ce_anomaly_subscription');
    const { anomalyAlerts } = org.costs;
    expect(subscription.values).toMatchObject({
      frequency: anomalyAlerts.frequency,
      subscriber: anomalyAlerts.emails.map((address) => ({ type: 'EMAIL', address })),
      threshold_expression: [
        { dimension: [{ key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', match_options: ['GREATER_THAN_OR_EQUAL'], values: [String(anomalyAlerts.thresholdUsd)] }] },
      ],
    });
    const subscribed = management.json.resource!.aws_ce_anomaly_subscription;
    expect(Object.values(subscribed)[0].monitor_arn_list).toHaveLength(described.length);
  });
});

it("the default organization alerts the management account and each account's own email unless its file names others", () => {
  const { org, planned } = plannedCosts('default');
  expect(org.costs.anomalyAlerts).toEqual({ emails: ['aws-management@example.com'], thresholdUsd: 100, frequency: 'DAILY' });
  const emails = Object.fromEntries(
    planned('aws_budgets_budget').map((budget) => [budget.values.name, budget.values.notification[0].subscriber_email_addresses]),
  );
  expect(emails['webomates-dev-monthly']).toEqual(['aws-dev@example.com']);
  expect(emails['webomates-prod-monthly']).toEqual(['aws-prod@example.com', 'finance@example.com']);
});

it('leaves the allocation tags inactive when told to (AWS refuses them until it has seen the tags in billing data)', async () => {
  const { stack, org } = await synthesizeOrg(editedOrg({ 'organization.yaml': (o) => (o.costs.activateAllocationTags = false) }));
  const management = stack(org.management.name).resource!;
  expect(management.aws_ce_cost_allocation_tag).toBeUndefined();
  expect(Object.keys(management.aws_ce_cost_category)).toHaveLength(1);
});

it('with its home region us-east-1, the default organization needs no other provider for Cost Explorer and Budgets', () => {
  const { management } = plannedCosts('default');
  expect(Object.keys(management.plan.configuration.provider_config)).toEqual(['aws']);
});

it("outside us-east-1, Cost Explorer and Budgets go through a us-east-1 provider assuming the payer's deploy role; the organization stays home", () => {
  const { org, configured, management } = plannedCosts('five-accounts');
  const payer = org.management;
  const billing = management.plan.configuration.provider_config['aws.payer-us-east-1'];
  expect(billing.expressions.region.constant_value).toBe('us-east-1');
  expect(billing.expressions.allowed_account_ids.constant_value).toEqual([payer.id]);
  expect(billing.expressions.assume_role[0].role_arn.constant_value).toBe(`arn:aws:iam::${payer.id}:role/TerraformDeploy`);
  for (const type of BILLING_TYPES) {
    expect(configured(type).length).toBeGreaterThan(0);
    for (const resource of configured(type)) expect([type, resource.provider_config_key]).toEqual([type, 'aws.payer-us-east-1']);
  }
  for (const type of ['aws_organizations_organization', 'aws_organizations_account', 'aws_organizations_policy']) {
    for (const resource of configured(type)) expect([type, resource.provider_config_key]).toEqual([type, 'aws']);
  }
});
