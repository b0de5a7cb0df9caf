import { useMemo, useState } from 'react';
import { useApp } from '../store/app-state.js';
import { selectFile } from '../store/tasks.js';
import { buildFileTree, type TreeNode } from '../lib/file-tree.js';
import type { FileView } from '../store/task-view.js';
import { FileIcon } from './FileIcon.js';

interface NodeProps {
  node: TreeNode;
  depth: number;
  files: Record<string, FileView>;
  selected: string | null;
  collapsed: Set<string>;
  toggle: (path: string) => void;
}

function TreeItem({ node, depth, files, selected, collapsed, toggle }: NodeProps) {
  const indent = { paddingLeft: `${8 + depth * 14}px` };
  if (node.kind === 'folder') {
    const open = !collapsed.has(node.path);
    return (
      <li role="treeitem" aria-expanded={open}>
        <button type="button" className="tree-row tree-folder" style={indent} data-testid="file-tree-folder" data-path={node.path} onClick={() => toggle(node.path)}>
          <span className={`chevron${open ? ' open' : ''}`} aria-hidden="true">›</span>
          <span className="tree-name">{node.name}</span>
        </button>
        {open && (
          <ul role="group">
            {node.children.map((c) => (
              <TreeItem key={c.path} node={c} depth={depth + 1} files={files} selected={selected} collapsed={collapsed} toggle={toggle} />
            ))}
          </ul>
        )}
      </li>
    );
  }
  const f = files[node.path];
  const state = f?.state ?? 'written';
  return (
    <li role="treeitem" aria-selected={selected === node.path}>
      <button
        type="button"
        className={`tree-row tree-file${selected === node.path ? ' selected' : ''} tree-file-${state}`}
        style={indent}
        data-testid="file-tree-item"
        data-path={node.path}
        data-state={state}
        onClick={() => selectFile(node.path)}
        title={state === 'streaming' ? `${node.path} — being written` : state === 'truncated' ? `${node.path} — the answer ended mid-file` : node.path}
      >
        <span className="chevron-spacer" aria-hidden="true" />
        <FileIcon name={node.name} />
        <span className="tree-name">{node.name}</span>
        {state === 'streaming' && <span className="dot-live" aria-label="being written" />}
        {state === 'truncated' && <span className="tree-flag" title="The answer ended mid-file">cut</span>}
      </button>
    </li>
  );
}

export function FileTree() {
  const view = useApp((s) => s.view);
  const selected = useApp((s) => s.selectedPath);
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const order = view?.fileOrder;
  const tree = useMemo(() => buildFileTree(order ?? []), [order]);

  const toggle = (path: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  return (
    <div className="file-tree" data-testid="file-tree">
      {tree.length === 0 ? (
        <div className="file-tree-empty">{view ? 'No files yet. They appear here as the model writes them.' : 'Files of the selected task appear here.'}</div>
      ) : (
        <ul role="tree">
          {tree.map((n) => (
            <TreeItem key={n.path} node={n} depth={0} files={view?.files ?? {}} selected={selected} collapsed={collapsed} toggle={toggle} />
          ))}
        </ul>
      )}
    </div>
  );
}
