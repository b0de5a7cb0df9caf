// Words for attempts: the divider between attempts in the chat and the folded summary.
import type { AttemptView } from '../store/task-view.js';
import { shortError } from './error-text.js';
import { STATUS_LABEL } from './status.js';

/** "Attempt 2 — retrying after: Ollama not reachable" (attempt ≥ 2; prev = the attempt before). */
export function attemptHeadline(attempt: AttemptView, prev: AttemptView | null): string {
  const head = `Attempt ${attempt.attempt}`;
  const outcome = prev?.outcome ?? null;
  const cause = outcome?.error ? shortError(outcome.error) : null;
  const reason = attempt.reason?.toLowerCase() ?? '';
  if (reason.includes('crash')) return `${head} — recovered after a crash`;
  if (reason === 'app closed') return `${head} — resumed after MACS was closed mid-run`;
  if (reason === 'waiting for ollama') return `${head} — Ollama answered again`;
  if (outcome?.status === 'interrupted') return `${head} — started again after an interruption`;
  if (reason.includes('manual')) {
    if (cause) return `${head} — retried by hand after: ${cause}`;
    return `${head} — retried by hand${outcome ? ` after it ${outcome.status === 'cancelled' ? 'was stopped' : STATUS_LABEL[outcome.status].toLowerCase()}` : ''}`;
  }
  if (reason === 'retry' || outcome?.status === 'queued') {
    const after = cause ? ` after: ${cause}` : '';
    // Once this attempt has failed as well no retry follows: it was the last one, not "retrying".
    if (attempt.outcome?.status === 'failed') return `${head} (the last) — a retry${after}`;
    // "retrying" only while it runs: once it has ended (done, stopped) it was a retry.
    if (attempt.outcome && attempt.outcome.status !== 'queued') return `${head} — a retry${after}`;
    return `${head} — retrying${after}`;
  }
  return `${head} — ${attempt.reason ?? 'started again'}${cause ? ` after: ${cause}` : ''}`;
}

/** How a finished-with attempt ended, for its folded summary: "failed: Ollama error: boom". */
export function attemptEnding(attempt: AttemptView): string {
  const o = attempt.outcome;
  if (!o) return 'ended';
  const cause = o.error ? `: ${shortError(o.error)}` : '';
  switch (o.status) {
    case 'queued':
      return `failed${cause}`;
    case 'interrupted':
      return 'interrupted by a crash';
    case 'cancelled':
      return 'stopped';
    case 'succeeded':
      return 'finished';
    default:
      return `${STATUS_LABEL[o.status].toLowerCase()}${cause}`;
  }
}
