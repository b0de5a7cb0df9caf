import { selectActiveProject, useApp } from '../store/app-state.js';
import { useShownPaneTab } from '../hooks/use-pane-tab.js';
import { ChangesPanel } from './ChangesPanel.js';
import { useStickToBottom } from '../hooks/use-stick-to-bottom.js';
import { Composer } from './Composer.js';
import { Conversation } from './Conversation.js';
import { EmptyState } from './EmptyState.js';
import { Toasts } from './Toasts.js';
import { ProjectHeader } from './ProjectHeader.js';
import { TaskDetail } from './TaskDetail.js';
import { StepsPanel } from './StepsPanel.js';
import { VersionsPanel } from './VersionsPanel.js';

/** The selected project: its header, and one conversation of all its turns (or Steps, Changes, Versions, Timeline). */
export function ChatPane() {
  const project = useApp(selectActiveProject);
  const projectId = useApp((s) => s.activeProjectId);
  const task = useApp((s) => s.activeTask);
  const view = useApp((s) => s.view);
  const hasTurns = useApp((s) => s.turns.length > 0 || s.view !== null);
  const loadedTurns = useApp((s) => Object.keys(s.turnViews).length);
  const tab = useShownPaneTab();
  // Follow the bottom as the live turn streams (and when earlier turns finish loading); a
  // project selected or the Chat tab shown again opens at its newest turn. The empty state
  // reads from the top (its heading first), so nothing follows the bottom there.
  const { ref, onScroll } = useStickToBottom<HTMLDivElement>(
    tab === 'chat' && projectId && hasTurns ? `${projectId}:${view?.taskId}:${view?.lastSeq}:${loadedTurns}` : null,
    `${projectId}:${tab}`,
  );

  return (
    <section className="chat" data-testid="chat-pane">
      <div className={`pane-head chat-head${projectId ? ' project-head' : ''}`}>
        {projectId ? <ProjectHeader project={project} /> : <span className="chat-title muted">New project</span>}
      </div>
      {/* Toasts hang from the header's bottom edge, whatever its height: never over the tabs,
          the editor, or the terminal's + (they sat at a fixed 170 px before). */}
      <div className="toasts-anchor">
        <Toasts />
      </div>
      {tab === 'timeline' && task && view ? (
        <TaskDetail task={task} view={view} />
      ) : tab === 'steps' && task && view ? (
        <StepsPanel task={task} view={view} />
      ) : tab === 'changes' && task && view ? (
        <ChangesPanel task={task} view={view} />
      ) : tab === 'versions' && project ? (
        <VersionsPanel />
      ) : (
        <>
          <div className="chat-scroll" ref={ref} onScroll={onScroll}>
            {projectId && hasTurns ? <Conversation /> : <EmptyState />}
          </div>
          <Composer />
        </>
      )}
    </section>
  );
}
