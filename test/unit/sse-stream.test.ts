// The SSE stream's ordering guarantees, against a scripted engine so the races that are
// rare on a real one (a frame published while the backlog is read, a frame that skips
// ahead because another process wrote the events in between) happen every time.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Task, TaskEvent, TaskStatus } from '../../shared/index.js';
import type { RestEngine } from '../../electron/server/rest/index.js';
import { streamRoute } from '../../electron/server/rest/sse.js';

type Listener = Parameters<RestEngine['onTopic']>[0];

function delta(seq: number): TaskEvent {
  return { taskId: 't', seq, ts: seq, type: 'delta', data: { text: `d${seq} ` } };
}
function status(seq: number, s: TaskStatus): TaskEvent {
  return { taskId: 't', seq, ts: seq, type: 'status', data: { status: s } };
}

class ScriptedEngine {
  readonly log: TaskEvent[] = [];
  committed = 0;
  taskStatus: TaskStatus = 'running';
  readonly listeners = new Set<Listener>();
  /** Runs inside the next tasks.events call, after the rows were read: "something happened meanwhile". */
  duringNextRead: (() => void) | null = null;

  commit(...events: TaskEvent[]): void {
    this.log.push(...events);
    this.committed = this.log.length;
  }
  publish(...events: TaskEvent[]): void {
    for (const l of this.listeners) l('task.frame', { taskId: 't', events });
  }

  api(): RestEngine {
    return {
      dbPath: ':memory:',
      onTopic: (l) => {
        this.listeners.add(l);
        return () => this.listeners.delete(l);
      },
      invoke: async (method: string, params: unknown) => {
        const p = params as { sinceSeq?: number };
        if (method === 'tasks.get') return { task: { id: 't', status: this.taskStatus, lastSeq: this.committed } as Task, files: [] };
        if (method === 'tasks.events') {
          const events = this.log.slice(0, this.committed).filter((e) => e.seq > (p.sinceSeq ?? 0));
          const hook = this.duringNextRead;
          this.duringNextRead = null;
          hook?.();
          return { events, lastSeq: this.committed };
        }
        throw new Error(`unexpected ${method}`);
      },
      exportTask: async () => {
        throw new Error('unused');
      },
      stats: () => {
        throw new Error('unused');
      },
      apiKey: () => ({ apiKey: 'k', source: 'env' }),
    };
  }
}

class FakeResponse extends EventEmitter {
  text = '';
  ended = false;
  writableLength = 0;
  headersSent = false;
  socket = null;
  writeHead(): this {
    this.headersSent = true;
    return this;
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  end(): this {
    this.ended = true;
    return this;
  }
  ids(): number[] {
    return [...this.text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }
}

async function open(engine: ScriptedEngine, lastEventId?: number): Promise<FakeResponse> {
  const res = new FakeResponse();
  const req = { headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) } } as unknown as IncomingMessage;
  const route = streamRoute(engine.api(), { heartbeatMs: 60_000, pollMs: 60_000, maxBufferedBytes: 1 << 20 });
  await route.handle({ req, res: res as unknown as ServerResponse, url: new URL('http://x/v1/stream/t'), params: { id: 't' }, caller: { kind: 'api-key' } });
  return res;
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('SSE task stream ordering', () => {
  it('a frame published while the backlog is read is neither lost nor sent twice', async () => {
    const engine = new ScriptedEngine();
    engine.commit(status(1, 'running'), delta(2), delta(3));
    engine.duringNextRead = () => {
      engine.commit(delta(4), delta(5));
      engine.publish(delta(4), delta(5));
    };
    const res = await open(engine);
    await settle();
    expect(res.ids()).toEqual([1, 2, 3, 4, 5]);
    // Live frames that repeat what the backlog already sent are skipped.
    engine.publish(delta(5));
    engine.commit(delta(6));
    engine.publish(delta(6));
    await settle();
    expect(res.ids()).toEqual([1, 2, 3, 4, 5, 6]);
    res.emit('close');
  });

  it('a live frame that skips ahead is back-filled from the log first (events written by another process)', async () => {
    const engine = new ScriptedEngine();
    engine.commit(status(1, 'running'), delta(2));
    const res = await open(engine);
    await settle();
    engine.commit(delta(3), delta(4), delta(5)); // stored, never published here
    engine.commit(delta(6));
    engine.publish(delta(6));
    await settle();
    expect(res.ids()).toEqual([1, 2, 3, 4, 5, 6]);
    res.emit('close');
  });

  it('resumes after Last-Event-ID, ends with `done` only when the task is terminal, and unsubscribes', async () => {
    const engine = new ScriptedEngine();
    engine.commit(status(1, 'running'), delta(2), delta(3), delta(4));
    const res = await open(engine, 2);
    await settle();
    expect(res.ids()).toEqual([3, 4]);
    expect(res.ended).toBe(false);
    engine.taskStatus = 'succeeded';
    engine.commit(status(5, 'succeeded'));
    engine.publish(status(5, 'succeeded'));
    await settle();
    expect(res.ids()).toEqual([3, 4, 5]);
    expect(res.text).toMatch(/event: done\ndata: {"status":"succeeded"}\n\n$/);
    expect(res.ended).toBe(true);
    expect(engine.listeners.size).toBe(0);
  });

  it('a failure followed by a manual retry is not the end: done waits for the task to be terminal again', async () => {
    const engine = new ScriptedEngine();
    engine.commit(status(1, 'running'), status(2, 'failed'), status(3, 'queued'), status(4, 'running'));
    engine.taskStatus = 'running';
    const res = await open(engine);
    await settle();
    expect(res.ids()).toEqual([1, 2, 3, 4]);
    expect(res.text).not.toContain('event: done');
    expect(res.ended).toBe(false);
    res.emit('close'); // the client leaves
    expect(engine.listeners.size).toBe(0);
  });
});
