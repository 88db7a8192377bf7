// Splitting an organization's stacks between machines (`--shard <i>/<n>`): deterministic, so every job of
// a CI matrix computes the same split, and balanced by the resources Terraform plans. vpc-peering and
// transit-gateway (a provider per VPC) and management (the organization) are the longest plans: each gets a shard of its own
// while the others still have one left.
import type { SynthesizedStack } from './synthesized';
import { ToolError } from './tool-error';

export interface Shard {
  /** 1 to count. */
  readonly index: number;
  readonly count: number;
}

const OWN_SHARD = ['vpc-peering', 'transit-gateway', 'management'];

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || count < 1 || index < 1 || index > count) throw new ToolError(`--shard ${text}: give <i>/<n>, 1 <= i <= n, e.g. --shard 2/3`);
  return { index, count };
}

/** Resources Terraform plans for the stack: a for_each block counts once per key. */
function plannedResources(stack: SynthesizedStack): number {
  return Object.values(stack.json?.resource ?? {})
    .flatMap((blocks) => Object.values(blocks))
    .reduce((sum, block) => sum + (block.for_each && typeof block.for_each === 'object' ? Object.keys(block.for_each).length : 1), 0);
}

/** Every shard's stack names, shard 1 first: the heaviest stacks alone, then the rest, heaviest first, each onto the lightest shard. */
export function splitIntoShards(stacks: readonly SynthesizedStack[], count: number): string[][] {
  const alone = OWN_SHARD.filter((name) => stacks.some((stack) => stack.name === name)).slice(0, Math.max(0, count - 1));
  const shards = [
    ...alone.map((name) => ({ names: [name], resources: 0 })),
    ...Array.from({ length: count - alone.length }, () => ({ names: [] as string[], resources: 0 })),
  ];
  const shared = shards.slice(alone.length);
  const rest = stacks
    .filter((stack) => !alone.includes(stack.name))
    .map((stack) => ({ name: stack.name, resources: plannedResources(stack) }))
    .sort((a, b) => b.resources - a.resources || a.name.localeCompare(b.name));
  for (const stack of rest) {
    const lightest = shared.reduce((best, shard) => (shard.resources < best.resources ? shard : best));
    lightest.names.push(stack.name);
    lightest.resources += stack.resources;
  }
  return shards.map((shard) => shard.names);
}

export function stacksOfShard(stacks: readonly SynthesizedStack[], shard: Shard): string[] {
  return splitIntoShards(stacks, shard.count)[shard.index - 1];
}
