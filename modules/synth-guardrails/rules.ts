// The rules the synth refuses to break, each a function of one stack's resources as Terraform JSON.
// They hold for any organization a description can express, so a bug or a bad edit fails the synth
// instead of reaching a plan.
import { describeMeasure, type IamQuotas, MEASURED_TYPES, measureLimits } from './limits';

export interface ResourceView {
  /** Terraform resource type, e.g. aws_iam_role. */
  readonly type: string;
  /** The resource's logical id in its stack (the name after the type in its address). */
  readonly logicalId: string;
  /** Its attributes as synthesized (snake_case). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface Violation {
  readonly resource: ResourceView;
  readonly message: string;
}

export interface RuleContext {
  /** Every account id of the organization: the only accounts a resource policy may name. */
  readonly organizationAccountIds: ReadonlySet<string>;
  /** The IAM quotas the organization has raised: the limits documents and attachments must fit in. */
  readonly iamQuotas: IamQuotas;
}

export type Rule = (resources: readonly ResourceView[], context: RuleContext) => Violation[];

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Resource types whose attribute holds a trust or resource policy document. */
const POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_role: 'assume_role_policy',
  aws_s3_bucket_policy: 'policy',
  aws_ecr_repository_policy: 'policy',
  aws_ecr_registry_policy: 'policy',
  aws_kms_key: 'policy',
  aws_kms_key_policy: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_sqs_queue_policy: 'policy',
  aws_secretsmanager_secret_policy: 'policy',
  aws_cloudwatch_log_resource_policy: 'policy_document',
  aws_organizations_resource_policy: 'content',
};

/** Resource policies that must name no account outside the organization. */
const ACCOUNT_SCOPED_POLICIES = new Set(['aws_ecr_repository_policy', 'aws_ecr_registry_policy', 'aws_kms_key', 'aws_kms_key_policy', 'aws_s3_bucket_policy']);

function policyOf(resource: ResourceView): { statements: Statement[] } | { error: string } | undefined {
  const attribute = POLICY_ATTRIBUTES[resource.type];
  const text = attribute && resource.attributes[attribute];
  if (typeof text !== 'string') return undefined;
  try {
    const document = JSON.parse(text) as { Statement?: Statement | Statement[] };
    return { statements: [document.Statement ?? []].flat() };
  } catch {
    return { error: `${attribute} is not literal JSON, so it cannot be checked` };
  }
}

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function principalValues(principal: unknown): unknown[] {
  if (principal === '*') return ['*'];
  if (principal && typeof principal === 'object') return Object.values(principal).flatMap(asList);
  return [];
}

/** No Allow statement of a trust or resource policy may have the principal "*". */
export const noWildcardPrincipal: Rule = (resources) =>
  resources.flatMap((resource) => {
    const policy = policyOf(resource);
    if (!policy) return [];
    if ('error' in policy) return [{ resource, message: policy.error }];
    return policy.statements.flatMap((statement, index) =>
      statement.Effect === 'Allow' && principalValues(statement.Principal).includes('*')
        ? [{ resource, message: `policy statement ${index} allows principal "*"` }]
        : [],
    );
  });

/** Roles people switch into (cross-<group>) are assumable only with MFA. */
export const humanRolesRequireMfa: Rule = (resources) =>
  resources.flatMap((resource) => {
    if (resource.type !== 'aws_iam_role' || !String(resource.attributes.name ?? '').startsWith('cross-')) return [];
    const policy = policyOf(resource);
    if (!policy || 'error' in policy) return [];
    return policy.statements.flatMap((statement, index) => {
      const present = statement.Condition?.Bool?.['aws:MultiFactorAuthPresent'];
      const requiresMfa = statement.Effect !== 'Allow' || asList(present).map(String).join() === 'true';
      return requiresMfa ? [] : [{ resource, message: `trust policy statement ${index} lets people in without MFA (Bool aws:MultiFactorAuthPresent "true")` }];
    });
  });

/** Every 12-digit account id a policy mentions, in principals, resources or conditions. */
function mentionedAccountIds(statements: readonly Statement[]): Set<string> {
  const ids = new Set<string>();
  const scan = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(/(?:^|:)(\d{12})(?=:|$)/g)) ids.add(match[1]);
    } else if (Array.isArray(value)) value.forEach(scan);
    else if (value && typeof value === 'object') Object.values(value).forEach(scan);
  };
  statements.forEach(scan);
  return ids;
}

