// A tag policy (AWS Organizations' own syntax, not IAM): which spelling of a tag key and which values
// are compliant, and on which resource types a non-compliant value is refused rather than reported.

export interface TagRule {
  /** The key, capitalized as it must be written. */
  readonly tagKey: string;
  readonly allowedValues: readonly string[];
  /** Resource types (e.g. ec2:instance) where tagging with another value fails; empty: reported only. */
  readonly enforcedFor: readonly string[];
}

export function tagPolicyJson(rule: TagRule): string {
  return JSON.stringify({
    tags: {
      [rule.tagKey.toLowerCase()]: {
        tag_key: { '@@assign': rule.tagKey },
        tag_value: { '@@assign': rule.allowedValues },
        ...(rule.enforcedFor.length ? { enforced_for: { '@@assign': rule.enforcedFor } } : {}),
      },
    },
  });
}
