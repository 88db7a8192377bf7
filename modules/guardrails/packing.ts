// AWS attaches at most 5 service control policies to the root, an OU or an account, FullAWSAccess
// among them, and each holds at most 5,120 characters: guardrails attached to the same targets share
// policies, packed in order, a guardrail never split across two.
import { documentSize, policyDocument, policyJson, type PolicyStatement } from '../common/policy';

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
    const packed: PackedPolicy[] = [];
    let current: ServiceControlGuardrail[] = [];
    const content = (members: readonly ServiceControlGuardrail[]) => policyJson(policyDocument(...members.flatMap((member) => member.statements)));
    const flush = () => {
      if (current.length === 0) return;
      packed.push({
        firstOfTargets: group[0].name,
        part: packed.length + 1,
        guardrails: current.map((member) => member.name),
        targets: [...current[0].targets].sort(),
        content: content(current),
      });
    };
    for (const guardrail of group) {
      if (current.length > 0 && documentSize(content([...current, guardrail]), 'characters') > SCP_MAX_CHARACTERS) {
        flush();
        current = [];
      }
      current.push(guardrail);
    }
    flush();
    return packed;
  });
}
