// Cost Anomaly Detection over linked accounts: one monitor per account (a customer managed monitor, so it
// never collides with the one AWS-managed services monitor an account may already have) and one
// subscription mailing the anomalies whose total impact reaches a threshold.
import { CeAnomalyMonitor } from '@cdktf/provider-aws/lib/ce-anomaly-monitor';
import { CeAnomalySubscription } from '@cdktf/provider-aws/lib/ce-anomaly-subscription';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface MonitoredAccount {
  readonly name: string;
  readonly id: string;
}

export interface AnomalyDetectionProps {
  /** Prefix of the monitor and subscription names. */
  readonly namePrefix: string;
  readonly accounts: readonly MonitoredAccount[];
  readonly emails: readonly string[];
  readonly thresholdUsd: number;
  readonly frequency: 'DAILY' | 'WEEKLY';
  /** A provider in us-east-1, where the Cost Explorer API lives (default: the stack's). */
  readonly provider?: TerraformProvider;
}

export class AnomalyDetection extends Construct {
  readonly monitors: readonly CeAnomalyMonitor[];
  readonly subscription: CeAnomalySubscription;

  constructor(scope: Construct, id: string, props: AnomalyDetectionProps) {
    super(scope, id);
    this.monitors = props.accounts.map(
      (account) =>
        new CeAnomalyMonitor(this, `monitor-${account.name}`, {
          provider: props.provider,
          name: `${props.namePrefix}-${account.name}`,
          monitorType: 'CUSTOM',
          monitorSpecification: linkedAccountSpecification(account.id),
        }),
    );
    this.subscription = new CeAnomalySubscription(this, 'subscription', {
      provider: props.provider,
      name: `${props.namePrefix}-anomalies`,
      frequency: props.frequency,
      monitorArnList: this.monitors.map((monitor) => monitor.arn),
      subscriber: props.emails.map((address) => ({ type: 'EMAIL', address })),
      thresholdExpression: {
        dimension: { key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', matchOptions: ['GREATER_THAN_OR_EQUAL'], values: [String(props.thresholdUsd)] },
      },
    });
  }
}

/**
 * The monitor's cost filter, written the way the provider reads it back from AWS (every Expression field,
 * null when unused): any other spelling differs from the read-back JSON and would replace the monitor at
 * every plan.
 */
function linkedAccountSpecification(accountId: string): string {
  return JSON.stringify({
    And: null,
    CostCategories: null,
    Dimensions: { Key: 'LINKED_ACCOUNT', MatchOptions: null, Values: [accountId] },
    Not: null,
    Or: null,
    Tags: null,
  });
}
