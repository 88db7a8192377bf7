// modules/costs: budgets per account, Cost Anomaly Detection, cost allocation tags and the cost category.
import { ACTUAL_ALERT_PERCENT, AccountBudget, FORECAST_ALERT_PERCENT } from '../../../modules/costs/account-budget';
import { AnomalyDetection } from '../../../modules/costs/anomaly-detection';
import { CostSegmentation } from '../../../modules/costs/cost-segmentation';
import { synthScope } from '../synth-scope';

it("a budget counts one linked account's costs and warns at 80% forecast, then at 100% actual", () => {
  const out = synthScope(
    (scope) =>
      new AccountBudget(scope, 'budget', { budgetName: 'dev-monthly', accountId: '222222222222', monthlyUsd: 250, alertEmails: ['finops@example.com'] }),
  );
  const alert = (threshold: number, type: string) => ({
    comparison_operator: 'GREATER_THAN',
    threshold,
    threshold_type: 'PERCENTAGE',
    notification_type: type,
    subscriber_email_addresses: ['finops@example.com'],
  });
  expect([FORECAST_ALERT_PERCENT, ACTUAL_ALERT_PERCENT]).toEqual([80, 100]);
  expect(out.one('aws_budgets_budget')).toEqual({
    name: 'dev-monthly',
    budget_type: 'COST',
    limit_amount: '250',
    limit_unit: 'USD',
    time_unit: 'MONTHLY',
    cost_filter: [{ name: 'LinkedAccount', values: ['222222222222'] }],
    notification: [alert(80, 'FORECASTED'), alert(100, 'ACTUAL')],
  });
});

describe('anomaly detection', () => {
  const out = synthScope(
    (scope) =>
      new AnomalyDetection(scope, 'anomalies', {
        namePrefix: 'test',
        accounts: [
          { name: 'dev', id: '222222222222' },
          { name: 'prod', id: '333333333333' },
        ],
        emails: ['finops@example.com'],
        thresholdUsd: 50,
        frequency: 'DAILY',
      }),
  );
  const monitors = out.byId('aws_ce_anomaly_monitor');

  it('watches each account with a custom monitor, specified exactly as AWS reads it back (else replaced every plan)', () => {
    expect(Object.values(monitors).map((monitor) => [monitor.name, monitor.monitor_type, JSON.parse(monitor.monitor_specification)])).toEqual([
      [
        'test-dev',
        'CUSTOM',
        {
          And: null,
          CostCategories: null,
          Dimensions: { Key: 'LINKED_ACCOUNT', MatchOptions: null, Values: ['222222222222'] },
          Not: null,
          Or: null,
          Tags: null,
        },
      ],
      [
        'test-prod',
        'CUSTOM',
        {
          And: null,
          CostCategories: null,
          Dimensions: { Key: 'LINKED_ACCOUNT', MatchOptions: null, Values: ['333333333333'] },
          Not: null,
          Or: null,
          Tags: null,
        },
      ],
    ]);
  });

  it('mails the anomalies of every monitor whose impact reaches the threshold', () => {
    expect(out.one('aws_ce_anomaly_subscription')).toEqual({
      name: 'test-anomalies',
      frequency: 'DAILY',
      monitor_arn_list: Object.keys(monitors).map((id) => `\${aws_ce_anomaly_monitor.${id}.arn}`),
      subscriber: [{ type: 'EMAIL', address: 'finops@example.com' }],
      threshold_expression: { dimension: { key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', match_options: ['GREATER_THAN_OR_EQUAL'], values: ['50'] } },
    });
  });
});

it('cost segmentation activates each allocation tag once and puts every account under its category value', () => {
  const out = synthScope(
    (scope) =>
      new CostSegmentation(scope, 'costs', {
        allocationTagKeys: ['Environment', 'cost:center', 'Environment'],
        categoryName: 'Environment',
        accountsByValue: new Map([
          ['prod', ['333333333333']],
          ['nonprod', ['222222222222', '555555555555']],
        ]),
      }),
  );
  expect(
    out
      .all('aws_ce_cost_allocation_tag')
      .map((tag) => [tag.tag_key, tag.status])
      .sort(),
  ).toEqual([
    ['Environment', 'Active'],
    ['cost:center', 'Active'],
  ]);
  expect(out.one('aws_ce_cost_category')).toEqual({
    name: 'Environment',
    rule_version: 'CostCategoryExpression.v1',
    rule: [
      { value: 'prod', rule: { dimension: { key: 'LINKED_ACCOUNT', values: ['333333333333'], match_options: ['EQUALS'] } } },
      { value: 'nonprod', rule: { dimension: { key: 'LINKED_ACCOUNT', values: ['222222222222', '555555555555'], match_options: ['EQUALS'] } } },
    ],
  });
});
