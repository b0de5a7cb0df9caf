// Under the prompt, when a folder is open: the files the model would see for it
// ("context: 7 files, 5.2k tokens"), expandable to pin or remove each; and chips for
// dropped files (pinned workspace files, or attached text).
import { contextBudget, contextLine } from '../lib/context-text.js';
import { describeError } from '../lib/error-text.js';
import { formatBytes } from '../lib/format.js';
import { excludeContextFile, pinContextFile, removeAttachment, restoreContextFile, setContextOpen, unpinContextFile } from '../store/context.js';
import { useWs } from '../store/workspace-state.js';
import { ContextFileRow } from './ContextSummary.js';
import { KindIcon } from './WsIcons.js';

function PinIcon({ on }: { on: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path
        d="M9.5 1.5 14.5 6.5l-1.6.4-2.6 2.6.3 3.2-1.1 1.1-2.6-2.6-3.6 3.6-.7-.7 3.6-3.6-2.6-2.6 1.1-1.1 3.2.3 2.6-2.6z"
        fill={on ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="1.1"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function ComposerChips() {
  const pinned = useWs((s) => s.context.pinned);
  const attachments = useWs((s) => s.attachments);
  if (pinned.length === 0 && attachments.length === 0) return null;
  return (
    <div className="composer-chips" data-testid="composer-chips">
      {pinned.map((p) => (
        <span key={`pin:${p}`} className="composer-chip pinned" data-testid="composer-chip" data-kind="pinned" title={`${p} — pinned: always sent to the model`}>
          <PinIcon on />
          <span className="composer-chip-name">{p}</span>
          <button type="button" aria-label={`Unpin ${p}`} onClick={() => unpinContextFile(p)}>
            ×
          </button>
        </span>
      ))}
      {attachments.map((a) => (
        <span key={`att:${a.id}`} className="composer-chip attached" data-testid="composer-chip" data-kind="attached" title={`${a.name} — attached to the prompt (${formatBytes(a.size)})`}>
          <KindIcon name={a.name} />
          <span className="composer-chip-name">{a.name}</span>
          <span className="composer-chip-size">{formatBytes(a.size)}</span>
          <button type="button" aria-label={`Remove ${a.name}`} onClick={() => removeAttachment(a.id)}>
            ×
          </button>
        </span>
      ))}
    </div>
  );
}

export function ContextLine() {
  const info = useWs((s) => s.info);
  const preview = useWs((s) => s.preview);
  const loading = useWs((s) => s.previewLoading);
  const error = useWs((s) => s.previewError);
  const open = useWs((s) => s.contextOpen);
  const excluded = useWs((s) => s.context.excluded);
  if (!info) return null;

  let line: React.ReactNode;
  if (error) line = <span className="ctx-error">context: {describeError(error).text}</span>;
  else if (preview) line = <span data-testid="context-line-text">{contextLine(preview)}</span>;
  // Before the first preview: what the line is about, not the project's (often long) name again.
  else line = <span className="muted" data-testid="context-line-idle">Context: files are picked from this project as you type</span>;

  return (
    <div className="composer-context" data-testid="context-line">
      <button type="button" className="ctx-toggle" aria-expanded={open} disabled={!preview} onClick={() => setContextOpen(!open)} data-testid="context-toggle">
        {preview && <span className={`chevron${open ? ' open' : ''}`} aria-hidden="true">›</span>}
        {line}
        {preview && <span className="ctx-budget">{contextBudget(preview)}</span>}
        {excluded.length > 0 && <span className="ctx-budget">· {excluded.length} removed</span>}
        {loading && <span className="spinner ctx-spinner" aria-label="Updating" />}
      </button>
      {open && preview && (
        <ul className="ctx-files ctx-files-edit" data-testid="context-files">
          {preview.files.map((f) => (
            <ContextFileRow key={f.path} {...f}>
              <button
                type="button"
                className={`icon-btn ctx-pin${f.pinned ? ' pressed' : ''}`}
                aria-pressed={f.pinned}
                aria-label={f.pinned ? `Unpin ${f.path}` : `Pin ${f.path}`}
                title={f.pinned ? 'Pinned: always sent. Click to unpin.' : 'Pin: always send this file'}
                data-testid="context-pin"
                onClick={() => (f.pinned ? unpinContextFile(f.path) : pinContextFile(f.path))}
              >
                <PinIcon on={f.pinned} />
              </button>
              <button
                type="button"
                className="icon-btn ctx-remove"
                aria-label={`Remove ${f.path} from the context`}
                title="Do not send this file"
                data-testid="context-remove"
                onClick={() => excludeContextFile(f.path)}
              >
                ×
              </button>
            </ContextFileRow>
          ))}
          {excluded.map((p) => (
            <li key={`x:${p}`} className="ctx-file excluded" data-testid="context-excluded" data-path={p}>
              <KindIcon name={p.slice(p.lastIndexOf('/') + 1)} />
              <span className="ctx-path" title={p}>
                {p}
              </span>
              <span className="ctx-reason">removed by you</span>
              <button type="button" className="btn btn-ghost btn-small" onClick={() => restoreContextFile(p)}>
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
