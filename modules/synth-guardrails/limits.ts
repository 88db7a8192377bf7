// AWS's own limits on policy documents and attachments, measured on the resources as synthesized: every
// document the stacks write, whichever construct computed it, sized the way its service sizes it.
import { documentSize, type SizeCounting } from '../../catalog/policy-document';
import { SCP_MAX_CHARACTERS } from '../guardrails/packing';
import type { ResourceView } from './rules';

/** The IAM quotas an organization has raised (Service Quotas), in every account. */
export interface IamQuotas {
  /** "Role trust policy length": 2,048 by default, at most 4,096. */
  readonly roleTrustPolicyLength: number;
  /** "Managed policies per role": 10 by default, at most 20. */
  readonly managedPoliciesPerRole: number;
  /** "Managed policies per user": 10 by default, at most 20. */
  readonly managedPoliciesPerUser: number;
}

export const DEFAULT_IAM_QUOTAS: IamQuotas = { roleTrustPolicyLength: 2048, managedPoliciesPerRole: 10, managedPoliciesPerUser: 10 };

/** IAM's fixed quota of managed policies attached to one group. */
export const MANAGED_POLICIES_PER_GROUP = 10;

/** One measured document or attachment set, with the limit AWS applies to it. */
export interface Measure {
  /** What is limited, e.g. "inline policies of IAM group". */
  readonly kind: string;
  /** Whose: the group, role, repository... as named in AWS. */
  readonly subject: string;
  readonly value: number;
  readonly limit: number;
  readonly unit: string;
  /** What to do when over the limit. */
  readonly fix: string;
  /** The resources that make it up. */
  readonly resources: readonly ResourceView[];
}

interface DocumentKind {
  readonly kind: string | ((attributes: ResourceView['attributes']) => string);
  /** The attribute holding the document, and the one naming whose it is (combined per subject when shared). */
  readonly attribute: string;
  readonly subject: string;
  readonly counting: SizeCounting;
  readonly limit: (quotas: IamQuotas, attributes: ResourceView['attributes']) => number;
  readonly fix: string;
}

const IAM = 'characters without whitespace' as const;
const FEWER_STATEMENTS = 'name fewer accounts, actions or resources in it';

/** Every document kind with a size limit, by resource type; documents of one subject add up when they share a limit. */
const DOCUMENTS: Readonly<Record<string, DocumentKind>> = {
  aws_iam_group_policy: {
    kind: 'inline policies of IAM group',
    attribute: 'policy',
    subject: 'group',
    counting: IAM,
    limit: () => 5120,
    fix: `a fixed IAM limit: ${FEWER_STATEMENTS}`,
  },
  aws_iam_role_policy: {
    kind: 'inline policies of IAM role',
    attribute: 'policy',
    subject: 'role',
    counting: IAM,
    limit: () => 10240,
    fix: `a fixed IAM limit: ${FEWER_STATEMENTS}`,
  },
  aws_iam_user_policy: {
    kind: 'inline policies of IAM user',
    attribute: 'policy',
    subject: 'user',
    counting: IAM,
    limit: () => 2048,
    fix: `a fixed IAM limit: ${FEWER_STATEMENTS}`,
  },
  aws_iam_policy: {
    kind: 'IAM managed policy',
    attribute: 'policy',
    subject: 'name',
    counting: IAM,
    limit: () => 6144,
    fix: `a fixed IAM limit: ${FEWER_STATEMENTS}`,
  },
  aws_iam_role: {
    kind: 'trust policy of IAM role',
    attribute: 'assume_role_policy',
    subject: 'name',
    counting: IAM,
    limit: (quotas) => quotas.roleTrustPolicyLength,
    fix: 'ask AWS to raise "Role trust policy length" (at most 4,096) in every account, then set iamQuotas.roleTrustPolicyLength to match',
  },
  aws_organizations_policy: {
    kind: ({ type }) => (type === 'SERVICE_CONTROL_POLICY' ? 'service control policy' : `organization policy of type ${String(type)}`),
    attribute: 'content',
    subject: 'name',
    counting: 'characters',
    // Tag, backup and chatbot policies take 10,000 characters.
    limit: (_, { type }) => (type === 'SERVICE_CONTROL_POLICY' ? SCP_MAX_CHARACTERS : 10000),
    fix: `a fixed Organizations limit: ${FEWER_STATEMENTS}`,
  },
  aws_ecr_repository_policy: {
    kind: 'ECR repository policy',
    attribute: 'policy',
    subject: 'repository',
    counting: 'characters',
    limit: () => 10240,
    fix: `a fixed ECR limit: share the repository with fewer consumers`,
  },
  aws_s3_bucket_policy: {
    kind: 'S3 bucket policy',
    attribute: 'policy',
    subject: 'bucket',
    counting: 'bytes',
    limit: () => 20480,
    fix: `a fixed S3 limit: ${FEWER_STATEMENTS}`,
  },
  aws_kms_key: {
    kind: 'KMS key policy',
    attribute: 'policy',
    subject: 'description',
    counting: 'bytes',
    limit: () => 32768,
    fix: `a fixed KMS limit: share the key with fewer accounts`,
  },
};

