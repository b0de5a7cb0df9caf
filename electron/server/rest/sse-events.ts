// Task events → Server-Sent Events. The SSE `id` is the event's seq, so Last-Event-ID
// is a resume point straight into the task's event log.
import type { TaskEvent } from '../../../shared/index.js';
import { receiptView, versionEventView } from './project-view.js';
import { stepEventView } from './step-view.js';

export interface SseMessage {
  event: string;
  data: unknown;
}

/**
 * null: not sent. file.chunk repeats text that is already in `delta`, so the stream
 * skips it (ids then have gaps, which resume handles: ids are positions, not counts).
 * exec and audit stay in the event log (GET /v1/tasks/{id}/events) for now.
 */
export function toSseMessage(e: TaskEvent): SseMessage | null {
  switch (e.type) {
    case 'delta':
      // Build tasks say which step's answer the text belongs to (steps may stream side by side).
      return { event: 'delta', data: e.data.step === undefined ? { text: e.data.text } : { text: e.data.text, step: e.data.step } };
    case 'thinking':
      // The model's reasoning (thinking models): shown apart from the answer, never a file.
      return { event: 'thinking', data: e.data.step === undefined ? { text: e.data.text } : { text: e.data.text, step: e.data.step } };
    case 'step':
      return { event: 'step', data: stepEventView(e.data) };
    case 'status': {
      const { status, error, attempt, retryInMs, reason } = e.data;
      return { event: 'status', data: { status, error, attempt, retry_in_ms: retryInMs, reason } };
    }
    case 'file.open':
      return { event: 'file', data: { action: 'open', path: e.data.path } };
    case 'file.close': {
      const { path, size, sha256, truncated } = e.data;
      return { event: 'file', data: { action: 'close', path, size, sha256, truncated } };
    }
    case 'file.refused':
      return { event: 'file', data: { action: 'refused', path: e.data.path, code: e.data.code, reason: e.data.reason } };
    case 'usage': {
      const d = e.data;
      return {
        event: 'usage',
        data: {
          prompt_tokens: d.promptTokens,
          eval_tokens: d.evalTokens,
          eval_duration_ms: d.evalDurationMs,
          total_duration_ms: d.totalDurationMs,
          done_reason: d.doneReason,
        },
      };
    }
    case 'log':
      return { event: 'log', data: { level: e.data.level, message: e.data.message } };
    // A project turn: its context receipt (sent again with the model's own count), and the version it made.
    case 'receipt':
      return { event: 'receipt', data: receiptView(e.data) };
    case 'version':
      return { event: 'version', data: versionEventView(e.data) };
    default:
      return null;
  }
}

/** JSON.stringify escapes CR and LF, so one `data:` line always holds the whole payload. */
export function formatSse(message: SseMessage, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}

/**
 * The answer text again as a default (unnamed) event, for the earlier MACS chat UIs that listen
 * with `onmessage` and stop at `event: done`: `data:` is the text itself, one `data:` line per
 * line (an EventSource joins them with "\n"; a CR or CRLF arrives as "\n"). It carries no `id:`,
 * so a client's Last-Event-ID stays the named `delta` sent just before it.
 */
export function formatDefaultMessage(e: TaskEvent): string | null {
  if (e.type !== 'delta' || e.data.text === '') return null;
  return `data: ${e.data.text.split(/\r\n|\r|\n/).join('\ndata: ')}\n\n`;
}
