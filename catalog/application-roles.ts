// The roles applications run with instead of access keys, as data: their path, names and the one service
// each trusts. The ApplicationRoles construct builds them; the description checks, the guardrails and the
// access matrix read the same catalog.
import { iamRoleArn, type Partition } from '../naming/arn';

export const APPLICATION_ROLE_PATH = '/application/';

/** Each application role and the one service allowed to assume it (and to be passed it). */
export const APPLICATION_ROLES = {
  ec2Instance: { name: 'ec2-instance', service: 'ec2.amazonaws.com' },
  ecsTask: { name: 'ecs-task', service: 'ecs-tasks.amazonaws.com' },
  ecsTaskExecution: { name: 'ecs-task-execution', service: 'ecs-tasks.amazonaws.com' },
} as const;

export function applicationRoleArn(partition: Partition, accountId: string, role: keyof typeof APPLICATION_ROLES): string {
  return iamRoleArn(partition, accountId, APPLICATION_ROLES[role].name, APPLICATION_ROLE_PATH);
}
