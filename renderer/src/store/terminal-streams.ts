// Each shown session's output path in the renderer: restore (replay) → live frames in seq
// order → a queue drained into xterm once per animation frame, with a cap on what xterm
// holds unparsed, so a flood (50 MB of `yes`) never freezes the page.
import type { TerminalSession, TopicPayload } from '../../../shared/index.js';
import { createXterm, type XtermParts } from './terminal-xterm.js';

type Frame = TopicPayload<'terminal.output'>;

/** Handed to xterm per write call: it parses a call in one go, so small calls keep frames short. */
const CHUNK = 64 * 1024;
/** Written to xterm but not parsed yet. xterm time-slices its parsing; this bounds its buffer. */
const MAX_INFLIGHT = 512 * 1024;
/**
 * Queued here beyond this, the pane is hopelessly behind: drop the oldest part and say so.
 * A terminal keeps only its last 10,000 lines anyway, and this keeps memory bounded.
 */
const MAX_QUEUED = 32 * 1024 * 1024;

export interface StreamHooks {
  replay: (sessionId: string) => Promise<{ data: string; lastSeq: number }>;
  onFind: (sessionId: string) => void;
  onEscape: (sessionId: string) => boolean;
  onInput: (sessionId: string, data: string) => void;
}

export class SessionStream {
  readonly parts: XtermParts;
  /** xterm opens once into this element, which then moves between panes (tab switches keep the buffer). */
  readonly host: HTMLDivElement;
  /** null while a replay is in flight: live frames wait in `early`. */
  private lastSeq: number | null = null;
  private early: Frame[] = [];
  private queue: string[] = [];
  private queued = 0;
  private inflight = 0;
  private disposed = false;
  /** Bumped per restore, so a slow replay cannot land after a newer one. */
  private generation = 0;
  /** Bytes dropped because the pane fell too far behind (benchmarks report it). */
  skipped = 0;
  /** Every byte handed to xterm and parsed. */
  parsed = 0;

  constructor(
    readonly session: TerminalSession,
    private readonly hooks: StreamHooks,
    private readonly wake: () => void,
  ) {
    const readOnly = session.kind === 'runs' || !session.alive;
    this.parts = createXterm(readOnly, { onFind: () => hooks.onFind(session.sessionId), onEscape: () => hooks.onEscape(session.sessionId) });
    // Lay the replay out at the size the pty had; the pane refits (and resizes the pty) once shown.
    if (session.cols >= 2 && session.rows >= 1) this.parts.term.resize(session.cols, session.rows);
    this.host = document.createElement('div');
    this.host.className = 'term-host';
    if (!readOnly) this.parts.term.onData((data) => hooks.onInput(session.sessionId, data));
  }

  get sessionId(): string {
    return this.session.sessionId;
  }

  /** A session we just opened: nothing happened before seq 1. */
  startFresh(pending: Frame[]): void {
    this.lastSeq = 0;
    for (const f of pending) this.onFrame(f);
  }

  /** Repaint from the engine's scrollback, then follow the frames after it. */
  async restore(pending: Frame[] = []): Promise<void> {
    const generation = ++this.generation;
    this.lastSeq = null;
    this.early = [...this.early, ...pending];
    this.queue = [];
    this.queued = 0;
    const { data, lastSeq } = await this.hooks.replay(this.sessionId);
    if (this.disposed || generation !== this.generation) return;
    this.parts.term.reset();
    this.enqueue(data);
    this.lastSeq = lastSeq;
    const early = this.early.sort((a, b) => a.seq - b.seq);
    this.early = [];
    for (const f of early) this.onFrame(f);
  }

  onFrame(frame: Frame): void {
    if (this.disposed) return;
    if (this.lastSeq === null) {
      this.early.push(frame);
      return;
    }
    if (frame.seq <= this.lastSeq) return; // already in the replay
    if (frame.seq !== this.lastSeq + 1) {
      // A frame went missing (the connection dropped): repaint from the engine.
      void this.restore([frame]).catch(() => undefined);
      return;
    }
    this.lastSeq = frame.seq;
    this.enqueue(frame.data);
  }

  /** Move queued output into xterm, within the in-flight cap. Returns whether more is left. */
  drain(): boolean {
    const { term } = this.parts;
    while (this.queue.length > 0 && this.inflight < MAX_INFLIGHT) {
      let chunk = this.queue[0];
      if (chunk.length > CHUNK) {
        this.queue[0] = chunk.slice(CHUNK);
        chunk = chunk.slice(0, CHUNK);
      } else {
        this.queue.shift();
      }
      this.queued -= chunk.length;
      this.inflight += chunk.length;
      const size = chunk.length;
      term.write(chunk, () => {
        this.inflight -= size;
        this.parsed += size;
        this.wake();
      });
    }
    return this.queue.length > 0;
  }

  /** Nothing queued or unparsed (tests and the benchmark wait for this). */
  idle(): boolean {
    return this.queue.length === 0 && this.inflight === 0 && this.lastSeq !== null;
  }

  dispose(): void {
    this.disposed = true;
    this.queue = [];
    this.parts.term.dispose();
    this.host.remove();
  }

  private enqueue(data: string): void {
    if (data.length === 0) return;
    this.queue.push(data);
    this.queued += data.length;
    if (this.queued > MAX_QUEUED) this.skipAhead();
    this.wake();
  }

  private skipAhead(): void {
    let dropped = 0;
    while (this.queued > MAX_QUEUED / 2 && this.queue.length > 1) {
      const chunk = this.queue.shift()!;
      this.queued -= chunk.length;
      dropped += chunk.length;
    }
    this.skipped += dropped;
    // Visible to tests and the benchmark without reaching into the store.
    this.host.dataset.skipped = String(this.skipped);
    const mb = (dropped / 1024 / 1024).toFixed(1);
    const notice = `\r\n\x1b[0;2m[… ${mb} MB of output skipped to keep up …]\x1b[0m\r\n`;
    this.queue.unshift(notice);
    this.queued += notice.length;
  }
}
