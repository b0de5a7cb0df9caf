// The order a file tree is drawn in: each folder followed by its subtree; inside a
// folder, folders first, then names in the shared natural order (shared/tree-order.ts).
import { compareNames } from '../../../../shared/tree-order.js';
import type { TreeEntry } from './types.js';

/** An entry as the walker found it, waiting for its place in the tree. */
export interface TreeNode {
  name: string;
  /** The name lower-cased, once per entry rather than once per comparison. */
  key: string;
  entry: TreeEntry;
}

export { compareNames };

function sortSiblings(nodes: TreeNode[]): TreeNode[] {
  return nodes.sort((x, y) => {
    const xDir = x.entry.kind === 'dir';
    if (xDir !== (y.entry.kind === 'dir')) return xDir ? -1 : 1;
    return compareNames(x.name, y.name, x.key, y.key);
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
