// Flat file paths → a sorted folder tree (folders first, then names).
export interface TreeFile {
  kind: 'file';
  name: string;
  path: string;
}
export interface TreeFolder {
  kind: 'folder';
  name: string;
  path: string;
  children: TreeNode[];
}
export type TreeNode = TreeFile | TreeFolder;

function sortNodes(nodes: TreeNode[]): void {
  nodes.sort((a, b) => (a.kind !== b.kind ? (a.kind === 'folder' ? -1 : 1) : a.name.localeCompare(b.name)));
  for (const n of nodes) if (n.kind === 'folder') sortNodes(n.children);
}

export function buildFileTree(paths: readonly string[]): TreeNode[] {
  const root: TreeFolder = { kind: 'folder', name: '', path: '', children: [] };
  for (const path of paths) {
    const parts = path.split('/').filter(Boolean);
    let folder = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const folderPath = parts.slice(0, i + 1).join('/');
      let next = folder.children.find((c): c is TreeFolder => c.kind === 'folder' && c.path === folderPath);
      if (!next) {
        next = { kind: 'folder', name: parts[i], path: folderPath, children: [] };
        folder.children.push(next);
      }
      folder = next;
    }
    const name = parts[parts.length - 1];
    if (name && !folder.children.some((c) => c.kind === 'file' && c.path === path)) {
      folder.children.push({ kind: 'file', name, path });
    }
  }
  sortNodes(root.children);
  return root.children;
}
