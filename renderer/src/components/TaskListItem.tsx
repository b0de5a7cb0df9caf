import { memo } from 'react';
import type { Task } from '../../../shared/index.js';
import { openTask } from '../store/tasks.js';
import { formatRelativeTime } from '../lib/format.js';
import { StatusBadge } from './StatusBadge.js';

export const TaskListItem = memo(function TaskListItem({ task, active, now }: { task: Task; active: boolean; now: number }) {
  return (
    <li>
      <button
        type="button"
        className={`task-item${active ? ' active' : ''}`}
        data-testid="task-list-item"
        data-task-id={task.id}
        aria-current={active ? 'true' : undefined}
        onClick={() => void openTask(task.id)}
        title={task.prompt}
      >
        <span className="task-item-title">{task.title || task.prompt}</span>
        <span className="task-item-meta">
          <StatusBadge status={task.status} />
          <span className="task-item-model">{task.model}</span>
          <span className="task-item-time">{formatRelativeTime(task.createdAt, now)}</span>
        </span>
      </button>
    </li>
  );
});
