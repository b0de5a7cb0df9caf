import { useApp } from '../store/app-state.js';
import { useShownPaneTab } from '../hooks/use-pane-tab.js';
import { ChangesPanel } from './ChangesPanel.js';
import { ContextSummary } from './ContextSummary.js';
import { useStickToBottom } from '../hooks/use-stick-to-bottom.js';
import { AssistantMessage } from './AssistantMessage.js';
import { Composer } from './Composer.js';
import { EmptyState } from './EmptyState.js';
import { PaneTabs } from './PaneTabs.js';
import { TaskActions } from './TaskActions.js';
import { TaskDetail } from './TaskDetail.js';
import { TaskStatusBadge } from './TaskStatusBadge.js';
import { UserMessage } from './UserMessage.js';
import { KindBadge } from './KindBadge.js';
import { StepsPanel } from './StepsPanel.js';

export function ChatPane() {
  const task = useApp((s) => s.activeTask);
  const view = useApp((s) => s.view);
  const tab = useShownPaneTab();
  const { ref, onScroll } = useStickToBottom<HTMLDivElement>(tab === 'chat' ? view : null);

  return (
    <section className="chat" data-testid="chat-pane">
      <div className="pane-head chat-head">
        {task ? (
          <>
            <span className="chat-title" title={task.prompt}>
              {task.title || task.prompt}
            </span>
            <KindBadge kind={task.kind} />
            <TaskStatusBadge task={task} />
            <span className="chat-head-spacer" />
            <TaskActions task={task} />
            <PaneTabs />
          </>
        ) : (
          <span className="chat-title muted">New chat</span>
        )}
      </div>
      {tab === 'timeline' && task && view ? (
        <TaskDetail task={task} view={view} />
      ) : tab === 'steps' && task && view ? (
        <StepsPanel task={task} view={view} />
      ) : tab === 'changes' && task && view ? (
        <ChangesPanel task={task} view={view} />
      ) : (
        <>
          <div className="chat-scroll" ref={ref} onScroll={onScroll}>
            {view ? (
              <div className="chat-thread">
                {task && <UserMessage text={task.prompt} />}
                {view.context && <ContextSummary selection={view.context} />}
                <AssistantMessage task={task} view={view} />
              </div>
            ) : (
              <EmptyState />
            )}
          </div>
          <Composer />
        </>
      )}
    </section>
  );
}
