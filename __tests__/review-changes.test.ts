// The resource changes of a review against its base (npm run review -- --base), from the synthesized
// stacks alone: each way a description commonly changes shows exactly the resources, attributes, policy
// statements and rules it changes, and nothing else (order alone is no change).
import type { Organization } from '../description/model';
import { readReviewInputs } from '../scripts/lib/review/inputs';
import { collectResources, compareResources, type ResourcesData, type StackResourceChanges } from '../scripts/lib/review/resources';
import { editedOrg, synthesizeOrg } from './helpers';

async function resourcesOf(orgDir?: string): Promise<ResourcesData> {
  const { org, outdir }: { org: Organization; outdir: string } = await synthesizeOrg(orgDir, { warn: () => undefined });
  return collectResources(readReviewInputs(org, outdir));
}

/** Per stack, one line per changed resource: its change, type and path, then each changed line. */
function summary(changes: readonly StackResourceChanges[]): Record<string, string[]> {
  return Object.fromEntries(
    changes.map((stack) => [
      stack.stack,
      stack.resources.flatMap((resource) => [
        `${resource.change} ${resource.type} ${resource.path}`,
        ...(resource.lines
          ? [
              ...resource.lines.added.map((line) => `  + ${line}`),
              ...resource.lines.removed.map((line) => `  - ${line}`),
              ...resource.lines.changed.map(([line, was, is]) => `  ${line}: ${was} -> ${is}`),
            ]
          : []),
      ]),
    ]),
  );
}

let base: ResourcesData;
beforeAll(async () => {
  base = await resourcesOf();
});

const changesAfter = async (edits: Parameters<typeof editedOrg>[0]) => summary(compareResources(base, await resourcesOf(editedOrg(edits))));

it('the same description against its own base: no change', async () => {
  expect(compareResources(base, await resourcesOf())).toEqual([]);
});

const SANDBOX = 'id: "555555555555"\nemail: aws-sandbox@example.com\nou: Workloads/NonProd\nvpc:\n  cidr: 10.40.0.0/16\nbudget:\n  monthlyUsd: 150\n';
/** The rules a peer's VPC CIDR gives every other VPC: its baseline security group's and its private NACL's. */
const peerRules = (cidr: string) => [
  'changed aws_security_group baseline-security-group/security-group',
  `  + ingress: cidr_blocks=["${cidr}"] description=TCP 443 from the peered VPCs from_port=443 protocol=tcp to_port=443`,
  'changed aws_network_acl network-acls/private',
  `  + ingress: action=allow cidr_block=${cidr} from_port=0 protocol=-1 to_port=0`,
];
const removedLines = (lines: string[]) => lines.map((line) => line.replace('  + ', '  - '));

it('adding a user: the user, its groups, its self-service policy and its MFA requirement, in the identity account only', async () => {
  expect(await changesAfter({ 'organization.yaml': (org: any) => (org.users.frank = { groups: ['qa'] }) })).toEqual({
    dev: [
      'added aws_iam_user_policy_attachment identity/user-frank/attach-require-mfa',
      'added aws_iam_user_group_membership identity/user-frank/groups',
      'added aws_iam_user_policy identity/user-frank/self-service',
      'added aws_iam_user identity/user-frank/user',
    ],
  });
});

it("changing an access cell: one policy attachment of the group's role replaces another", async () => {
  expect(await changesAfter({ 'organization.yaml': (org: any) => (org.access.qa.dev = ['PowerUserAccess']) })).toEqual({
    dev: [
      'added aws_iam_group_policy_attachment identity/group-qa/attach-PowerUserAccess',
      'removed aws_iam_group_policy_attachment identity/group-qa/attach-ReadOnlyAccess',
    ],
  });
});

