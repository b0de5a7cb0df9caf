// The renderer's picture of one task, folded from its events. Pure: applyEvents()
// takes only events with seq === lastSeq + 1, so replays and overlapping frames never
// duplicate, and reports a gap so the caller can fetch what is missing.
import type { TaskEvent, TaskStatus, TaskFile, ErrorPayload } from '../../../shared/index.js';

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
  | { seq: number; kind: 'status'; status: TaskStatus; error: ErrorPayload | null }
  | { seq: number; kind: 'refused'; path: string; code: string; reason: string }
  | { seq: number; kind: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export interface Usage {
  promptTokens: number;
  evalTokens: number;
  evalDurationMs: number;
  totalDurationMs: number;
  doneReason: string | null;
}

export interface TaskView {
  taskId: string;
  lastSeq: number;
  /** The assistant's answer so far (all delta events). */
  text: string;
  notices: Notice[];
  files: Record<string, FileView>;
  /** Paths in the order they were opened. */
  fileOrder: string[];
  usage: Usage | null;
  /** Latest status seen in the event stream (the task row may be newer). */
  status: TaskStatus | null;
  /** The initial history fetch finished. */
  loaded: boolean;
}

export function emptyTaskView(taskId: string): TaskView {
  return { taskId, lastSeq: 0, text: '', notices: [], files: {}, fileOrder: [], usage: null, status: null, loaded: false };
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
  let text = view.text;
  let notices = view.notices;
  let files = view.files;
  let fileOrder = view.fileOrder;
  let usage = view.usage;
  let status = view.status;
  let lastSeq = view.lastSeq;
  let gap = false;
  const opened: string[] = [];
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

  for (const ev of sorted) {
    if (ev.seq <= lastSeq) continue; // already applied
    if (ev.seq !== lastSeq + 1) {
      gap = true;
      break;
    }
    lastSeq = ev.seq;
    switch (ev.type) {
      case 'delta':
        text += ev.data.text;
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
        notices = [...notices, { seq: ev.seq, kind: 'refused', path: ev.data.path, code: ev.data.code, reason: ev.data.reason }];
        break;
      case 'status':
        status = ev.data.status;
        notices = [...notices, { seq: ev.seq, kind: 'status', status: ev.data.status, error: ev.data.error ?? null }];
        break;
      case 'usage':
        usage = ev.data;
        break;
      case 'log':
        notices = [...notices, { seq: ev.seq, kind: 'log', level: ev.data.level, message: ev.data.message }];
        break;
    }
  }

  if (lastSeq === view.lastSeq) return { view, gap, opened };
  return { view: { ...view, text, notices, files, fileOrder, usage, status, lastSeq }, gap, opened };
}
