import { useMemo } from 'react';
import { useApp } from '../store/app-state.js';
import { newChat } from '../store/tasks.js';
import { useNow } from '../hooks/use-now.js';
import { queuePositions, STATUS_LABEL } from '../lib/status.js';
import { TaskListItem } from './TaskListItem.js';
import { HistoryFilter } from './HistoryFilter.js';

export function TaskSidebar() {
  const all = useApp((s) => s.tasks);
  const filter = useApp((s) => s.historyFilter);
  const filtered = useApp((s) => s.filteredTasks);
  const loaded = useApp((s) => s.tasksLoaded);
  const activeId = useApp((s) => s.activeTaskId);
  const live = all.some((t) => t.status === 'running' || (t.status === 'queued' && t.notBefore !== null));
  // Running tasks show a live elapsed time: tick every second while any runs.
  const now = useNow(live ? 1_000 : 30_000);
  const positions = useMemo(() => queuePositions(all, now), [all, now]);
  const tasks = filter === 'all' ? all : (filtered ?? []);
  const loading = filter === 'all' ? !loaded : filtered === null;

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
      <div className="sidebar-section-title">
        <span>History</span>
        <HistoryFilter />
      </div>
      <ul className="task-list" data-testid="task-list">
        {!loading && tasks.length === 0 && (
          <li className="task-list-empty" data-testid="task-list-empty">
            {filter === 'all' ? 'No tasks yet. Your chats and their files appear here.' : `No ${STATUS_LABEL[filter].toLowerCase()} tasks.`}
          </li>
        )}
        {loading && <li className="task-list-empty">Loading…</li>}
        {tasks.map((t) => (
          <TaskListItem key={t.id} task={t} active={t.id === activeId} now={now} position={positions.get(t.id) ?? null} />
        ))}
      </ul>
    </aside>
  );
}
