// The open folder's file tree, virtualised (@tanstack/react-virtual): only the rows in
// view are in the DOM, so 100,000 files scroll like 100. Keyboard: ↑ ↓ move, → opens a
// folder or steps into it, ← closes it or steps out, Enter opens, Home/End jump; F2 renames,
// Delete trashes (Ctrl/Cmd+Z brings it back), Shift+F10 (or the menu key) opens the actions menu; drag a row onto a folder to move it.
import { MiddleEllipsis } from './MiddleEllipsis.js';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatBytes } from '../lib/format.js';
import { isBinaryName } from '../lib/file-kind.js';
import type { WsEntry } from '../lib/workspace-tree.js';
import { useWs, wsStore } from '../store/workspace-state.js';
import { toggleExpanded } from '../store/workspace.js';
import { openDoc } from '../store/workspace-docs.js';
import { FolderIcon, KindIcon } from './WsIcons.js';
import { deleteEntry, fileActionsStore, moveInto, openMenu, startNameEdit, undoDelete } from '../store/file-actions.js';

/** The drag's payload type: a row of this tree (not files dropped from the desktop). */
const DRAG_TYPE = 'application/x-macs-tree-path';
const parentDir = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

const ROW_HEIGHT = 22;

interface RowProps {
  entry: WsEntry;
  open: boolean;
  active: boolean;
  focused: boolean;
  dirty: boolean;
  streaming: boolean;
  top: number;
  /** The tree's version: entries are patched in place, so a patch must re-render visible rows. */
  version: number;
}

const TreeRow = memo(function TreeRow({ entry, open, active, focused, dirty, streaming, top }: RowProps) {
  const dir = entry.kind === 'dir';
  const binary = !dir && (entry.binary ?? isBinaryName(entry.name));
  const title = dir ? entry.path : `${entry.path}${entry.size > 0 ? ` · ${formatBytes(entry.size)}` : ''}${binary ? ' · binary' : ''}${entry.ignored ? ' · ignored' : ''}`;
  return (
    <div
      role="treeitem"
      id={`ws-row-${entry.path}`}
      aria-level={entry.depth + 1}
      aria-expanded={dir ? open : undefined}
      aria-selected={active}
      className={`ws-row${dir ? ' ws-dir' : ' ws-file'}${active ? ' active' : ''}${focused ? ' focused' : ''}${entry.ignored ? ' ignored' : ''}${streaming ? ' streaming' : ''}`}
      style={{ transform: `translateY(${top}px)`, paddingLeft: 8 + entry.depth * 12 }}
      data-testid="ws-tree-row"
      data-path={entry.path}
      data-kind={entry.kind}
      data-dirty={dirty ? 'true' : undefined}
      data-streaming={streaming ? 'true' : undefined}
      title={title}
      onMouseDown={(e) => {
        // The tree (not the row) holds the keyboard focus; rows come and go as they scroll.
        // No preventDefault: it would stop the row from being dragged (drag to move).
        e.currentTarget.closest<HTMLElement>('[role="tree"]')?.focus({ preventScroll: true });
      }}
      onClick={() => {
        wsStore.setState({ focusedPath: entry.path });
        if (dir) toggleExpanded(entry.path);
        else openDoc(entry.path);
      }}
      onContextMenu={(e) => {
        e.preventDefault();
        e.stopPropagation();
        wsStore.setState({ focusedPath: entry.path });
        openMenu(entry.path, e.clientX, e.clientY);
      }}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, entry.path);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        e.currentTarget.classList.add('drop-target');
      }}
      onDragLeave={(e) => e.currentTarget.classList.remove('drop-target')}
      onDrop={(e) => {
        e.currentTarget.classList.remove('drop-target');
        const from = e.dataTransfer.getData(DRAG_TYPE);
        if (!from) return;
        e.preventDefault();
        e.stopPropagation();
        // Onto a folder: into it; onto a file: beside it.
        void moveInto(from, dir ? entry.path : parentDir(entry.path));
      }}
    >
      {entry.depth > 0 && <span className="ws-guides" style={{ width: entry.depth * 12 }} aria-hidden="true" />}
      {dir ? <span className={`chevron${open ? ' open' : ''}`} aria-hidden="true">›</span> : <span className="chevron-spacer" aria-hidden="true" />}
      {dir ? <FolderIcon open={open} /> : <KindIcon name={entry.name} />}
      <MiddleEllipsis className="tree-name" text={entry.name} />
      {streaming && <span className="dot-live" aria-label="being written" />}
      {binary && <span className="ws-flag" title="Binary file">bin</span>}
      {dirty && <span className="ws-dirty" title="Unsaved changes" data-testid="ws-tree-dirty">●</span>}
    </div>
  );
});

