// A slim strip on the Files pane's left edge with the tree's toggle: a narrow window folds the
// tree away so the editor keeps its columns; one click (or Ctrl+Shift+E) brings it back.
import { useEffect } from 'react';
import { toggleTree, useLayout } from '../store/layout.js';

export function TreeRail() {
  const open = useLayout((s) => s.treeOpen);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.code === 'KeyE') {
        e.preventDefault();
        toggleTree();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const label = open ? 'Hide the file tree (Ctrl+Shift+E)' : 'Show the file tree (Ctrl+Shift+E)';
  return (
    <div className="tree-rail">
      <button type="button" className={`icon-btn${open ? ' pressed' : ''}`} title={label} aria-label={label} aria-pressed={open} data-testid="tree-toggle" onClick={toggleTree}>
        <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
          <path d="M3.5 2.5h5l3 3v8h-8z" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
          <path d="M8.5 2.5v3h3" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
        </svg>
      </button>
    </div>
  );
}
