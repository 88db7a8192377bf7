// IAM Access Analyzer over the whole organization (free): a finding for every resource a policy shares
// outside the organization.
import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

export class OrganizationAccessAnalyzer extends Construct {
  constructor(scope: Construct, id: string, props: { name: string; dependsOn: readonly ITerraformDependable[] }) {
    super(scope, id);
    new AccessanalyzerAnalyzer(this, 'analyzer', { analyzerName: props.name, type: 'ORGANIZATION', dependsOn: [...props.dependsOn] });
  }
}
