// IAM policy documents as plain data: what every layer builds, sizes and evaluates; modules/common/policy.ts
// renders them to the literal JSON the synthesized Terraform holds.

export type OneOrMany = string | readonly string[];

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, OneOrMany>>;
  readonly NotPrincipal?: Readonly<Record<string, OneOrMany>>;
  readonly Action?: OneOrMany;
  readonly NotAction?: OneOrMany;
  readonly Resource?: OneOrMany;
  readonly NotResource?: OneOrMany;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, OneOrMany | boolean | number>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** How a service sizes a policy document. */
export type SizeCounting = 'characters without whitespace' | 'characters' | 'bytes';

/**
 * The size of a document as its service counts it: IAM counts characters without whitespace; the other
 * services count the document as sent. The one measure every size check uses.
 */
export function documentSize(text: string, counting: SizeCounting): number {
  if (counting === 'bytes') return Buffer.byteLength(text, 'utf8');
  return counting === 'characters' ? text.length : text.replace(/\s/g, '').length;
}
