// IAM policy documents as plain data, rendered to literal JSON in the synthesized Terraform so that a
// reviewer reads the exact policy and tools can evaluate it.
import { Token } from 'cdktf';
import type { PolicyDocument } from '../../catalog/policy-document';

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
