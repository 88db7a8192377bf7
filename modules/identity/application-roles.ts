// The roles applications run with instead of access keys: an EC2 instance role with its instance profile,
// an ECS task role and an ECS task execution role. They live under one path, which is what the
// pass-application-roles permission lets people hand to EC2 and ECS, and nothing else.
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { APPLICATION_ROLE_PATH, APPLICATION_ROLES } from '../../catalog/application-roles';
import { type Partition, serviceArn } from '../../naming/arn';
import { ECR_PULL_ACTIONS } from '../common/ecr-actions';
import { policyDocument, type PolicyStatement } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';

export interface ApplicationRolesProps {
  /** The AWS partition every ARN names. */
  readonly partition: Partition;
  readonly accountId: string;
  /** ECR repositories the instance and task execution roles may pull images from. */
  readonly pullRepositoryArns: readonly string[];
}

export class ApplicationRoles extends Construct {
  readonly instanceRole: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly taskRole: IamRole;
  readonly taskExecutionRole: IamRole;

  constructor(scope: Construct, id: string, props: ApplicationRolesProps) {
    super(scope, id);
    const role = (key: keyof typeof APPLICATION_ROLES, description: string, condition?: PolicyStatement['Condition']) =>
      new IamRole(this, APPLICATION_ROLES[key].name, {
        name: APPLICATION_ROLES[key].name,
        path: APPLICATION_ROLE_PATH,
        description,
        assumeRolePolicy: policyJson(
          policyDocument({ Effect: 'Allow', Principal: { Service: APPLICATION_ROLES[key].service }, Action: 'sts:AssumeRole', Condition: condition }),
        ),
      });

    this.instanceRole = role('ec2Instance', 'Credentials of applications on EC2 instances, instead of access keys');
    this.instanceProfile = new IamInstanceProfile(this, 'ec2-instance-profile', {
      name: APPLICATION_ROLES.ec2Instance.name,
      path: APPLICATION_ROLE_PATH,
      role: this.instanceRole.name,
    });
    // The confused-deputy guard AWS documents for task roles: only tasks of this account.
    this.taskRole = role('ecsTask', 'Credentials of the application code in ECS tasks, instead of access keys', {
      StringEquals: { 'aws:SourceAccount': props.accountId },
      ArnLike: { 'aws:SourceArn': serviceArn(props.partition, 'ecs', '*', props.accountId, '*') },
    });
    this.taskExecutionRole = role('ecsTaskExecution', 'Used by ECS to pull task images and write their logs');

    if (props.pullRepositoryArns.length > 0) {
      for (const puller of [this.instanceRole, this.taskExecutionRole]) {
        new IamRolePolicy(this, `${puller.node.id}-pull-shared-images`, {
          role: puller.name,
          name: 'pull-shared-images',
          policy: policyJson(ecrPullPolicy(props.pullRepositoryArns)),
        });
      }
    }
    new IamRolePolicy(this, 'ecs-task-execution-write-logs', {
      role: this.taskExecutionRole.name,
      name: 'write-container-logs',
      policy: policyJson(
        policyDocument({
          Sid: 'WriteContainerLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          // The ECS console names task log groups /ecs/<task definition family>.
          Resource: serviceArn(props.partition, 'logs', '*', props.accountId, 'log-group:/ecs/*'),
        }),
      ),
    });
  }
}

/** Pulling images from the given repositories, and nothing else from ECR. */
export function ecrPullPolicy(repositoryArns: readonly string[]) {
  return policyDocument(
    // Authorization tokens are not scoped to repositories: the action takes no resource.
    { Sid: 'GetRegistryToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Sid: 'PullImages',
      Effect: 'Allow',
      Action: [...ECR_PULL_ACTIONS],
      Resource: [...repositoryArns],
    },
  );
}
