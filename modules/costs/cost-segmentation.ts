// How the consolidated bill splits: cost allocation tags activated (so Cost Explorer and the cost reports
// can group by them) and a cost category assigning every linked account to a value, e.g. its environment.
import { CeCostAllocationTag } from '@cdktf/provider-aws/lib/ce-cost-allocation-tag';
import { CeCostCategory } from '@cdktf/provider-aws/lib/ce-cost-category';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { constructId } from '../common/construct-id';

export interface CostSegmentationProps {
  /** Tag keys to activate for cost allocation. */
  readonly allocationTagKeys: readonly string[];
  readonly categoryName: string;
  /** Category value -> the linked accounts whose costs it holds. */
  readonly accountsByValue: ReadonlyMap<string, readonly string[]>;
  /** A provider in us-east-1, where the Cost Explorer API lives (default: the stack's). */
  readonly provider?: TerraformProvider;
}

export class CostSegmentation extends Construct {
  readonly category: CeCostCategory;

  constructor(scope: Construct, id: string, props: CostSegmentationProps) {
    super(scope, id);
    for (const tagKey of new Set(props.allocationTagKeys)) {
      new CeCostAllocationTag(this, constructId('tag', tagKey), { provider: props.provider, tagKey, status: 'Active' });
    }
    this.category = new CeCostCategory(this, 'category', {
      provider: props.provider,
      name: props.categoryName,
      ruleVersion: 'CostCategoryExpression.v1',
      rule: [...props.accountsByValue].map(([value, accountIds]) => ({
        value,
        rule: { dimension: { key: 'LINKED_ACCOUNT', values: [...accountIds], matchOptions: ['EQUALS'] } },
      })),
    });
  }
}
