import type { Task } from '../../../shared/index.js';
import type { TaskView } from '../store/task-view.js';
import { AttemptsTable } from './AttemptsTable.js';
import { TaskFacts } from './TaskFacts.js';
import { Timeline } from './Timeline.js';

/** The selected task in detail: facts, attempts, and the event timeline (live while it runs). */
export function TaskDetail({ task, view }: { task: Task; view: TaskView }) {
  return (
    // Focusable so the keyboard can scroll it (it may hold no control at all): axe scrollable-region-focusable.
    <div className="detail-scroll" tabIndex={0} role="region" aria-label="Task detail" data-testid="task-detail">
      <div className="detail">
        <TaskFacts task={task} />
        <AttemptsTable task={task} />
        <Timeline task={task} view={view} />
      </div>
    </div>
  );
}