/** Managed policy attachments, by the resource type attaching them and the attribute naming whose. */
const ATTACHMENTS: Readonly<Record<string, { readonly subject: string; readonly limit: (quotas: IamQuotas) => number; readonly fix: string }>> = {
  aws_iam_role_policy_attachment: {
    subject: 'role',
    limit: (quotas) => quotas.managedPoliciesPerRole,
    fix: 'list fewer policies in its access cell, or ask AWS to raise "Managed policies per role" (at most 20) in every account and set iamQuotas.managedPoliciesPerRole to match',
  },
  aws_iam_group_policy_attachment: {
    subject: 'group',
    limit: () => MANAGED_POLICIES_PER_GROUP,
    fix: 'a fixed IAM limit: list fewer policies in its access cell',
  },
  aws_iam_user_policy_attachment: {
    subject: 'user',
    limit: (quotas) => quotas.managedPoliciesPerUser,
    fix: 'ask AWS to raise "Managed policies per user" (at most 20) and set iamQuotas.managedPoliciesPerUser to match',
  },
};

/** The resource types the measures read: those limited, and those whose names they refer to. */
export const MEASURED_TYPES: readonly string[] = [
  ...Object.keys(DOCUMENTS),
  ...Object.keys(ATTACHMENTS),
  'aws_iam_group',
  'aws_iam_user',
  'aws_ecr_repository',
  'aws_s3_bucket',
];

/** Every limited document and attachment set of one stack's resources, measured. */
export function measureLimits(resources: readonly ResourceView[], quotas: IamQuotas): Measure[] {
  const measures = new Map<string, Measure>();
  const add = (subjectValue: unknown, measure: Omit<Measure, 'subject' | 'resources' | 'value'>, value: number, resource: ResourceView) => {
    const subject = nameOf(resources, subjectValue) ?? String(subjectValue ?? resource.logicalId);
    const key = `${measure.kind} ${subject}`;
    const previous = measures.get(key);
    measures.set(key, { ...measure, subject, value: (previous?.value ?? 0) + value, resources: [...(previous?.resources ?? []), resource] });
  };
  for (const resource of resources) {
    const document = DOCUMENTS[resource.type];
    const text = document && resource.attributes[document.attribute];
    if (typeof text === 'string') {
      const kind = typeof document.kind === 'string' ? document.kind : document.kind(resource.attributes);
      add(
        resource.attributes[document.subject],
        { kind, limit: document.limit(quotas, resource.attributes), unit: document.counting, fix: document.fix },
        documentSize(text, document.counting),
        resource,
      );
    }
    const attachment = ATTACHMENTS[resource.type];
    if (attachment) {
      const kind = `managed policies attached to IAM ${attachment.subject}`;
      add(resource.attributes[attachment.subject], { kind, limit: attachment.limit(quotas), unit: 'policies', fix: attachment.fix }, 1, resource);
    }
  }
  return [...measures.values()];
}

/** A name as AWS knows it: a literal, or the literal attribute of the resource a reference points to. */
function nameOf(resources: readonly ResourceView[], value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const reference = /^\$\{([\w]+)\.([\w-]+)\.(\w+)\}$/.exec(value);
  if (!reference) return value;
  const [, type, logicalId, attribute] = reference;
  const target = resources.find((resource) => resource.type === type && resource.logicalId === logicalId)?.attributes;
  // A bucket's or a repository's id is its name, known before it exists.
  const name = target?.[attribute] ?? (attribute === 'id' ? (target?.bucket ?? target?.name) : undefined);
  return typeof name === 'string' ? name : undefined;
}

/** How a measure reads in a message. */
export function describeMeasure(measure: Measure): string {
  return `${measure.kind} "${measure.subject}": ${measure.value.toLocaleString('en-US')} ${measure.unit}, over AWS's ${measure.limit.toLocaleString('en-US')}: ${measure.fix}`;
}