export function WorkspaceTreeView({ streamingPaths }: { streamingPaths: ReadonlySet<string> }) {
  const tree = useWs((s) => s.tree);
  const version = useWs((s) => s.treeVersion);
  const expanded = useWs((s) => s.expanded);
  const focusedPath = useWs((s) => s.focusedPath);
  const activePath = useWs((s) => (s.diff ? null : s.activePath));
  const docs = useWs((s) => s.docs);
  const scrollRef = useRef<HTMLDivElement>(null);

  // `version` stands for the tree's in-place patches.
  const rows = useMemo(() => (tree ? tree.visibleRows(expanded) : []), [tree, version, expanded]);
  const focusedIndex = useMemo(() => (focusedPath ? rows.findIndex((r) => r.path === focusedPath) : -1), [rows, focusedPath]);
  const dirty = useMemo(() => new Set(Object.values(docs).filter((d) => d.dirty).map((d) => d.path)), [docs]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => rows[i]?.path ?? i,
  });

  // First paint of a freshly opened tree: measured from workspaces.open (see store/workspace.ts).
  const painted = useRef<unknown>(null);
  useLayoutEffect(() => {
    if (!tree || rows.length === 0 || painted.current === tree) return;
    painted.current = tree;
    requestAnimationFrame(() => {
      if (performance.getEntriesByName('macs-ws-open', 'mark').length === 0) return;
      performance.mark('macs-ws-tree-paint');
      performance.measure('macs-ws-first-paint', 'macs-ws-open', 'macs-ws-tree-paint');
      performance.clearMarks('macs-ws-open');
    });
  }, [tree, rows.length]);

  // Keep the focused row in view when the keyboard moves it (or a file is revealed).
  useEffect(() => {
    if (focusedIndex >= 0) virtualizer.scrollToIndex(focusedIndex, { align: 'auto' });
  }, [focusedIndex, virtualizer]);

  const focusAt = useCallback((i: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, i))];
    if (row) wsStore.setState({ focusedPath: row.path });
  }, [rows]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Ctrl/Cmd+Z in the tree: undo the last delete (it is in MACS's trash).
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z' && fileActionsStore.getState().deleted) {
      e.preventDefault();
      void undoDelete();
      return;
    }
    if (rows.length === 0) return;
    const i = focusedIndex;
    const row = i >= 0 ? rows[i] : null;
    const open = row?.kind === 'dir' && expanded.has(row.path);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        focusAt(i + 1);
        break;
      case 'ArrowUp':
        focusAt(i < 0 ? 0 : i - 1);
        break;
      case 'PageDown':
        focusAt(i + page);
        break;
      case 'PageUp':
        focusAt(i - page);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(rows.length - 1);
        break;
      case 'ArrowRight':
        if (!row) focusAt(0);
        else if (row.kind === 'dir' && !open) toggleExpanded(row.path, true);
        else if (open && rows[i + 1]?.depth === row.depth + 1) focusAt(i + 1);
        break;
      case 'ArrowLeft':
        if (!row) focusAt(0);
        else if (open) toggleExpanded(row.path, false);
        else {
          const parent = row.path.includes('/') ? row.path.slice(0, row.path.lastIndexOf('/')) : null;
          if (parent) wsStore.setState({ focusedPath: parent });
        }
        break;
      case 'F2':
        if (row) startNameEdit('rename', row.path);
        break;
      case 'Delete':
        if (row) void deleteEntry(row.path);
        break;
      case 'ContextMenu':
      case 'F10': {
        if (e.key === 'F10' && !e.shiftKey) return;
        const el = row ? document.getElementById(`ws-row-${row.path}`) : null;
        const box = (el ?? scrollRef.current)?.getBoundingClientRect();
        openMenu(row?.path ?? null, (box?.left ?? 0) + 24, (box?.bottom ?? 0) + 2);
        break;
      }
      case 'Enter':
      case ' ':
        if (!row) focusAt(0);
        else if (row.kind === 'dir') toggleExpanded(row.path);
        else openDoc(row.path);
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div
      ref={scrollRef}
      className="ws-tree"
      role="tree"
      aria-label="Files"
      tabIndex={0}
      aria-activedescendant={focusedIndex >= 0 ? `ws-row-${rows[focusedIndex].path}` : undefined}
      data-testid="ws-tree"
      data-rows={rows.length}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (focusedIndex < 0 && rows.length > 0) focusAt(0);
      }}
      onContextMenu={(e) => {
        e.preventDefault();
        openMenu(null, e.clientX, e.clientY);
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault();
      }}
      onDrop={(e) => {
        // On the empty space below the rows: to the project folder's top level.
        const from = e.dataTransfer.getData(DRAG_TYPE);
        if (!from) return;
        e.preventDefault();
        void moveInto(from, '');
      }}
    >
      <div className="ws-tree-inner" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const entry = rows[item.index];
          return (
            <TreeRow
              key={item.key}
              entry={entry}
              open={entry.kind === 'dir' && expanded.has(entry.path)}
              active={entry.path === activePath}
              focused={item.index === focusedIndex}
              dirty={dirty.has(entry.path)}
              streaming={streamingPaths.has(entry.path)}
              top={item.start}
              version={version}
            />
          );
        })}
      </div>
    </div>
  );
}
