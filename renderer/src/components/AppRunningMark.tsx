import { runBadge, runIsLive } from '../lib/app-run-text.js';
import { useAppRun } from '../store/app-run.js';

/** In the sidebar: a dot while the project's app runs (or is on its way up); its address in the tooltip. */
export function AppRunningMark({ projectId }: { projectId: string }) {
  const run = useAppRun((s) => s.runs[projectId] ?? null);
  if (!runIsLive(run)) return null;
  const badge = runBadge(run);
  const text = badge.tone === 'ready' ? `The app runs: ${badge.title}` : `The app: ${badge.label.toLowerCase()}…`;
  return (
    <span className={`app-running-mark run-dot-${badge.tone}`} title={text} aria-label={text} role="img" data-testid="project-app-running">
      <span className="run-dot" aria-hidden="true" />
    </span>
  );
}
