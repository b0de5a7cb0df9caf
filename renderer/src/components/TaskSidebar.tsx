import { useApp } from '../store/app-state.js';
import { newChat } from '../store/tasks.js';
import { useNow } from '../hooks/use-now.js';
import { TaskListItem } from './TaskListItem.js';

export function TaskSidebar() {
  const tasks = useApp((s) => s.tasks);
  const loaded = useApp((s) => s.tasksLoaded);
  const activeId = useApp((s) => s.activeTaskId);
  const now = useNow();

  return (
    <aside className="sidebar">
      <div className="sidebar-head">
        <button type="button" className="btn btn-new-chat" data-testid="new-chat-button" onClick={newChat}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path fill="currentColor" d="M7.25 2h1.5v5.25H14v1.5H8.75V14h-1.5V8.75H2v-1.5h5.25z" />
          </svg>
          New chat
        </button>
      </div>
      <div className="sidebar-section-title">History</div>
      <ul className="task-list" data-testid="task-list">
        {loaded && tasks.length === 0 && <li className="task-list-empty">No tasks yet. Your chats and their files appear here.</li>}
        {!loaded && <li className="task-list-empty">Loading…</li>}
        {tasks.map((t) => (
          <TaskListItem key={t.id} task={t} active={t.id === activeId} now={now} />
        ))}
      </ul>
    </aside>
  );
}
