import { useMemo } from 'react';
import type { Task } from '../../../shared/index.js';
import { MiddleEllipsis } from './MiddleEllipsis.js';
import { attemptChars, currentAttempt, type TaskView } from '../store/task-view.js';
import { selectFile } from '../store/tasks.js';
import { useApp } from '../store/app-state.js';
import { Markdown } from './Markdown.js';
import { FileIcon } from './FileIcon.js';
import { ErrorNotice } from './ErrorNotice.js';
import { NoticeLine } from './NoticeLine.js';
import { LiveUsage, UsageFooter } from './UsageFooter.js';
import { TaskLeavesBadge } from './ProviderUsageBadges.js';
import { AttemptDivider } from './AttemptDivider.js';
import { PreviousAttempt } from './PreviousAttempt.js';
import { FeedbackControl, feedbackWanted } from './FeedbackControl.js';
import { AnswerContext } from './answer-context.js';
import { WaitingLine } from './WaitingLine.js';
import { StepSections } from './StepSections.js';
import { ThinkingBlock } from './ThinkingBlock.js';
import { describeError } from '../lib/error-text.js';
import { attemptHeadline } from '../lib/attempts.js';
import { isActive, isFinished } from '../lib/status.js';

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
            <MiddleEllipsis className="file-chip-path" text={path} />
          </button>
        );
      })}
    </div>
  );
}

export function AssistantMessage({ task, view }: { task: Task | null; view: TaskView }) {
  const status = task?.status ?? view.status ?? 'queued';
  const live = isActive(status);
  const model = task?.model ?? null;
  const cur = currentAttempt(view);
  const earlier = view.attempts.slice(0, -1);
  const hasStatusNotice = view.attempts.some((a) => a.notices.some((n) => n.kind === 'status' && (n.status === 'failed' || n.status === 'cancelled')));
  const rowError = !hasStatusNotice && (task?.status === 'failed' || task?.status === 'cancelled') && task.error ? describeError(task.error, { model }) : null;
  const chars = attemptChars(cur);
  const stepped = cur.segments.length > 0;
  const turn = useMemo(() => ({ task, view }), [task, view]);

  return (
    <div className="msg msg-assistant" data-testid="chat-message-assistant" data-status={status} data-attempt={cur.attempt} data-answer-chars={cur.text.length}>
      <div className="msg-assistant-head">
        <span className="avatar" aria-hidden="true">M</span>
        <span className="msg-model">{model ?? 'assistant'}</span>
        <TaskLeavesBadge model={model} leftMachine={view.attempts.some((a) => a.usage?.leftMachine === true)} provider={cur.usage?.provider ?? null} />
      </div>
      <div className="msg-assistant-body">
        {earlier.map((a) =>
          // A build's earlier attempts are not thrown away (a retry or a replay continues from their steps): keep them in view.
          a.segments.length > 0 ? (
            <div key={a.attempt} className="earlier-steps" data-testid="earlier-steps" data-attempt={a.attempt}>
              <StepSections segments={a.segments} taskId={task?.id ?? null} live={false} model={model} />
              {a.notices.map((n) => (
                <NoticeLine key={n.seq} notice={n} model={model} build />
              ))}
            </div>
          ) : (
            <PreviousAttempt key={a.attempt} attempt={a} model={model} />
          ),
        )}
        {earlier.length > 0 && <AttemptDivider text={attemptHeadline(cur, earlier[earlier.length - 1])} />}
        {cur.thinking && <ThinkingBlock thinking={cur.thinking} live={status === 'running'} model={model} />}
        {cur.text.length > 0 && (
          <AnswerContext.Provider value={turn}>
            <Markdown text={cur.text} streaming={status === 'running' && !stepped} />
          </AnswerContext.Provider>
        )}
        {stepped && <StepSections segments={cur.segments} taskId={task?.id ?? null} live={status === 'running'} model={model} />}
        {chars === 0 && !stepped && !live && view.loaded && status === 'succeeded' && (
          <div className="notice notice-muted">The model returned an empty answer.</div>
        )}
        {cur.notices.map((n) => (
          <NoticeLine key={n.seq} notice={n} model={model} build={stepped} />
        ))}
        {live && ((chars === 0 && !stepped && !cur.thinking) || cur.outcome !== null) && (
          <WaitingLine task={task} status={status} loaded={view.loaded} retryPending={cur.outcome !== null} />
        )}
        {rowError && <ErrorNotice error={rowError} />}
        <FileChips view={view} />
        {/* A build makes many model calls: its totals are in the Steps tab, not the last call's usage. */}
        {cur.usage && !stepped && <UsageFooter usage={cur.usage} />}
        {status === 'running' && !cur.usage && (chars > 0 || cur.thinking) && (
          <LiveUsage chars={chars + (cur.thinking?.text.length ?? 0)} startedAt={task?.startedAt ?? null} />
        )}
        {task && isFinished(status) && view.loaded && feedbackWanted(status) && <FeedbackControl taskId={task.id} />}
      </div>
    </div>
  );
}