it("adding an account: its stack, its account and budget, the peers' rules, the shares and policies that name it", async () => {
  const changes = await changesAfter({ 'sandbox.yaml': SANDBOX });
  expect(Object.keys(changes)).toEqual(['management', 'dev', 'prod', 'qa', 'sandbox', 'vpc-peering']);
  expect(changes.management).toEqual([
    'added aws_organizations_account account-sandbox/account',
    'added aws_ce_anomaly_monitor anomaly-detection/monitor-sandbox',
    'added aws_budgets_budget budget-sandbox/budget',
    'added aws_account_alternate_contact contacts-sandbox/billing',
    'added aws_account_alternate_contact contacts-sandbox/operations',
    'added aws_account_alternate_contact contacts-sandbox/security',
    'changed aws_ce_anomaly_subscription anomaly-detection/subscription',
    '  + monitor_arn_list: ${aws_ce_anomaly_monitor.anomaly-detection_monitor-sandbox_D59C9AFA.arn}',
    'changed aws_ce_cost_category cost-segmentation/category',
    '  + rule: rule={"dimension":{"key":"LINKED_ACCOUNT","match_options":["EQUALS"],"values":["555555555555"]}} value=sandbox',
    'changed aws_organizations_policy guardrail-environmentTagPolicy/policy',
    '  + content.tags.environment.tag_value.@@assign: sandbox',
  ]);
  expect(changes.dev).toEqual([
    'added aws_ami_launch_permission sharing/ami-base/555555555555',
    ...peerRules('10.40.0.0/16').slice(0, 2),
    // ops may act in every account but the identity account: with a fourth, the condition lists them.
    'changed aws_iam_group_policy identity/group-ops/assume-roles',
    '  + policy statement SwitchIntoTheRolesOfThisGroup Condition.StringEquals.aws:ResourceAccount: 111111111111',
    '  + policy statement SwitchIntoTheRolesOfThisGroup Condition.StringEquals.aws:ResourceAccount: 333333333333',
    '  + policy statement SwitchIntoTheRolesOfThisGroup Condition.StringEquals.aws:ResourceAccount: 444444444444',
    '  - policy statement SwitchIntoTheRolesOfThisGroup Condition.StringEquals.aws:ResourceOrgID: o-a1b2c3d4e5',
    '  - policy statement SwitchIntoTheRolesOfThisGroup Condition.StringNotEquals.aws:ResourceAccount: 222222222222',
    ...peerRules('10.40.0.0/16').slice(2),
    'changed aws_ecr_repository_policy sharing/ecr-webapp/policy',
    '  + policy statement ConsumerAccountsPull Principal.AWS: arn:aws:iam::555555555555:root',
    '  + policy statement LambdaOfConsumerAccountsPulls Condition.StringEquals.aws:SourceAccount: 555555555555',
  ]);
  expect([changes.prod, changes.qa]).toEqual([peerRules('10.40.0.0/16'), peerRules('10.40.0.0/16')]);
  expect(changes.sandbox).toHaveLength(42);
  expect(changes.sandbox.every((line) => line.startsWith('added '))).toBe(true);
  // The mesh: qa requests the new connection (qa sorts before sandbox), sandbox accepts them all; dev's
  // and prod's requests gain an instance, their routes three (a route table each).
  expect(changes['vpc-peering'].filter((line) => !line.startsWith('  '))).toEqual([
    'added aws_vpc_peering_connection_options mesh/qa-requester-options',
    'added aws_vpc_peering_connection mesh/qa-requests',
    'added aws_vpc_peering_connection_options mesh/sandbox-accepter-options',
    'added aws_vpc_peering_connection_accepter mesh/sandbox-accepts',
    'added aws_route mesh/sandbox-routes',
    'changed aws_vpc_peering_connection_options mesh/dev-requester-options',
    'changed aws_vpc_peering_connection mesh/dev-requests',
    'changed aws_route mesh/dev-routes',
    'changed aws_vpc_peering_connection_options mesh/prod-requester-options',
    'changed aws_vpc_peering_connection mesh/prod-requests',
    'changed aws_route mesh/prod-routes',
    'changed aws_route mesh/qa-routes',
  ]);
  expect(changes['vpc-peering']).toContain('  + instance sandbox:public = accepter=sandbox destination=10.40.0.0/16 requester=dev table=public');
});

