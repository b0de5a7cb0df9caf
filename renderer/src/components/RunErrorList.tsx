// The App tab's error list: each distinct error of the run once (a fingerprint), how often
// it happened, where it came from, the files it names, and "Fix this error". Past the cap
// of fix attempts it offers the last working version instead of another try.
import type { ErrorFingerprint } from '../../../shared/index.js';
import { FINGERPRINT_SOURCE, sortFingerprints } from '../lib/app-run-text.js';
import { formatInt } from '../lib/format.js';
import { fixError, useAppRun } from '../store/app-run.js';
import { appStore, useApp } from '../store/app-state.js';
import { adoptTurn, focusTurn } from '../store/projects.js';
import { openDoc } from '../store/workspace-docs.js';
import { revealInTree } from '../store/workspace.js';

const NO_ERRORS: ErrorFingerprint[] = [];

/** The count on the App tab: distinct errors of the selected project's run. */
export function AppErrorCount() {
  const projectId = useApp((s) => s.activeProjectId);
  const count = useAppRun((s) => (projectId ? (s.runs[projectId]?.fingerprints.length ?? 0) : 0));
  if (count === 0) return null;
  return (
    <span className="term-tab-errors" title={`${count} distinct error${count === 1 ? '' : 's'}`} data-testid="app-error-count">
      {count}
    </span>
  );
}

function openFile(path: string): void {
  revealInTree(path);
  openDoc(path);
}

function Row({ projectId, fp }: { projectId: string; fp: ErrorFingerprint }) {
  const fixing = useAppRun((s) => s.fixing[fp.id] ?? null);
  const firstLine = fp.message.split('\n', 1)[0];
  return (
    <li className={`run-error run-error-${fp.source}`} data-testid="run-error" data-fingerprint={fp.id}>
      <div className="run-error-head">
        <span className="run-error-source">{FINGERPRINT_SOURCE[fp.source]}</span>
        {fp.count > 1 && (
          <span className="run-error-count" title={`Happened ${formatInt(fp.count)} times`}>
            ×{formatInt(fp.count)}
          </span>
        )}
        {fp.fixAttempts > 0 && <span className="run-error-tries">{fp.fixAttempts === 1 ? '1 fix tried' : `${fp.fixAttempts} fixes tried`}</span>}
      </div>
      <div className="run-error-message" title={fp.stack ?? fp.message}>
        {firstLine}
      </div>
      {fp.files.length > 0 && (
        <div className="run-error-files">
          {fp.files.slice(0, 4).map((f) => (
            <button key={f} type="button" className="run-error-file" title={`Open ${f}`} onClick={() => openFile(f)}>
              {f}
            </button>
          ))}
          {fp.files.length > 4 && <span className="muted">+{fp.files.length - 4}</span>}
        </div>
      )}
      {fixing === 'limit' ? (
        <div className="run-error-limit" role="status" data-testid="run-error-limit">
          <span>Fixes for this error keep failing.</span>
          <button type="button" className="btn btn-small btn-primary-outline" data-testid="run-error-restore" onClick={() => appStore.setState({ paneTab: 'versions', buildPaneTab: 'versions' })}>
            Restore the last working version…
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="btn btn-small btn-primary-outline run-error-fix"
          data-testid="run-error-fix"
          disabled={fixing === 'sending'}
          title="A new turn of the project with this error, its stack and the files it names"
          onClick={() =>
            void fixError(projectId, fp.id, (task) => {
              adoptTurn(task);
              void focusTurn(task.id);
            })
          }
        >
          {fixing === 'sending' ? 'Sending…' : 'Fix this error'}
        </button>
      )}
    </li>
  );
}

/** The App tab of a run with no process output: why there is none. */
export function AppNoOutput() {
  const projectId = useApp((s) => s.activeProjectId);
  const run = useAppRun((s) => (projectId ? (s.runs[projectId] ?? null) : null));
  const text =
    run?.plan?.kind === 'static'
      ? 'MACS serves this site’s files itself, so there is no server output; the page’s errors are listed here.'
      : `This run started no process, so there is no output.${run?.reason ? ` ${run.reason}` : ''}`;
  return (
    <div className="term-empty" data-testid="app-no-output">
      {text}
    </div>
  );
}

/** Beside the App tab's output, when the run has errors. */
export function RunErrorList() {
  const projectId = useApp((s) => s.activeProjectId);
  const list = useAppRun((s) => (projectId ? (s.runs[projectId]?.fingerprints ?? NO_ERRORS) : NO_ERRORS));
  if (!projectId || list.length === 0) return null;
  return (
    <aside className="run-errors" aria-label="Errors of the app" data-testid="run-errors">
      <div className="run-errors-head">
        Errors <span className="muted">{list.length}</span>
      </div>
      <ul className="run-errors-list">
        {sortFingerprints(list).map((fp) => (
          <Row key={fp.id} projectId={projectId} fp={fp} />
        ))}
      </ul>
    </aside>
  );
}
