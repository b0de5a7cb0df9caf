import { memo } from 'react';
import type { Task } from '../../../shared/index.js';
import { openTask } from '../store/tasks.js';
import { formatClockElapsed, formatDuration, formatRelativeTime } from '../lib/format.js';
import { taskDurationMs } from '../lib/status.js';
import { TaskStatusBadge } from './TaskStatusBadge.js';
import { KindBadge } from './KindBadge.js';

interface Props {
  task: Task;
  active: boolean;
  now: number;
  /** Place in the queue (1 = next), for ready queued tasks. */
  position: number | null;
}

function timing(task: Task, now: number, position: number | null): { text: string; title: string } | null {
  if (task.status === 'queued') {
    if (task.notBefore !== null && task.notBefore > now) return null; // the badge counts down
    return position !== null ? { text: `#${position} in queue`, title: `Position ${position} in the queue (by priority, then age)` } : null;
  }
  const ms = taskDurationMs(task, now);
  if (ms === null) return null;
  if (task.status === 'running') return { text: formatClockElapsed(ms), title: 'Running for' };
  return { text: formatDuration(ms), title: 'Took (finished − started)' };
}

export const TaskListItem = memo(function TaskListItem({ task, active, now, position }: Props) {
  const t = timing(task, now, position);
  return (
    <li>
      <button
        type="button"
        className={`task-item${active ? ' active' : ''}`}
        data-testid="task-list-item"
        data-task-id={task.id}
        data-status={task.status}
        aria-current={active ? 'true' : undefined}
        onClick={() => void openTask(task.id)}
        title={task.prompt}
      >
        <span className="task-item-title">{task.title || task.prompt}</span>
        <span className="task-item-meta">
          <TaskStatusBadge task={task} />
          <KindBadge kind={task.kind} />
          {t && (
            <span className="task-item-duration" data-testid="task-duration" title={t.title}>
              {t.text}
            </span>
          )}
          {task.attempts > 1 && (
            <span className="task-item-attempts" data-testid="task-attempts" title={`${task.attempts} attempts (at most ${task.maxAttempts})`}>
              ×{task.attempts}
            </span>
          )}
          <span className="task-item-time" title={new Date(task.createdAt).toLocaleString()}>
            {formatRelativeTime(task.createdAt, now)}
          </span>
        </span>
        <span className="task-item-model">{task.model}</span>
      </button>
    </li>
  );
});
