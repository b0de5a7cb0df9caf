// The detail view's event timeline, folded from the same events as the chat. Token
// deltas collapse into one "stream" entry per attempt and a file's open/close into one
// entry per file per attempt, so a long answer stays a short list. Pure.
import type { ErrorPayload, StepName, StepStatus, TaskEvent, TaskStatus, TestReport } from '../../../shared/index.js';

interface EntryBase {
  /** seq of the first event the entry stands for (a stable React key). */
  seq: number;
  ts: number;
  attempt: number;
}

export type TimelineEntry =
  | (EntryBase & {
      kind: 'status';
      status: TaskStatus;
      reason: string | null;
      retryInMs: number | null;
      error: ErrorPayload | null;
      /** The attempt number the engine put on the event, when it did. */
      eventAttempt: number | null;
    })
  /** Model text; build tasks get one per step attempt (`step` says which). */
  | (EntryBase & { kind: 'stream'; lastTs: number; chars: number; frames: number; step: StepName | null })
  | (EntryBase & { kind: 'file'; path: string; state: 'streaming' | 'written' | 'truncated'; size: number | null; closedTs: number | null })
  | (EntryBase & { kind: 'refused'; path: string; code: string; reason: string })
  | (EntryBase & {
      kind: 'usage';
      promptTokens: number;
      evalTokens: number;
      evalDurationMs: number;
      totalDurationMs: number;
      doneReason: string | null;
    })
  | (EntryBase & { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string })
  /** A sandboxed command: one entry from start to end. */
  | (EntryBase & {
      kind: 'exec';
      command: string[];
      level: string;
      /** null while it runs. */
      exitCode: number | null;
      durationMs: number | null;
      timedOut: boolean;
      killed: boolean;
      outputTruncated: boolean;
      done: boolean;
    })
  /** Something the sandbox denied, killed or capped. */
  | (EntryBase & { kind: 'audit'; auditKind: string; message: string; command: string[] | null })
  /** A build step started or ended. */
  | (EntryBase & {
      kind: 'step';
      step: StepName;
      version: number;
      phase: 'start' | 'end';
      status: StepStatus;
      model: string | null;
      modelReason: string | null;
      summary: string | null;
      durationMs: number | null;
      error: ErrorPayload | null;
      report: TestReport | null;
      replayOf: number | null;
    });

export interface Timeline {
  entries: TimelineEntry[];
  /** Index of the current attempt's stream entry, -1 before its first delta. */
  streamIndex: number;
  /** path → index of the current attempt's entry for that file. */
  fileIndex: Record<string, number>;
  /** Build tasks: step → index of the stream entry of its current attempt. */
  stepStreamIndex?: Partial<Record<StepName, number>>;
}

export const emptyTimeline = (): Timeline => ({ entries: [], streamIndex: -1, fileIndex: {}, stepStreamIndex: {} });

/** Applies events to a timeline, copying its arrays at most once per batch. */
export class TimelineWriter {
  private entries: TimelineEntry[];
  private streamIndex: number;
  private fileIndex: Record<string, number>;
  private stepStreamIndex: Partial<Record<StepName, number>>;
  private copied = false;

  constructor(private readonly base: Timeline) {
    this.entries = base.entries;
    this.streamIndex = base.streamIndex;
    this.fileIndex = base.fileIndex;
    this.stepStreamIndex = base.stepStreamIndex ?? {};
  }

  /** A new attempt starts: its deltas and files get entries of their own. */
  newAttempt(): void {
    this.own();
    this.streamIndex = -1;
    this.fileIndex = {};
    this.stepStreamIndex = {};
  }

