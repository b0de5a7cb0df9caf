// One session's output path: coalesce → number (seq) → scrollback → publish, with flow
// control back to the producer so a flood (`yes`) cannot grow memory without bound.
import { Scrollback } from './scrollback.js';
import type { TerminalOutput } from './types.js';

export interface OutputPumpOptions {
  sessionId: string;
  publish: (output: TerminalOutput) => void;
  scrollbackBytes: number;
  /** A pending frame is sent at most this long after its first chunk. */
  intervalMs: number;
  /** A frame is sent early once it holds this much... */
  frameBytes: number;
  /** ...but never sooner than this after the previous one (caps frames/s on a flood). */
  minGapMs: number;
  /** Pause the producer while this much is pending; resume once it is sent. */
  highWaterBytes: number;
  /** The transport downstream is backed up (e.g. a WebSocket's send buffer): hold frames. */
  isBackedUp?: () => boolean;
}

export interface FlowControl {
  pause(): void;
  resume(): void;
}

export interface PumpStats {
  lastSeq: number;
  pendingBytes: number;
  /** The most that was ever pending at once (tests assert the bound). */
  maxPendingBytes: number;
  publishedBytes: number;
  pauses: number;
}

/**
 * Seqs are given when a frame is published and the frame goes into the scrollback at the
 * same moment, so replay() (scrollback + lastSeq) and the live frames after it meet
 * exactly: no gap, no duplicate.
 */
export class OutputPump {
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlushAt = 0;
  private paused = false;
  private closed = false;
  private readonly scrollback: Scrollback;
  private readonly flows = new Set<FlowControl>();
  private readonly stats: PumpStats = { lastSeq: 0, pendingBytes: 0, maxPendingBytes: 0, publishedBytes: 0, pauses: 0 };

  constructor(private readonly options: OutputPumpOptions) {
    this.scrollback = new Scrollback(options.scrollbackBytes);
  }

  /** A producer to pause while the pump is full (the pty, a run's output stream). */
  addFlow(flow: FlowControl): () => void {
    this.flows.add(flow);
    if (this.paused) flow.pause();
    return () => {
      if (this.paused) flow.resume();
      this.flows.delete(flow);
    };
  }

  push(data: string): void {
    if (this.closed || data.length === 0) return;
    this.pending.push(data);
    this.pendingBytes += data.length;
    if (this.pendingBytes > this.stats.maxPendingBytes) this.stats.maxPendingBytes = this.pendingBytes;
    if (this.pendingBytes >= this.options.frameBytes && Date.now() - this.lastFlushAt >= this.options.minGapMs) {
      this.flush();
    } else {
      this.schedule(this.options.intervalMs);
    }
    if (!this.paused && this.pendingBytes >= this.options.highWaterBytes) this.setPaused(true);
  }

  /** Publish what is pending now (unless the transport is backed up and not `force`: then retry shortly). */
  flush(force = false): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pendingBytes === 0) return;
    if (!force && this.options.isBackedUp?.()) {
      this.schedule(this.options.intervalMs);
      return;
    }
    const data = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    this.lastFlushAt = Date.now();
    const seq = ++this.stats.lastSeq;
    this.scrollback.append(data);
    this.stats.publishedBytes += data.length;
    this.options.publish({ sessionId: this.options.sessionId, seq, data });
    if (this.paused) this.setPaused(false);
  }

  replay(): { data: string; lastSeq: number } {
    return { data: this.scrollback.read(), lastSeq: this.stats.lastSeq };
  }

  getStats(): PumpStats {
    return { ...this.stats, pendingBytes: this.pendingBytes };
  }

  /** Publish the rest (even when backed up: a session's last words are not lost) and stop; later pushes are dropped. */
  close(): void {
    this.flush(true);
    this.closed = true;
    if (this.paused) this.setPaused(false);
    this.flows.clear();
  }

  private schedule(delayMs: number): void {
    if (!this.timer) this.timer = setTimeout(() => this.flush(), delayMs);
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.stats.pauses++;
    for (const flow of this.flows) {
      try {
        if (paused) flow.pause();
        else flow.resume();
      } catch {
        // A producer that already ended cannot be paused; nothing is lost.
      }
    }
  }
}
