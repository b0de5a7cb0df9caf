import WebSocket from 'ws';
import type { TopicPayload } from '../../shared/index.js';

/** A minimal Node client for the WebSocket contract, for tests and benchmarks. */
export class TestWsClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  readonly frames: TopicPayload<'task.frame'>[] = [];
  readonly topics: { topic: string; payload: unknown }[] = [];
  /** Responses that matched no request (e.g. the error answer to an unparseable frame). */
  readonly unmatched: unknown[] = [];
  onFrame: ((frame: TopicPayload<'task.frame'>, receivedAt: number) => void) | null = null;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      if ('topic' in msg) {
        this.topics.push(msg);
        if (msg.topic === 'task.frame') {
          this.frames.push(msg.payload);
          this.onFrame?.(msg.payload, performance.timeOrigin + performance.now());
        }
        return;
      }
      const waiter = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (!waiter) {
        this.unmatched.push(msg);
        return;
      }
      if ('error' in msg) waiter.reject(Object.assign(new Error(msg.error.message), msg.error));
      else waiter.resolve(msg.result);
    });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestWsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new TestWsClient(socket)));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })));
    });
  }

  call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  sendRaw(text: string): void {
    this.socket.send(text);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
