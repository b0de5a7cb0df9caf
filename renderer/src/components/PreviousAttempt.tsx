import { memo, useState } from 'react';
import { attemptChars, type AttemptView } from '../store/task-view.js';
import { attemptEnding } from '../lib/attempts.js';
import { formatInt } from '../lib/format.js';
import { Markdown } from './Markdown.js';
import { NoticeLine } from './NoticeLine.js';
import { StepSections } from './StepSections.js';

/** An earlier attempt, folded: its answer was superseded by the attempts after it. */
export const PreviousAttempt = memo(function PreviousAttempt({ attempt, model }: { attempt: AttemptView; model: string | null }) {
  const [open, setOpen] = useState(false);
  const chars = attemptChars(attempt);
  return (
    <div className={`prev-attempt${open ? ' open' : ''}`} data-testid="previous-attempt" data-attempt={attempt.attempt}>
      <button type="button" className="prev-attempt-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span className="prev-attempt-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span>
          Attempt {attempt.attempt} — {chars > 0 ? `${formatInt(chars)} chars streamed, then ` : ''}
          {attemptEnding(attempt)}
        </span>
        <span className="prev-attempt-hint">{open ? 'hide' : 'show'}</span>
      </button>
      {open && (
        <div className="prev-attempt-body">
          {attempt.text.length > 0 && <Markdown text={attempt.text} streaming={false} />}
          {attempt.segments.length > 0 && <StepSections segments={attempt.segments} taskId={null} live={false} model={model} />}
          {chars === 0 && attempt.segments.length === 0 && <div className="notice notice-info">No text arrived in this attempt.</div>}
          {attempt.notices.map((n) => (
            <NoticeLine key={n.seq} notice={n} model={model} />
          ))}
        </div>
      )}
    </div>
  );
});
