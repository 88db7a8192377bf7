// AWS attaches at most 5 service control policies to the root, an OU or an account, FullAWSAccess
// among them, and each holds at most 5,120 characters: guardrails attached to the same targets share
// policies, each guardrail in the first that still has room for it, never split across two.
import { documentSize, policyDocument, type PolicyStatement } from '../../catalog/policy-document';
import { policyJson } from '../common/policy';

export const SCP_MAX_CHARACTERS = 5120;
/** Five per target, less the FullAWSAccess policy AWS attaches everywhere. */
export const SCPS_PER_TARGET = 4;

export interface ServiceControlGuardrail {
  readonly name: string;
  /** The root, OU paths or account names it is attached to. */
  readonly targets: readonly string[];
  readonly statements: readonly PolicyStatement[];
}

export interface PackedPolicy {
  /** The first guardrail attached to the same targets, and which of their policies this is (from 1): what names it. */
  readonly firstOfTargets: string;
  readonly part: number;
  /** The guardrails it holds, in order. */
  readonly guardrails: readonly string[];
  readonly targets: readonly string[];
  /** The policy document as literal JSON. */
  readonly content: string;
}

export function packServiceControlPolicies(guardrails: readonly ServiceControlGuardrail[]): PackedPolicy[] {
  const byTargets = new Map<string, ServiceControlGuardrail[]>();
  for (const guardrail of guardrails) {
    const key = JSON.stringify([...guardrail.targets].sort());
    byTargets.set(key, [...(byTargets.get(key) ?? []), guardrail]);
  }
  return [...byTargets.values()].flatMap((group) => {
    const content = (members: readonly ServiceControlGuardrail[]) => policyJson(policyDocument(...members.flatMap((member) => member.statements)));
    // First fit: each guardrail joins the first policy it still fits in, so a small one fills a gap.
    const policies: ServiceControlGuardrail[][] = [];
    for (const guardrail of group) {
      const room = policies.find((members) => documentSize(content([...members, guardrail]), 'characters') <= SCP_MAX_CHARACTERS);
      if (room) room.push(guardrail);
      else policies.push([guardrail]);
    }
    return policies.map((members, index) => ({
      firstOfTargets: group[0].name,
      part: index + 1,
      guardrails: members.map((member) => member.name),
      targets: [...members[0].targets].sort(),
      content: content(members),
    }));
  });
}
