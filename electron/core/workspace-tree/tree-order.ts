// The order a file tree is drawn in: each folder followed by its subtree; inside a
// folder, folders first, then names in natural, case-insensitive order (file2
// before file10, Readme next to readme). Hand-written rather than Intl.Collator:
// on 100,000 names it is several times faster, and the order does not change
// with the machine's locale or ICU build, so tests and snapshots are stable.
import type { TreeEntry } from './types.js';

/** An entry as the walker found it, waiting for its place in the tree. */
export interface TreeNode {
  name: string;
  /** The name lower-cased, once per entry rather than once per comparison. */
  key: string;
  entry: TreeEntry;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Natural compare of two already lower-cased names; 0 when they differ only in leading zeros. */
function compareLowered(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      // Compare the digit runs as numbers of any size: strip leading zeros, then
      // the longer run is the larger number, else the first differing digit decides.
      while (i < a.length && a.charCodeAt(i) === 48) i++;
      while (j < b.length && b.charCodeAt(j) === 48) j++;
      let endA = i;
      let endB = j;
      while (endA < a.length && isDigit(a.charCodeAt(endA))) endA++;
      while (endB < b.length && isDigit(b.charCodeAt(endB))) endB++;
      if (endA - i !== endB - j) return endA - i - (endB - j);
      for (; i < endA; i++, j++) {
        const diff = a.charCodeAt(i) - b.charCodeAt(j);
        if (diff !== 0) return diff;
      }
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

/** Natural, case-insensitive; names equal that way are ordered by code point so the order is total. */
export function compareNames(a: string, b: string): number {
  const natural = compareLowered(a.toLowerCase(), b.toLowerCase());
  if (natural !== 0) return natural;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortSiblings(nodes: TreeNode[]): TreeNode[] {
  return nodes.sort((x, y) => {
    const xDir = x.entry.kind === 'dir';
    if (xDir !== (y.entry.kind === 'dir')) return xDir ? -1 : 1;
    const natural = compareLowered(x.key, y.key);
    if (natural !== 0) return natural;
    return x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
  });
}

/**
 * Flatten `childrenOf` (folder path → its entries; '' is the root) into tree order.
 * Sorts the sibling arrays in place.
 * Iterative, so a pathologically deep tree cannot overflow the stack.
 */
export function toTreeOrder(childrenOf: ReadonlyMap<string, TreeNode[]>): TreeEntry[] {
  const out: TreeEntry[] = [];
  const stack: Array<{ nodes: TreeNode[]; next: number }> = [{ nodes: sortSiblings(childrenOf.get('') ?? []), next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next >= frame.nodes.length) {
      stack.pop();
      continue;
    }
    const { entry } = frame.nodes[frame.next++];
    out.push(entry);
    const children = entry.kind === 'dir' ? childrenOf.get(entry.path) : undefined;
    if (children && children.length > 0) stack.push({ nodes: sortSiblings(children), next: 0 });
  }
  return out;
}