/** ECR, KMS and S3 policies share with the organization's accounts and no one else. */
export const noForeignAccounts: Rule = (resources, context) =>
  resources.flatMap((resource) => {
    if (!ACCOUNT_SCOPED_POLICIES.has(resource.type)) return [];
    const policy = policyOf(resource);
    if (!policy || 'error' in policy) return [];
    const foreign = [...mentionedAccountIds(policy.statements)].filter((id) => !context.organizationAccountIds.has(id));
    return foreign.length ? [{ resource, message: `policy names account(s) outside the organization: ${foreign.sort().join(', ')}` }] : [];
  });

/** Every bucket has its own encryption configuration and public access block. */
export const bucketsEncryptedAndPrivate: Rule = (resources) => {
  const covers = (bucket: ResourceView, type: string) =>
    resources.some((other) => {
      if (other.type !== type) return false;
      const target = String(other.attributes.bucket ?? '');
      return target.includes(`aws_s3_bucket.${bucket.logicalId}.`) || (bucket.attributes.bucket !== undefined && target === bucket.attributes.bucket);
    });
  return resources.flatMap((bucket) => {
    if (bucket.type !== 'aws_s3_bucket') return [];
    const missing = [
      ['aws_s3_bucket_server_side_encryption_configuration', 'an encryption configuration'],
      ['aws_s3_bucket_public_access_block', 'a public access block'],
    ].filter(([type]) => !covers(bucket, type));
    return missing.length ? [{ resource: bucket, message: `bucket lacks ${missing.map(([, what]) => what).join(' and ')}` }] : [];
  });
};

const SECURITY_GROUP_TYPES = ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'];
const BUCKET_TYPES = ['aws_s3_bucket', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_public_access_block'];

const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);
const WEB_PORTS = new Set([80, 443]);

/** From anywhere, a security group admits web traffic (80, 443) and nothing else. */
export const securityGroupsOpenOnlyWebToTheWorld: Rule = (resources) =>
  resources.flatMap((resource) => {
    const rules: Record<string, unknown>[] =
      resource.type === 'aws_security_group'
        ? (asList(resource.attributes.ingress) as Record<string, unknown>[])
        : resource.type === 'aws_security_group_rule' && resource.attributes.type === 'ingress'
          ? [resource.attributes]
          : resource.type === 'aws_vpc_security_group_ingress_rule'
            ? [
                {
                  ...resource.attributes,
                  cidr_blocks: [resource.attributes.cidr_ipv4],
                  ipv6_cidr_blocks: [resource.attributes.cidr_ipv6],
                  protocol: resource.attributes.ip_protocol,
                },
              ]
            : [];
    return rules.flatMap((rule) => {
      const open = [...asList(rule.cidr_blocks), ...asList(rule.ipv6_cidr_blocks)].some((cidr) => ANYWHERE.has(String(cidr)));
      const from = Number(rule.from_port);
      const webOnly = String(rule.protocol) !== '-1' && from === Number(rule.to_port) && WEB_PORTS.has(from);
      return open && !webOnly
        ? [
            {
              resource,
              message: `admits ${String(rule.protocol) === '-1' ? 'all traffic' : `ports ${rule.from_port}-${rule.to_port}`} from anywhere; only 80 and 443 may be open to the world`,
            },
          ]
        : [];
    });
  });

/** Every policy document and set of attached policies fits AWS's limits; the last resource making up one over its limit is named. */
export const withinAwsLimits: Rule = (resources, context) =>
  measureLimits(resources, context.iamQuotas)
    .filter((measure) => measure.value > measure.limit)
    .map((measure) => ({ resource: measure.resources[measure.resources.length - 1], message: describeMeasure(measure) }));

export const RULES: readonly Rule[] = [
  noWildcardPrincipal,
  humanRolesRequireMfa,
  noForeignAccounts,
  bucketsEncryptedAndPrivate,
  securityGroupsOpenOnlyWebToTheWorld,
  withinAwsLimits,
];

/**
 * Every resource type a rule reads; the rules see nothing else. Resolving a resource costs as much as
 * synthesizing it, so the aspect resolves these only (a large organization is mostly routes).
 */
export const INSPECTED_TYPES: ReadonlySet<string> = new Set([...Object.keys(POLICY_ATTRIBUTES), ...BUCKET_TYPES, ...SECURITY_GROUP_TYPES, ...MEASURED_TYPES]);