it("changing a VPC CIDR: the VPC and its subnets, its own rules, and each peer's rules and routes to it", async () => {
  const changes = await changesAfter({ 'qa.yaml': (qa: any) => (qa.vpc.cidr = '10.50.0.0/16') });
  const peerRuleChange = [
    ...peerRules('10.50.0.0/16').slice(0, 2),
    ...removedLines(peerRules('10.20.0.0/16').slice(1, 2)),
    ...peerRules('10.50.0.0/16').slice(2),
    ...removedLines(peerRules('10.20.0.0/16').slice(3)),
  ];
  // Rule numbers follow the peers' order (dev's rules 200 and 210 swap CIDRs): no change.
  expect([changes.dev, changes.prod]).toEqual([peerRuleChange, peerRuleChange]);
  expect(changes.qa).toEqual([
    'changed aws_security_group nat-instance/security-group',
    '  + ingress: cidr_blocks=["10.50.0.0/16"] description=From the VPC from_port=0 protocol=-1 to_port=0',
    '  - ingress: cidr_blocks=["10.20.0.0/16"] description=From the VPC from_port=0 protocol=-1 to_port=0',
    // The public NACL denies too: its rule numbers order what it decides, and show.
    ...[
      ['private', ''],
      ['public', ' rule_no=100'],
    ].flatMap(([nacl, order]) => [
      `changed aws_network_acl network-acls/${nacl}`,
      `  + ingress: action=allow cidr_block=10.50.0.0/16 from_port=0 protocol=-1${order} to_port=0`,
      `  - ingress: action=allow cidr_block=10.20.0.0/16 from_port=0 protocol=-1${order} to_port=0`,
    ]),
    'changed aws_subnet vpc/private-us-east-1a',
    '  cidr_block: 10.20.0.0/18 -> 10.50.0.0/18',
    'changed aws_subnet vpc/private-us-east-1b',
    '  cidr_block: 10.20.64.0/18 -> 10.50.64.0/18',
    'changed aws_subnet vpc/public-us-east-1a',
    '  cidr_block: 10.20.128.0/20 -> 10.50.128.0/20',
    'changed aws_subnet vpc/public-us-east-1b',
    '  cidr_block: 10.20.144.0/20 -> 10.50.144.0/20',
    'changed aws_vpc vpc/vpc',
    '  cidr_block: 10.20.0.0/16 -> 10.50.0.0/16',
  ]);
  expect(changes['vpc-peering'].filter((line) => !line.startsWith('  '))).toEqual(['changed aws_route mesh/dev-routes', 'changed aws_route mesh/prod-routes']);
  expect(changes['vpc-peering']).toContain(
    '  instance qa:public: accepter=qa destination=10.20.0.0/16 requester=dev table=public -> accepter=qa destination=10.50.0.0/16 requester=dev table=public',
  );
});

it('retiring an account: its stack and its management resources forgotten, not destroyed; the peers lose its rules', async () => {
  const changes = await changesAfter({ 'qa.yaml': (qa: any) => (qa.retired = true) });
  expect(Object.keys(changes)).toEqual(['management', 'qa', 'dev', 'prod', 'vpc-peering']);
  expect(changes.qa).toHaveLength(Object.keys(base.qa.declared).length);
  expect(changes.qa.every((line) => line.startsWith('forgotten '))).toBe(true);
  expect(changes.management.filter((line) => !line.startsWith('  '))).toEqual([
    'changed aws_organizations_account account-qa/account',
    'changed aws_ce_anomaly_subscription anomaly-detection/subscription',
    'changed aws_ce_cost_category cost-segmentation/category',
    'changed aws_organizations_policy guardrail-denyLeavingOrganization-2/policy',
    'forgotten aws_ce_anomaly_monitor anomaly-detection/monitor-qa',
    'forgotten aws_budgets_budget budget-qa/budget',
    'forgotten aws_account_alternate_contact contacts-qa/billing',
    'forgotten aws_account_alternate_contact contacts-qa/operations',
    'forgotten aws_account_alternate_contact contacts-qa/security',
  ]);
  expect(changes.prod).toEqual(removedLines(peerRules('10.20.0.0/16')));
  expect(changes.dev).toContain('removed aws_ami_launch_permission sharing/ami-base/333333333333');
  expect(changes['vpc-peering'].filter((line) => line.startsWith('forgotten '))).toEqual([
    'forgotten aws_vpc_peering_connection_options mesh/prod-requester-options',
    'forgotten aws_vpc_peering_connection mesh/prod-requests',
    'forgotten aws_vpc_peering_connection_options mesh/qa-accepter-options',
    'forgotten aws_vpc_peering_connection_accepter mesh/qa-accepts',
    'forgotten aws_route mesh/qa-routes',
  ]);
});
