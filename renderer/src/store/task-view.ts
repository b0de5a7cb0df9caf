// The renderer's picture of one task, folded from its events. Pure: applyEvents()
// takes only events with seq === lastSeq + 1, so replays and overlapping frames never
// duplicate, and reports a gap so the caller can fetch what is missing.
import type { ContextReceipt, ContextSelection, TaskEvent, TaskStatus, TaskFile, ErrorPayload, TestReport } from '../../../shared/index.js';
import { stepRef } from '../lib/step-text.js';
import { applyStepDelta, applyStepEvent, applyStepThinking, segmentChars, type StepSegment } from './step-fold.js';
import { addThinking, endThinking, type ThinkingView } from './thinking-fold.js';
import { emptyTimeline, TimelineWriter, type Timeline } from './timeline.js';

export type FileState = TaskFile['state'];

export interface FileView {
  path: string;
  state: FileState;
  size: number;
  sha256: string | null;
  /** Text streamed so far via file.chunk (only while streaming / for live display). */
  streamed: string;
}

export type Notice =
  | {
      seq: number;
      kind: 'status';
      status: TaskStatus;
      error: ErrorPayload | null;
      attempt: number | null;
      retryInMs: number | null;
      reason: string | null;
    }
  | { seq: number; kind: 'refused'; path: string; code: string; reason: string }
  | { seq: number; kind: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export interface Usage {
  promptTokens: number;
  evalTokens: number;
  evalDurationMs: number;
  totalDurationMs: number;
  doneReason: string | null;
  /** The provider that answered ("ollama" when absent) and whether the prompt left this machine. */
  provider?: string;
  leftMachine?: boolean;
}

/** How an attempt ended: the first status after it ran that was not `running` (queued = a retry was scheduled). */
export interface AttemptOutcome {
  status: TaskStatus;
  error: ErrorPayload | null;
  retryInMs: number | null;
}

/**
 * One attempt at generating the answer. A retry or a crash recovery starts the answer
 * again from the beginning, so each attempt has its own text; the chat shows the last one
 * and keeps the earlier ones folded away.
 */
export interface AttemptView {
  /** The engine's attempt number (1-based); counted when an event does not say. */
  attempt: number;
  /** Why it started: null for the first; "retry", "recovered after a crash", "manual retry". */
  reason: string | null;
  /** A `running` event started it (until then it is only queued). */
  started: boolean;
  /** Model text without a step (chat tasks). */
  text: string;
  /** The model's reasoning before its answer (thinking models); null when it did not think. */
  thinking: ThinkingView | null;
  /** Build tasks: the model text and outcome of each step attempt, in the order they started. */
  segments: StepSegment[];
  notices: Notice[];
  usage: Usage | null;
  outcome: AttemptOutcome | null;
}

export interface TurnVersion {
  versionId: string;
  number: number;
  kind: string;
  filesChanged: number;
}

export interface TaskView {
  taskId: string;
  lastSeq: number;
  /** Never empty; the last one is the current attempt. */
  attempts: AttemptView[];
  files: Record<string, FileView>;
  /** Paths in the order they were opened. */
  fileOrder: string[];
  /** Latest status seen in the event stream (the task row may be newer). */
  status: TaskStatus | null;
  /** A reason given between attempts (e.g. on the `queued` of a manual retry), for the next attempt. */
  nextReason: string | null;
  timeline: Timeline;
  /** Test reports from step end events, by `test@vN`. */
  reports: Record<string, TestReport>;
  /** The workspace files chosen as the model's context (folder workspaces; the latest `context` event). */
  context: ContextSelection | null;
  /** A project turn's context receipt (the latest `receipt` event: it is sent again with the model's own count). */
  receipt: ContextReceipt | null;
  /** The version the turn made (the latest `version` event). */
  version: TurnVersion | null;
  /** The initial history fetch finished. */
  loaded: boolean;
}

const newAttempt = (attempt: number, reason: string | null, started: boolean): AttemptView => ({
  attempt,
  reason,
  started,
  text: '',
  thinking: null,
  segments: [],
  notices: [],
  usage: null,
  outcome: null,
});

export function emptyTaskView(taskId: string): TaskView {
  return {
    taskId,
    lastSeq: 0,
    attempts: [newAttempt(1, null, false)],
    files: {},
    fileOrder: [],
    status: null,
    nextReason: null,
    timeline: emptyTimeline(),
    reports: {},
    context: null,
    receipt: null,
    version: null,
    loaded: false,
  };
}

export function currentAttempt(view: TaskView): AttemptView {
  return view.attempts[view.attempts.length - 1];
}

/** Characters of model text an attempt streamed (its own text and its steps'). */
export function attemptChars(attempt: AttemptView): number {
  return attempt.text.length + segmentChars(attempt.segments);
}

/** Seed file entries from tasks.get (past tasks, or files whose events are not loaded yet). */
export function withFiles(view: TaskView, files: readonly TaskFile[]): TaskView {
  const next = { ...view.files };
  const order = [...view.fileOrder];
  for (const f of files) {
    const existing = next[f.path];
    if (!existing) order.push(f.path);
    // Events are the ordered truth: a closed file stays closed; a row that is still
    // 'streaming' adds nothing to a file the events already know about.
    if (existing && (existing.state !== 'streaming' || f.state === 'streaming')) continue;
    next[f.path] = { path: f.path, state: f.state, size: f.size, sha256: f.sha256, streamed: existing?.streamed ?? '' };
  }
  return { ...view, files: next, fileOrder: order };
}

export interface ApplyResult {
  view: TaskView;
  /** An event with seq > lastSeq + 1 arrived: something is missing, fetch since lastSeq. */
  gap: boolean;
  /** Paths opened by these events (for auto-selecting the file being written). */
  opened: string[];
}

export function applyEvents(view: TaskView, events: readonly TaskEvent[]): ApplyResult {
  const attempts = view.attempts.slice(0, -1);
  let cur = currentAttempt(view);
  let files = view.files;
  let fileOrder = view.fileOrder;
  let status = view.status;
  let nextReason = view.nextReason;
  let lastSeq = view.lastSeq;
  let reports = view.reports;
  let context = view.context;
  let receipt = view.receipt;
  let version = view.version;
  let gap = false;
  const opened: string[] = [];
  const timeline = new TimelineWriter(view.timeline);
  const sorted = events.length > 1 && events.some((e, i) => i > 0 && e.seq < events[i - 1].seq)
    ? [...events].sort((a, b) => a.seq - b.seq)
    : events;

  const setFile = (path: string, patch: Partial<FileView>) => {
    if (files === view.files) files = { ...files };
    const prev = files[path] ?? { path, state: 'streaming' as const, size: 0, sha256: null, streamed: '' };
    if (!files[path]) {
      fileOrder = [...fileOrder, path];
    }
    files[path] = { ...prev, ...patch };
  };
  const addNotice = (notice: Notice) => {
    cur = { ...cur, notices: [...cur.notices, notice] };
  };

  for (const ev of sorted) {
    if (ev.seq <= lastSeq) continue; // already applied
    if (ev.seq !== lastSeq + 1) {
      gap = true;
      break;
    }
    lastSeq = ev.seq;
    if (ev.type === 'status') {
      const d = ev.data;
      if (d.status === 'running') {
        if (cur.started) {
          // A new attempt: the answer is generated again from the start.
          attempts.push(cur);
          cur = newAttempt(d.attempt ?? cur.attempt + 1, d.reason ?? nextReason, true);
          timeline.newAttempt();
        } else {
          cur = { ...cur, started: true, attempt: d.attempt ?? cur.attempt, reason: cur.reason ?? d.reason ?? null };
        }
        nextReason = null;
      } else if (cur.started) {
        const error = d.error ?? null;
        if (!cur.outcome) cur = { ...cur, outcome: { status: d.status, error, retryInMs: d.retryInMs ?? null } };
        else if (!cur.outcome.error && error) cur = { ...cur, outcome: { ...cur.outcome, error } };
        if (d.reason) nextReason = d.reason;
      }
      status = d.status;
      addNotice({
        seq: ev.seq,
        kind: 'status',
        status: d.status,
        error: d.error ?? null,
        attempt: d.attempt ?? null,
        retryInMs: d.retryInMs ?? null,
        reason: d.reason ?? null,
      });
    }
    timeline.add(ev, cur.attempt);
    switch (ev.type) {
      case 'delta':
        if (ev.data.step) cur = { ...cur, segments: applyStepDelta(cur.segments, ev.data.step, ev.data.text, ev.seq, ev.ts) };
        else cur = { ...cur, text: cur.text + ev.data.text, thinking: endThinking(cur.thinking, ev.ts) };
        break;
      case 'thinking':
        if (ev.data.step) cur = { ...cur, segments: applyStepThinking(cur.segments, ev.data.step, ev.data.text, ev.seq, ev.ts) };
        else cur = { ...cur, thinking: addThinking(cur.thinking, ev.data.text, ev.ts) };
        break;
      case 'step':
        cur = { ...cur, segments: applyStepEvent(cur.segments, ev.data, ev.seq) };
        if (ev.data.report) reports = { ...reports, [stepRef(ev.data.step, ev.data.version)]: ev.data.report };
        break;
      case 'file.open':
        setFile(ev.data.path, { state: 'streaming', size: 0, sha256: null, streamed: '' });
        opened.push(ev.data.path);
        break;
      case 'file.chunk': {
        const prev = files[ev.data.path];
        const streamed = (prev?.streamed ?? '') + ev.data.text;
        setFile(ev.data.path, { streamed, size: streamed.length });
        break;
      }
      case 'file.close':
        setFile(ev.data.path, {
          state: ev.data.truncated ? 'truncated' : 'written',
          size: ev.data.size,
          sha256: ev.data.sha256,
        });
        break;
      case 'file.refused':
        addNotice({ seq: ev.seq, kind: 'refused', path: ev.data.path, code: ev.data.code, reason: ev.data.reason });
        if (ev.data.code === 'CUT_OFF_BY_FAILURE' && files[ev.data.path]?.state === 'streaming') {
          // Opened, then cut off by a failure and not written (tasks/file-sink.ts): not a file of the answer.
          files = { ...files };
          delete files[ev.data.path];
          fileOrder = fileOrder.filter((p) => p !== ev.data.path);
        }
        break;
      case 'usage':
        cur = { ...cur, usage: ev.data };
        break;
      case 'log':
        addNotice({ seq: ev.seq, kind: 'log', level: ev.data.level, message: ev.data.message });
        break;
      case 'context':
        context = ev.data;
        break;
      case 'receipt':
        receipt = ev.data;
        break;
      case 'version':
        version = ev.data;
        break;
      case 'status':
        break;
    }
  }

  if (lastSeq === view.lastSeq) return { view, gap, opened };
  attempts.push(cur);
  return {
    view: { ...view, attempts, files, fileOrder, status, nextReason, timeline: timeline.result(), reports, context, receipt, version, lastSeq },
    gap,
    opened,
  };
}
