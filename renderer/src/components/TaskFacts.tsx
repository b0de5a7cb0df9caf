import type { Task } from '../../../shared/index.js';
import { useNow } from '../hooks/use-now.js';
import { describeError } from '../lib/error-text.js';
import { formatClock, formatDuration, formatElapsed, formatInt, formatOffset } from '../lib/format.js';
import { taskDurationMs } from '../lib/status.js';
import { ErrorNotice } from './ErrorNotice.js';
import { TaskStatusBadge } from './TaskStatusBadge.js';

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The detail view's header: what the task is and where it stands. */
export function TaskFacts({ task }: { task: Task }) {
  const now = useNow(task.status === 'running' ? 1_000 : 30_000);
  const duration = taskDurationMs(task, now);
  const err = (task.status === 'failed' || task.status === 'cancelled') && task.error ? describeError(task.error, { model: task.model }) : null;
  return (
    <div className="facts-block">
      {/* The facts a glance needs stay in view; the rest fold, so a short window's Timeline
          shows its attempts and events rather than a wall of facts. */}
      <dl className="facts" data-testid="task-facts">
        <Fact label="Status">
          <TaskStatusBadge task={task} />
        </Fact>
        <Fact label="Duration" testId="fact-duration">
          {duration === null ? '—' : task.status === 'running' ? formatElapsed(duration) : formatDuration(duration)}
          {task.status === 'running' && <span className="fact-note"> so far</span>}
        </Fact>
        <Fact label="Attempts" testId="fact-attempts">
          {task.attempts} of {task.maxAttempts}
        </Fact>
        <Fact label="Output">
          {task.evalTokens > 0 && `${formatInt(task.evalTokens)} tokens · `}
          {task.fileCount} file{task.fileCount === 1 ? '' : 's'}
        </Fact>
      </dl>
      <details className="facts-more" data-testid="task-facts-more">
        <summary>Model, times, ids</summary>
        <dl className="facts">
          <Fact label="Model">
            <code>{task.model}</code>
          </Fact>
          <Fact label="Kind">{task.kind}</Fact>
          <Fact label="Priority">{task.priority}</Fact>
          <Fact label="Created">
            <span title={new Date(task.createdAt).toLocaleString()}>{formatClock(task.createdAt)}</span>
          </Fact>
          <Fact label="Started">{task.startedAt !== null ? formatOffset(task.startedAt - task.createdAt) : '—'}</Fact>
          <Fact label="Finished">{task.finishedAt !== null ? formatOffset(task.finishedAt - task.createdAt) : '—'}</Fact>
          <Fact label="Task id">
            <code className="fact-id">{task.id}</code>
          </Fact>
          <Fact label="Workspace">
            <code className="fact-path" title={task.workspacePath}>
              {task.workspacePath}
            </code>
          </Fact>
        </dl>
      </details>
      {err && <ErrorNotice error={err} testId="detail-error" />}
    </div>
  );
}
