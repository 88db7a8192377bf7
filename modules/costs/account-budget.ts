// A monthly cost budget for one linked account, kept in the payer account: warned when the month is
// forecast to pass 80% of it, told when it has passed 100%.
import { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export const FORECAST_ALERT_PERCENT = 80;
export const ACTUAL_ALERT_PERCENT = 100;

export interface AccountBudgetProps {
  readonly budgetName: string;
  /** The linked account whose costs count. */
  readonly accountId: string;
  readonly monthlyUsd: number;
  readonly alertEmails: readonly string[];
  /** A provider in us-east-1, where the Budgets API lives (default: the stack's). */
  readonly provider?: TerraformProvider;
}

export class AccountBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: AccountBudgetProps) {
    super(scope, id);
    const alert = (threshold: number, notificationType: 'FORECASTED' | 'ACTUAL') => ({
      comparisonOperator: 'GREATER_THAN',
      threshold,
      thresholdType: 'PERCENTAGE',
      notificationType,
      subscriberEmailAddresses: [...props.alertEmails],
    });
    this.budget = new BudgetsBudget(this, 'budget', {
      provider: props.provider,
      name: props.budgetName,
      budgetType: 'COST',
      limitAmount: String(props.monthlyUsd),
      limitUnit: 'USD',
      timeUnit: 'MONTHLY',
      costFilter: [{ name: 'LinkedAccount', values: [props.accountId] }],
      notification: [alert(FORECAST_ALERT_PERCENT, 'FORECASTED'), alert(ACTUAL_ALERT_PERCENT, 'ACTUAL')],
    });
  }
}
