// One conversation per project: every turn in order, each as the chat shows a task
// (UserMessage, its context receipt, AssistantMessage). The turn the app follows live is
// the active task's view; the others are folded once from their events when shown.
import { Fragment, memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { Task } from '../../../shared/index.js';
import { undoneTurns } from '../lib/project-text.js';
import { undoneNotice } from '../lib/version-text.js';
import { useApp } from '../store/app-state.js';
import { ensureTurnView, focusTurn } from '../store/projects.js';
import { AssistantMessage } from './AssistantMessage.js';
import { ContextSummary } from './ContextSummary.js';
import { KindBadge } from './KindBadge.js';
import { ReceiptSummary } from './ReceiptSummary.js';
import { TaskActions } from './TaskActions.js';
import { TaskStatusBadge } from './TaskStatusBadge.js';
import { UserMessage } from './UserMessage.js';
import { useNow } from '../hooks/use-now.js';
import { formatClockElapsed, formatDuration } from '../lib/format.js';
import { queuePositions, taskDurationMs } from '../lib/status.js';

/** Turns shown at first; older ones behind "Show earlier turns" (each shown turn loads its events). */
const RECENT_TURNS = 12;

/** "#2 in queue" for a turn waiting to run, the running time, or how long it took; "×2" after a retry. */
function TurnTiming({ turn }: { turn: Task }) {
  const live = turn.status === 'running' || turn.status === 'queued';
  const now = useNow(live ? 1_000 : 60_000);
  const position = useApp((s) => (turn.status === 'queued' ? (queuePositions(s.tasks, now).get(turn.id) ?? null) : null));
  let timing: { text: string; title: string } | null = null;
  if (turn.status === 'queued') {
    if (position !== null) timing = { text: `#${position} in queue`, title: `Position ${position} in the queue (by priority, then age)` };
  } else {
    const ms = taskDurationMs(turn, now);
    if (ms !== null) timing = turn.status === 'running' ? { text: formatClockElapsed(ms), title: 'Running for' } : { text: formatDuration(ms), title: 'Time spent working (its runs added up)' };
  }
  return (
    <>
      {timing && (
        <span className="turn-timing" data-testid="task-duration" title={timing.title}>
          {timing.text}
        </span>
      )}
      {turn.attempts > 1 && (
        <span className="turn-timing" data-testid="task-attempts" title={`${turn.attempts} attempts (at most ${turn.maxAttempts})`}>
          ×{turn.attempts}
        </span>
      )}
    </>
  );
}

interface TurnProps {
  turn: Task;
  number: number;
  live: boolean;
  undone: boolean;
  turnLabel: (taskId: string) => string;
}

const Turn = memo(function Turn({ turn, number, live, undone, turnLabel }: TurnProps) {
  const view = useApp((s) => (live ? s.view : (s.turnViews[turn.id] ?? null)));
  useEffect(() => {
    if (!live) void ensureTurnView(turn.id);
  }, [live, turn.id]);
  return (
    <div className={`turn${undone ? ' undone' : ''}${live ? ' live' : ''}`} data-testid="turn" data-task-id={turn.id} data-undone={undone ? 'true' : 'false'} data-status={turn.status}>
      <div className="turn-head">
        <button type="button" className="turn-label" title="Follow this turn (its Steps, Changes and Timeline tabs)" onClick={() => void focusTurn(turn.id)}>
          Turn {number}
        </button>
        <KindBadge kind={turn.kind} />
        <TaskStatusBadge task={turn} />
        {undone && (
          <span className="badge turn-undone-badge" data-testid="turn-undone" title="A restore brought the files back to a version before this turn; it stays here for the record">
            undone
          </span>
        )}
        {view?.version && (
          <span className="turn-version" data-testid="turn-version" title={`${view.version.filesChanged} file${view.version.filesChanged === 1 ? '' : 's'} changed`}>
            v{view.version.number} · {view.version.filesChanged} file{view.version.filesChanged === 1 ? '' : 's'}
          </span>
        )}
        <TurnTiming turn={turn} />
        <span className="turn-head-spacer" />
        <TaskActions task={turn} />
      </div>
      <UserMessage text={turn.prompt} />
      {view?.receipt ? <ReceiptSummary receipt={view.receipt} turnLabel={turnLabel} /> : view?.context ? <ContextSummary selection={view.context} /> : null}
      {view ? <AssistantMessage task={turn} view={view} /> : <div className="turn-loading muted">Loading the turn…</div>}
    </div>
  );
});

// memo: ChatPane renders on every streamed frame (it follows `view`); the conversation takes no
// props and reads what it needs itself, so a frame re-renders only the live Turn, not the list.
export const Conversation = memo(function Conversation() {
  const turns = useApp((s) => s.turns);
  const activeId = useApp((s) => s.activeTaskId);
  const activeTask = useApp((s) => s.activeTask);
  const versions = useApp((s) => s.versions?.rows ?? null);
  const undone = useMemo(() => undoneTurns(versions), [versions]);
  const [showAll, setShowAll] = useState(false);
  const numbers = useMemo(() => new Map(turns.map((t, i) => [t.id, i + 1])), [turns]);
  const turnLabel = useCallback((taskId: string) => {
    const n = numbers.get(taskId);
    return n ? `Turn ${n}` : taskId;
  }, [numbers]);
  // The turn sent a moment ago, before projects.get lists it.
  const list = activeTask && !turns.some((t) => t.id === activeTask.id) && activeTask.projectId ? [...turns, activeTask] : turns;
  const hidden = showAll ? 0 : Math.max(0, list.length - RECENT_TURNS);
  // At the bottom, where the conversation opens: which turns a restore undid (their marks may be far up).
  const notice = useMemo(() => undoneNotice(versions, numbers), [versions, numbers]);
  const shown = list.slice(hidden);
  const noticeAfter = notice ? shown.findLastIndex((t) => t.createdAt <= notice.at) : -1;
  return (
    <div className="chat-thread conversation" data-testid="conversation">
      {hidden > 0 && (
        <button type="button" className="btn btn-small turn-earlier" data-testid="show-earlier-turns" onClick={() => setShowAll(true)}>
          Show {hidden} earlier turn{hidden === 1 ? '' : 's'}
        </button>
      )}
      {shown.map((t, i) => {
        const live = t.id === activeId;
        return (
          <Fragment key={t.id}>
            <Turn turn={live && activeTask ? activeTask : t} number={hidden + i + 1} live={live} undone={undone.has(t.id)} turnLabel={turnLabel} />
            {notice && i === noticeAfter && (
              <div className="conversation-undone-notice" role="status" data-testid="undone-notice">
                {notice.text}
              </div>
            )}
          </Fragment>
        );
      })}
    </div>
  );
});