  add(ev: TaskEvent, attempt: number): void {
    const base = { seq: ev.seq, ts: ev.ts, attempt };
    switch (ev.type) {
      case 'status':
        this.push({
          ...base,
          kind: 'status',
          status: ev.data.status,
          reason: ev.data.reason ?? null,
          retryInMs: ev.data.retryInMs ?? null,
          error: ev.data.error ?? null,
          eventAttempt: ev.data.attempt ?? null,
        });
        break;
      case 'delta': {
        const step = ev.data.step ?? null;
        const index = step ? (this.stepStreamIndex[step] ?? -1) : this.streamIndex;
        const cur = index >= 0 ? this.entries[index] : null;
        if (cur && cur.kind === 'stream') {
          this.replace(index, { ...cur, lastTs: ev.ts, chars: cur.chars + ev.data.text.length, frames: cur.frames + 1 });
        } else {
          const at = this.push({ ...base, kind: 'stream', lastTs: ev.ts, chars: ev.data.text.length, frames: 1, step });
          if (step) this.stepStreamIndex = { ...this.stepStreamIndex, [step]: at };
          else this.streamIndex = at;
        }
        break;
      }
      case 'step': {
        const d = ev.data;
        // A new attempt of a step streams into an entry of its own.
        if (d.phase === 'start' && this.stepStreamIndex[d.step] !== undefined) {
          const { [d.step]: _gone, ...rest } = this.stepStreamIndex;
          this.stepStreamIndex = rest;
        }
        this.push({
          ...base,
          kind: 'step',
          step: d.step,
          version: d.version,
          phase: d.phase,
          status: d.status,
          model: d.model ?? null,
          modelReason: d.modelReason ?? null,
          summary: d.summary ?? null,
          durationMs: d.durationMs ?? null,
          error: d.error ?? null,
          report: d.report ?? null,
          replayOf: d.replayOf ?? null,
        });
        break;
      }
      case 'file.open':
        this.fileIndex = { ...this.fileIndex, [ev.data.path]: this.push({ ...base, kind: 'file', path: ev.data.path, state: 'streaming', size: null, closedTs: null }) };
        break;
      case 'file.chunk':
        break; // the stream entry counts the text; the file entry shows the size at close
      case 'file.close': {
        const i = this.fileIndex[ev.data.path];
        const cur = i === undefined ? null : this.entries[i];
        const patch = { state: ev.data.truncated ? ('truncated' as const) : ('written' as const), size: ev.data.size, closedTs: ev.ts };
        if (cur && cur.kind === 'file') this.replace(i, { ...cur, ...patch });
        else this.push({ ...base, kind: 'file', path: ev.data.path, ...patch });
        break;
      }
      case 'file.refused':
        this.push({ ...base, kind: 'refused', path: ev.data.path, code: ev.data.code, reason: ev.data.reason });
        break;
      case 'usage':
        this.push({ ...base, kind: 'usage', ...ev.data });
        break;
      case 'log':
        this.push({ ...base, kind: 'log', level: ev.data.level, message: ev.data.message });
        break;
      case 'exec': {
        const d = ev.data;
        if (d.phase === 'start') {
          this.push({ ...base, kind: 'exec', command: d.command, level: d.level, exitCode: null, durationMs: null, timedOut: false, killed: false, outputTruncated: false, done: false });
          break;
        }
        const end = { level: d.level, exitCode: d.exitCode ?? null, durationMs: d.durationMs ?? null, timedOut: d.timedOut ?? false, killed: d.killed ?? false, outputTruncated: d.outputTruncated ?? false, done: true };
        // Its start is the latest unfinished run (start and end may come in different frames).
        const at = this.entries.findLastIndex((x) => x.kind === 'exec' && !x.done);
        const open = at >= 0 ? this.entries[at] : undefined;
        if (open && open.kind === 'exec') {
          this.own();
          this.entries[at] = { ...open, ...end };
        } else {
          this.push({ ...base, kind: 'exec', command: d.command, ...end });
        }
        break;
      }
      case 'audit':
        this.push({ ...base, kind: 'audit', auditKind: ev.data.kind, message: ev.data.message, command: ev.data.command ?? null });
        break;
    }
  }

  result(): Timeline {
    if (!this.copied) return this.base;
    return { entries: this.entries, streamIndex: this.streamIndex, fileIndex: this.fileIndex, stepStreamIndex: this.stepStreamIndex };
  }

  private own(): void {
    if (this.copied) return;
    this.entries = [...this.entries];
    this.copied = true;
  }

  private push(entry: TimelineEntry): number {
    this.own();
    this.entries.push(entry);
    return this.entries.length - 1;
  }

  private replace(index: number, entry: TimelineEntry): void {
    this.own();
    this.entries[index] = entry;
  }
}
