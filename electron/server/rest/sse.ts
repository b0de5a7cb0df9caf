import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TaskEvent, TaskStatus, TopicPayload } from '../../../shared/index.js';
import { call, type RestEngine } from './engine-api.js';
import { RestError } from './http.js';
import type { Route } from './router.js';
import { formatDefaultMessage, formatSse, toSseMessage } from './sse-events.js';
import { isTerminal } from './task-view.js';

export interface SseOptions {
  /** A `: ping` comment this often keeps proxies and idle timeouts from closing the stream. */
  heartbeatMs: number;
  /**
   * Read the event log this often when no live frame came: the task may be running in another
   * process that shares the database (the desktop app), whose frames this engine never sees.
   */
  pollMs: number;
  /** A client this far behind is disconnected; it resumes from the log with Last-Event-ID. */
  maxBufferedBytes: number;
}

export const DEFAULT_SSE_OPTIONS: SseOptions = { heartbeatMs: 15_000, pollMs: 1000, maxBufferedBytes: 8 * 1024 * 1024 };

const PAGE = 1000;

/** Last-Event-ID header (what EventSource sends on reconnect) or ?last_event_id= (for curl). */
export function resumePoint(req: IncomingMessage, url: URL): number {
  const raw = req.headers['last-event-id'] ?? url.searchParams.get('last_event_id') ?? '';
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value.trim() === '') return 0;
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw new RestError(400, 'INVALID_INPUT', 'Last-Event-ID must be the id (a whole number) of the last event received.', {
      fields: [{ path: 'last_event_id', message: `Not an event id: "${value.slice(0, 40)}"` }],
    });
  }
  return Number(value.trim());
}

/**
 * One client following one task. Order of operations is what makes resume exact:
 * subscribe to live frames first, then read the stored backlog, all through one serial
 * chain; every event is sent only if its seq is above the last one handled, and a live
 * frame that skips ahead is back-filled from the log first. So: no gap, no duplicate.
 */
class TaskStream {
  private lastSeq: number;
  /** From the task row at connect, then from each status event: decides when to check for `done`. */
  private lastStatus: TaskStatus;
  private lastLiveAt = 0;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly engine: RestEngine,
    private readonly taskId: string,
    resumeFrom: number,
    initialStatus: TaskStatus,
    private readonly res: ServerResponse,
    private readonly options: SseOptions,
  ) {
    this.lastSeq = resumeFrom;
    this.lastStatus = initialStatus;
  }

  start(): void {
    this.cleanups.push(
      this.engine.onTopic((topic, payload) => {
        if (topic !== 'task.frame') return;
        const frame = payload as TopicPayload<'task.frame'>;
        if (frame.taskId !== this.taskId) return;
        this.lastLiveAt = Date.now();
        this.enqueue(() => this.onLive(frame.events));
      }),
    );
    this.res.on('close', () => this.stop());
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.res.socket?.setNoDelay(true);
    this.write('retry: 1000\n\n');

    const heartbeat = setInterval(() => this.write(': ping\n\n'), this.options.heartbeatMs);
    const poll = setInterval(() => {
      if (Date.now() - this.lastLiveAt >= this.options.pollMs) this.enqueue(() => this.catchUp().then(() => this.finishIfDone()));
    }, this.options.pollMs);
    this.cleanups.push(() => clearInterval(heartbeat), () => clearInterval(poll));

    this.enqueue(async () => {
      await this.catchUp();
      // Also covers a client resuming after the terminal event: nothing to replay, just `done`.
      await this.finishIfDone();
    });
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain
      .then(() => (this.closed ? undefined : work()))
      .catch(() => {
        // The engine closed or the task vanished: end the stream; the client may resume later.
        this.end();
      });
  }

  private async onLive(events: TaskEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Frames are published after they are stored, so anything skipped is already in the log.
    if (events[0].seq > this.lastSeq + 1) await this.catchUp();
    else this.send(events);
    await this.finishIfDone();
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const { events } = await call(this.engine, 'tasks.events', { taskId: this.taskId, sinceSeq: this.lastSeq, limit: PAGE });
      this.send(events);
      if (events.length < PAGE || this.closed) break;
    }
  }

  private send(events: readonly TaskEvent[]): void {
    for (const event of events) {
      if (this.closed) return;
      if (event.seq <= this.lastSeq) continue;
      this.lastSeq = event.seq;
      if (event.type === 'status') this.lastStatus = event.data.status;
      const message = toSseMessage(event);
      // Named and unnamed in one write: a client never sees one without the other.
      if (message) this.write(formatSse(message, event.seq) + (formatDefaultMessage(event) ?? ''));
    }
  }

  /** `done` only when the task is terminal now (a manual retry can follow a failure) and everything was sent. */
  private async finishIfDone(): Promise<void> {
    if (this.closed || !isTerminal({ status: this.lastStatus })) return;
    const { task } = await call(this.engine, 'tasks.get', { taskId: this.taskId });
    if (!isTerminal(task) || task.lastSeq > this.lastSeq) return;
    this.write(formatSse({ event: 'done', data: { status: task.status } }));
    this.end();
  }

  private write(text: string): void {
    if (this.closed) return;
    this.res.write(text);
    // A client that does not read would make us buffer the whole answer: drop it; it can resume.
    if (this.res.writableLength > this.options.maxBufferedBytes) this.end();
  }

  private end(): void {
    if (this.closed) return;
    this.stop();
    this.res.end();
  }

  private stop(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}

export function streamRoute(engine: RestEngine, options: SseOptions): Route {
  return {
    method: 'GET',
    pattern: '/v1/stream/:id',
    access: 'stream',
    async handle({ req, res, url, params }) {
      const resumeFrom = resumePoint(req, url);
      // 404 as JSON before any SSE bytes, so a typo does not look like an empty stream.
      const { task } = await call(engine, 'tasks.get', { taskId: params.id });
      new TaskStream(engine, task.id, resumeFrom, task.status, res, options).start();
    },
  };
}
