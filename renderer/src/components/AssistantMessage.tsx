import type { Task } from '../../../shared/index.js';
import type { TaskView } from '../store/task-view.js';
import { selectFile } from '../store/tasks.js';
import { useApp } from '../store/app-state.js';
import { Markdown } from './Markdown.js';
import { FileIcon } from './FileIcon.js';
import { InlineCode } from './InlineCode.js';
import { NoticeLine } from './NoticeLine.js';
import { UsageFooter } from './UsageFooter.js';
import { describeError } from '../lib/error-text.js';

function FileChips({ view }: { view: TaskView }) {
  const selected = useApp((s) => s.selectedPath);
  if (view.fileOrder.length === 0) return null;
  return (
    <div className="file-chips">
      {view.fileOrder.map((path) => {
        const f = view.files[path];
        return (
          <button
            key={path}
            type="button"
            className={`file-chip file-chip-${f.state}${selected === path ? ' selected' : ''}`}
            onClick={() => selectFile(path)}
            title={f.state === 'streaming' ? 'Being written…' : f.state === 'truncated' ? 'The answer ended mid-file' : 'Open in the editor'}
          >
            {f.state === 'streaming' ? <span className="dot-live" aria-hidden="true" /> : <FileIcon name={path} />}
            {path}
          </button>
        );
      })}
    </div>
  );
}

export function AssistantMessage({ task, view }: { task: Task | null; view: TaskView }) {
  const status = task?.status ?? view.status ?? 'queued';
  const live = status === 'running' || status === 'queued';
  const hasStatusNotice = view.notices.some((n) => n.kind === 'status' && (n.status === 'failed' || n.status === 'cancelled'));
  const rowError = !hasStatusNotice && task?.status === 'failed' && task.error ? describeError(task.error, { model: task.model }) : null;

  return (
    <div className="msg msg-assistant" data-testid="chat-message-assistant" data-status={status}>
      <div className="msg-assistant-head">
        <span className="avatar" aria-hidden="true">M</span>
        <span className="msg-model">{task?.model ?? 'assistant'}</span>
      </div>
      <div className="msg-assistant-body">
        {view.text.length === 0 && live && (
          <div className="waiting">
            <span className="typing" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {!view.loaded ? 'Loading…' : status === 'queued' ? 'Queued — waiting for the model…' : 'Loading the model and thinking…'}
          </div>
        )}
        {view.text.length > 0 && <Markdown text={view.text} streaming={live} />}
        {view.text.length === 0 && !live && view.loaded && status === 'succeeded' && (
          <div className="notice notice-muted">The model returned an empty answer.</div>
        )}
        {view.notices.map((n) => (
          <NoticeLine key={n.seq} notice={n} model={task?.model ?? null} />
        ))}
        {rowError && (
          <div className="notice notice-error" role="alert">
            <span className="notice-icon" aria-hidden="true">✕</span>
            <span>
              <strong>
                <InlineCode text={rowError.text} />
              </strong>
              {rowError.detail && <span className="notice-detail">{rowError.detail}</span>}
            </span>
          </div>
        )}
        <FileChips view={view} />
        {view.usage && <UsageFooter usage={view.usage} />}
      </div>
    </div>
  );
}
