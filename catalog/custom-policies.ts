// The permissions this project defines itself, usable in the access matrix next to AWS managed policy
// names. Each becomes a customer managed policy in the account that uses it, plus any AWS managed
// policies it builds on.
import { policyDocument, type PolicyDocument } from './policy-document';
import type { Partition } from '../naming/arn';
import { APPLICATION_ROLES, applicationRoleArn } from './application-roles';

export interface CustomPolicy {
  readonly description: string;
  /** AWS managed policies (path/name) the permission attaches as well. */
  readonly awsManagedPolicies: readonly string[];
  /** The customer managed policy it creates in the account `accountId`. */
  document(partition: Partition, accountId: string): PolicyDocument;
}

const triage: CustomPolicy = {
  description: 'Look, do not touch: view-only access plus reading CloudWatch Logs and metrics',
  awsManagedPolicies: ['job-function/ViewOnlyAccess'],
  // ViewOnlyAccess lists resources but reads no data; triage needs the logs and metrics themselves.
  document: () =>
    policyDocument(
      {
        Sid: 'ReadLogs',
        Effect: 'Allow',
        Action: [
          'logs:DescribeLogGroups',
          'logs:DescribeLogStreams',
          'logs:DescribeMetricFilters',
          'logs:DescribeQueries',
          'logs:DescribeQueryDefinitions',
          'logs:FilterLogEvents',
          'logs:GetLogEvents',
          'logs:GetLogGroupFields',
          'logs:GetLogRecord',
          'logs:GetQueryResults',
          'logs:StartLiveTail',
          'logs:StartQuery',
          'logs:StopLiveTail',
          'logs:StopQuery',
        ],
        Resource: '*',
      },
      {
        Sid: 'ReadMetricsAndAlarms',
        Effect: 'Allow',
        Action: [
          'cloudwatch:DescribeAlarmHistory',
          'cloudwatch:DescribeAlarms',
          'cloudwatch:DescribeAlarmsForMetric',
          'cloudwatch:GetDashboard',
          'cloudwatch:GetMetricData',
          'cloudwatch:GetMetricStatistics',
          'cloudwatch:GetMetricWidgetImage',
          'cloudwatch:ListDashboards',
          'cloudwatch:ListMetrics',
        ],
        Resource: '*',
      },
    ),
};

const passApplicationRoles: CustomPolicy = {
  description: 'Hand the application roles of this account to the one service each is for',
  awsManagedPolicies: [],
  document: (partition, accountId) =>
    policyDocument(
      { Sid: 'PassInstanceRoleToEc2', ...passRoles(partition, accountId, ['ec2Instance']) },
      { Sid: 'PassTaskRolesToEcs', ...passRoles(partition, accountId, ['ecsTask', 'ecsTaskExecution']) },
      // The EC2 console lists instance profiles to pick one; PowerUserAccess leaves out all of IAM.
      { Sid: 'ListInstanceProfiles', Effect: 'Allow', Action: 'iam:ListInstanceProfiles', Resource: '*' },
    ),
};

/** iam:PassRole on application roles that share one service, to that service only. */
function passRoles(partition: Partition, accountId: string, roles: readonly (keyof typeof APPLICATION_ROLES)[]) {
  return {
    Effect: 'Allow' as const,
    Action: 'iam:PassRole',
    Resource: roles.map((role) => applicationRoleArn(partition, accountId, role)),
    Condition: { StringEquals: { 'iam:PassedToService': APPLICATION_ROLES[roles[0]].service } },
  };
}

export const CUSTOM_POLICIES = { triage, 'pass-application-roles': passApplicationRoles } as const;

export type CustomPolicyName = keyof typeof CUSTOM_POLICIES;

export const CUSTOM_POLICY_NAMES = Object.keys(CUSTOM_POLICIES) as readonly CustomPolicyName[];

export function isCustomPolicyName(name: string): name is CustomPolicyName {
  return Object.hasOwn(CUSTOM_POLICIES, name);
}

/** The policies a cell's permissions attach, each once: AWS managed ones (path/name) and the project's own. */
export function attachedPolicies(permissions: readonly string[]): { awsManaged: string[]; custom: CustomPolicyName[] } {
  const custom = permissions.filter(isCustomPolicyName);
  const awsManaged = permissions.flatMap((permission) => (isCustomPolicyName(permission) ? CUSTOM_POLICIES[permission].awsManagedPolicies : [permission]));
  return { awsManaged: [...new Set(awsManaged)], custom: [...new Set(custom)] };
}
