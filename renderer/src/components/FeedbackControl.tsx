import type { Task } from '../../../shared/index.js';
import { useState, type FormEvent } from 'react';
import { useApp } from '../store/app-state.js';
import { submitFeedback } from '../store/feedback.js';

function Thumb({ down }: { down?: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true" style={down ? { transform: 'scaleY(-1)' } : undefined}>
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
        strokeLinejoin="round"
        d="M5 7l2.6-5c1 0 1.7.8 1.5 1.8L8.7 6.5h4.1c.8 0 1.4.7 1.2 1.5l-1 4.7c-.1.6-.7 1-1.3 1H5zM2 7h3v6.7H2z"
      />
    </svg>
  );
}

/**
 * Only a finished answer is rated: under a connection error or a stopped answer "Was this
 * useful?" asks about the failure, not the model.
 */
export function feedbackWanted(status: Task['status']): boolean {
  // A retry that succeeded may keep the first attempt's error on the row: the status decides.
  return status === 'succeeded';
}

/** Thumbs up/down on a finished task, then an optional comment. Small on purpose. */
export function FeedbackControl({ taskId }: { taskId: string }) {
  const state = useApp((s) => s.feedback[taskId] ?? null);
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState('');

  const rate = (rating: -1 | 1) => {
    if (state?.sending) return;
    void submitFeedback(taskId, rating);
  };
  const sendComment = async (e: FormEvent) => {
    e.preventDefault();
    if (!state || !comment.trim()) return;
    if (await submitFeedback(taskId, state.rating, comment)) {
      setCommenting(false);
      setComment('');
    }
  };

  return (
    <div className="feedback" data-testid="feedback">
      <span className="feedback-label">{state && !state.error ? 'Thanks for the feedback' : 'Was this useful?'}</span>
      {([1, -1] as const).map((r) => (
        <button
          key={r}
          type="button"
          className={`feedback-thumb${state?.rating === r ? ' selected' : ''}`}
          data-testid={r === 1 ? 'feedback-up' : 'feedback-down'}
          aria-pressed={state?.rating === r}
          title={r === 1 ? 'Good answer' : 'Bad answer'}
          onClick={() => rate(r)}
        >
          <Thumb down={r === -1} />
        </button>
      ))}
      {state && !state.error && !state.commented && !commenting && (
        <button type="button" className="feedback-link" data-testid="feedback-comment-open" onClick={() => setCommenting(true)}>
          Add a comment
        </button>
      )}
      {state?.commented && <span className="feedback-label">· comment saved</span>}
      {state?.error && (
        <span className="feedback-error" role="alert">
          {state.error}
        </span>
      )}
      {commenting && (
        <form className="feedback-form" onSubmit={(e) => void sendComment(e)}>
          <input
            autoFocus
            type="text"
            data-testid="feedback-comment"
            value={comment}
            maxLength={10_000}
            placeholder="What was good or wrong? (optional)"
            onChange={(e) => setComment(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setCommenting(false)}
          />
          <button type="submit" className="btn btn-small" disabled={!comment.trim() || state?.sending} data-testid="feedback-comment-send">
            Send
          </button>
        </form>
      )}
    </div>
  );
}
