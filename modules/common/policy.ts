// IAM policy documents as plain data, rendered to literal JSON in the synthesized Terraform so that a
// reviewer reads the exact policy and tools can evaluate it.
import { Token } from 'cdktf';

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

/**
 * The document as literal JSON. Every ARN in it must be known at synth (computed from the description):
 * a Terraform reference inside would hide the real policy from reviewers and simulators, and cdktf's HCL
 * output does not escape such strings. For the same reason a policy variable's dollar sign is written as
 * the JSON escape \u0024: Terraform reads ${ as an interpolation (and cdktf's HCL renderer leaves a string
 * holding one unquoted), while AWS, parsing the document as JSON, reads ${aws:username}.
 */
export function policyJson(document: PolicyDocument): string {
  const json = JSON.stringify(document);
  if (Token.isUnresolved(json)) {
    throw new Error(`policy document holds a Terraform reference; compute the ARN at synth instead: ${json}`);
  }
  return json.replaceAll('${', () => '\\u0024{');
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
