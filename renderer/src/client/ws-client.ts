// Browser host: the contract over one WebSocket (`/ws?token=`), with auto-reconnect.
// Frames: → {id, method, params}; ← {id, result} | {id, error}; ← {topic, payload}.
// Calls made while disconnected wait for the next open; calls in flight when the socket
// drops reject with DISCONNECTED (their outcome is unknown, the caller decides).
import type { MethodName, MethodParams, MethodResult, TopicName, TopicPayload } from '../../../shared/index.js';
import { ClientError, toClientError } from './errors.js';
import type { AppClient, ConnectionState } from './types.js';

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;
const TOKEN_KEY = 'macs.token';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: ClientError) => void;
}

/** Token from `?token=` (remembered in sessionStorage so a reload without it still works). */
export function readToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the secret out of the address bar and history.
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function defaultWsUrl(token: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`;
}

export function createWsClient(url: string): AppClient {
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let backoff = MIN_BACKOFF_MS;
  const pending = new Map<number, Pending>();
  const outbox: string[] = [];
  const topicHandlers = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  }

  function onMessage(raw: string): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      console.warn('[macs] ignoring a non-JSON frame');
      return;
    }
    if (typeof frame.topic === 'string') {
      for (const handler of [...(topicHandlers.get(frame.topic) ?? [])]) handler(frame.payload);
      return;
    }
    if (typeof frame.id !== 'number') return;
    const waiter = pending.get(frame.id);
    if (!waiter) return;
    pending.delete(frame.id);
    if ('error' in frame) waiter.reject(toClientError(frame.error));
    else waiter.resolve(frame.result);
  }

  function connect(): void {
    setState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      backoff = MIN_BACKOFF_MS;
      setState('open');
      for (const frame of outbox.splice(0)) ws.send(frame);
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') onMessage(ev.data);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(new ClientError('DISCONNECTED', 'The connection to the engine dropped before it answered.'));
      }
      setState('closed');
      const delay = backoff;
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      setTimeout(connect, delay);
    };
    // onerror is always followed by onclose; nothing to do here.
    ws.onerror = () => undefined;
  }

  connect();

  return {
    host: 'browser',
    call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      const id = nextId++;
      const frame = JSON.stringify({ id, method, params });
      return new Promise<MethodResult<M>>((resolve, reject) => {
        pending.set(id, { resolve: (v) => resolve(v as MethodResult<M>), reject });
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(frame);
        else outbox.push(frame);
      });
    },
    on<T extends TopicName>(topic: T, handler: (payload: TopicPayload<T>) => void): () => void {
      const set = topicHandlers.get(topic) ?? new Set();
      topicHandlers.set(topic, set);
      const wrapped = (payload: unknown) => handler(payload as TopicPayload<T>);
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    getState: () => state,
    subscribeState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}
