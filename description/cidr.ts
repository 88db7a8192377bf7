// IPv4 CIDR arithmetic, used to validate the description and to lay out subnets at synth.

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

/** Parses "a.b.c.d/n"; undefined unless it is a well-formed network address (no host bits set). */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const base = octets.reduce((value, octet) => value * 256 + octet, 0);
  if (base % blockSize(prefix) !== 0) return undefined;
  return { base, prefix };
}

export function formatCidr(cidr: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join('.')}/${cidr.prefix}`;
}

export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.prefix <= inner.prefix && outer.base <= inner.base && inner.base + blockSize(inner.prefix) <= outer.base + blockSize(outer.prefix);
}

/**
 * Carves blocks of the given prefix lengths out of `within`, largest first so that each lands aligned
 * right after the previous one with no gap. Returns them in the order asked, or undefined if they do
 * not all fit (or one is larger than `within`).
 */
export function allocateBlocks(within: Cidr, prefixes: readonly number[]): Cidr[] | undefined {
  const order = prefixes.map((prefix, index) => ({ prefix, index })).sort((a, b) => a.prefix - b.prefix || a.index - b.index);
  const end = within.base + blockSize(within.prefix);
  const blocks: Cidr[] = [];
  let next = within.base;
  for (const { prefix, index } of order) {
    if (prefix < within.prefix || prefix > 32 || next + blockSize(prefix) > end) return undefined;
    blocks[index] = { base: next, prefix };
    next += blockSize(prefix);
  }
  return blocks;
}

/** The fewest prefixes covering exactly the union of `blocks` (siblings merged into their parent, repeatedly). */
export function aggregateCidrs(blocks: readonly Cidr[]): Cidr[] {
  const sorted = [...blocks].sort((a, b) => a.base - b.base || a.prefix - b.prefix);
  const merged: Cidr[] = [];
  for (const block of sorted) {
    const last = merged[merged.length - 1];
    if (last && cidrContains(last, block)) continue;
    merged.push(block);
    // Two halves of one parent become the parent, which may in turn complete its own parent.
    while (merged.length >= 2) {
      const [left, right] = merged.slice(-2);
      const parentPrefix = left.prefix - 1;
      if (left.prefix !== right.prefix || parentPrefix < 0 || left.base % blockSize(parentPrefix) !== 0 || right.base !== left.base + blockSize(left.prefix))
        break;
      merged.splice(-2, 2, { base: left.base, prefix: parentPrefix });
    }
  }
  return merged;
}

/**
 * The fewest prefixes that cover every address of `targets` and hold no address outside `allowed`
 * (`targets` must lie within `allowed`). Every prefix inside `allowed` lies inside exactly one block of
 * its aggregate, so the aggregate blocks that meet a target are that fewest set.
 */
export function coveringPrefixes(targets: readonly Cidr[], allowed: readonly Cidr[]): Cidr[] {
  // One sweep over both in address order: a VPC admits its peers this way, so a large organization does it n times.
  const sorted = [...targets].sort((a, b) => a.base - b.base);
  let next = 0;
  return aggregateCidrs(allowed).filter((block) => {
    while (next < sorted.length && sorted[next].base + blockSize(sorted[next].prefix) <= block.base) next++;
    return next < sorted.length && cidrsOverlap(block, sorted[next]);
  });
}
