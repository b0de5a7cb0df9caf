// A drag handle on a pane's edge: the sidebar's right edge, the Files pane's left edge (chat |
// files), or the tree's right edge (tree | editor). Sizes are clamped by layout-sizing.ts and
// remembered per window size class; a double-click resets that one size to its default.
import { useCallback, useRef } from 'react';
import { setLayoutPrefs } from '../store/layout.js';

export type SplitterPane = 'sidebar' | 'files' | 'tree';

/** The size the pointer at `x` asks for, measured from the pane's fixed edge. */
function sizeAt(pane: SplitterPane, x: number, handle: HTMLElement): number {
  if (pane === 'sidebar') return x;
  if (pane === 'files') return window.innerWidth - x;
  const files = handle.closest('.files');
  return x - (files ? files.getBoundingClientRect().left : 0);
}

const LABEL: Record<SplitterPane, string> = {
  sidebar: 'Resize the project list',
  files: 'Resize the chat and the files',
  tree: 'Resize the file tree',
};

export function Splitter({ pane = 'files' }: { pane?: SplitterPane }) {
  const dragging = useRef(false);
  const set = useCallback((width: number, remember: boolean) => setLayoutPrefs({ [pane]: Math.round(width) }, remember), [pane]);

  const onPointerDown = useCallback((e: React.PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    document.body.classList.add('resizing');
  }, []);
  const onPointerMove = useCallback(
    (e: React.PointerEvent<HTMLDivElement>) => {
      if (dragging.current) set(sizeAt(pane, e.clientX, e.currentTarget), false);
    },
    [pane, set],
  );
  const onPointerUp = useCallback(
    (e: React.PointerEvent<HTMLDivElement>) => {
      if (!dragging.current) return;
      dragging.current = false;
      e.currentTarget.releasePointerCapture(e.pointerId);
      document.body.classList.remove('resizing');
      set(sizeAt(pane, e.clientX, e.currentTarget), true);
    },
    [pane, set],
  );
  const onDoubleClick = useCallback(() => setLayoutPrefs({ [pane]: undefined }), [pane]);

  return (
    <div
      className={`splitter splitter-${pane}`}
      role="separator"
      aria-orientation="vertical"
      aria-label={LABEL[pane]}
      data-testid={`splitter-${pane}`}
      title="Drag to resize · double-click to reset"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onDoubleClick={onDoubleClick}
    />
  );
}
