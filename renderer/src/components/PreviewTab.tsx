// The Preview tab, first among the editor's tabs while the project's app runs (or has run):
// it opens by itself when the app becomes ready, and a file the user opens takes its place.
import { useEffect, useRef } from 'react';
import { runBadge } from '../lib/app-run-text.js';
import { previewOf, showPreview, useAppRun } from '../store/app-run.js';
import { useApp } from '../store/app-state.js';

export interface PreviewTabState {
  projectId: string | null;
  /** The tab is listed (a run exists, or the user opened it). */
  available: boolean;
  /** The tab is the one shown. */
  shown: boolean;
  hide: () => void;
}

/** The Preview tab's state for the selected project; opening a file (activePath changes) hides the preview. */
export function usePreviewTab(activePath: string | null): PreviewTabState {
  const projectId = useApp((s) => s.activeProjectId);
  const state = useAppRun((s) => (projectId ? (s.runs[projectId]?.state ?? null) : null));
  const shown = useAppRun((s) => previewOf(s, projectId).shown);
  const lastPath = useRef(activePath);
  useEffect(() => {
    if (lastPath.current === activePath) return;
    lastPath.current = activePath;
    if (projectId && activePath) showPreview(projectId, false);
  }, [activePath, projectId]);
  return {
    projectId,
    available: projectId !== null && ((state !== null && state !== 'idle') || shown),
    shown: projectId !== null && shown,
    hide: () => projectId && showPreview(projectId, false),
  };
}

export function PreviewTab() {
  const projectId = useApp((s) => s.activeProjectId);
  const run = useAppRun((s) => (projectId ? (s.runs[projectId] ?? null) : null));
  const shown = useAppRun((s) => previewOf(s, projectId).shown);
  if (!projectId) return null;
  const badge = runBadge(run);
  return (
    <div
      role="tab"
      aria-selected={shown}
      tabIndex={0}
      className={`ws-tab preview-tab${shown ? ' active' : ''}`}
      title={`Preview of the running app — ${badge.title}`}
      data-testid="preview-tab"
      onClick={() => showPreview(projectId, true)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') showPreview(projectId, true);
        else if (e.key === 'Delete') showPreview(projectId, false);
      }}
    >
      <span className={`run-dot run-dot-${badge.tone}`} aria-hidden="true" />
      <span className="ws-tab-name">Preview</span>
      {shown && (
        // Not a button inside the tab (a nested control): the keyboard closes it with Delete.
        <span
          className="ws-tab-close"
          aria-hidden="true"
          title="Close the preview (the app keeps running; Delete)"
          onClick={(e) => {
            e.stopPropagation();
            showPreview(projectId, false);
          }}
        >
          <span className="ws-tab-x">×</span>
        </span>
      )}
    </div>
  );
}
