// The `macs` client commands' view of a running server: JSON requests with the API key,
// and the SSE stream with automatic resume. Errors come back typed so each command
// can turn them into the documented exit codes.
import fs from 'node:fs';
import nodePath from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ErrorPayload } from '../../shared/index.js';
import { CHALLENGE_HEADER, PROOF_HEADER, newChallenge, proofMatches } from '../server/index.js';

/** The server answered with an error ({error: {code, message, details}}). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly payload: ErrorPayload,
  ) {
    super(payload.message);
    this.name = 'ApiError';
  }
}

/** Nothing answered at the URL (refused, no such host, timed out). */
export class UnreachableError extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'UnreachableError';
  }
}

export interface StreamEvent {
  id: number | null;
  event: string;
  data: Record<string, unknown>;
}

function reasonOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (err instanceof Error && err.name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

const RECONNECTS = 5;

export class ApiClient {
  readonly baseUrl: string;
  /** Settles once the server at baseUrl has proved it holds our key (server-proof.ts); asked once per client. */
  private verified: Promise<void> | null = null;

  constructor(
    baseUrl: string,
    private readonly apiKey: string | null,
    private readonly timeoutMs = 30_000,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}), ...extra };
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    if (this.apiKey) await (this.verified ??= this.verifyServer(this.apiKey));
    return this.fetch(path, init);
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      // No redirects: the key must go to the server that proved it holds it, and only there.
      return await fetch(`${this.baseUrl}${path}`, { ...init, redirect: 'manual' });
    } catch (err) {
      throw new UnreachableError(this.baseUrl, reasonOf(err));
    }
  }

  /**
   * Anyone on the machine can listen on MACS's port while the server is down. Before the key
   * leaves, the server answers a fresh challenge with an HMAC only the key's holder can make;
   * a squatter (or a server with another key) gets nothing from us.
   */
  private async verifyServer(apiKey: string): Promise<void> {
    const challenge = newChallenge();
    const res = await this.fetch('/health', { headers: { [CHALLENGE_HEADER]: challenge }, signal: AbortSignal.timeout(this.timeoutMs) });
    await res.body?.cancel();
    if (proofMatches(apiKey, challenge, res.headers.get(PROOF_HEADER))) return;
    this.verified = null; // a later call may find the real server
    throw new ApiError(401, {
      code: 'UNAUTHORIZED',
      message:
        `The server at ${this.baseUrl} did not prove that it holds this API key, so the key was not sent: ` +
        'either the key is wrong, or the program listening there is not MACS (or a MACS from before this check).',
    });
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await this.send(path, {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Something else is listening on that port.
      throw new ApiError(res.status, { code: 'INTERNAL', message: `Not a MACS server at ${this.baseUrl} (HTTP ${res.status}, not JSON).` });
    }
    if (!res.ok) {
      const payload = (parsed as { error?: ErrorPayload } | null)?.error;
      throw new ApiError(res.status, payload ?? { code: 'INTERNAL', message: `HTTP ${res.status}` });
    }
    return parsed as T;
  }

  /**
   * A binary answer (a zip) written to `file` as it arrives; the server's file name (from
   * Content-Disposition) and the byte count come back. An error answer is JSON, as for request().
   */
  async download(path: string, file: string | ((serverName: string) => string)): Promise<{ file: string; bytes: number }> {
    // No overall timeout: a large zip takes as long as it takes; the connection itself is guarded by fetch.
    const res = await this.send(path, { headers: this.headers() });
    if (!res.ok || !res.body) {
      const payload = ((await res.json().catch(() => null)) as { error?: ErrorPayload } | null)?.error;
      throw new ApiError(res.status, payload ?? { code: 'INTERNAL', message: `HTTP ${res.status}` });
    }
    // A name, never a path: a server (or a proxy) saying filename="../../.bashrc" must not place the file.
    const named = nodePath.basename(/filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1]?.replace(/\\/g, '/') ?? '');
    const serverName = named && named !== '.' && named !== '..' ? named : 'export.zip';
    const target = typeof file === 'string' ? file : file(serverName);
    const partial = `${target}.part`;
    try {
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), fs.createWriteStream(partial));
    } catch (err) {
      fs.rmSync(partial, { force: true });
      throw new UnreachableError(this.baseUrl, `the download broke off (${(err as Error).message})`);
    }
    fs.renameSync(partial, target);
    return { file: target, bytes: fs.statSync(target).size };
  }

  /**
   * The task's events until `done`. A dropped connection is resumed with Last-Event-ID,
   * so the caller sees every event exactly once even across reconnects.
   */
  async *events(taskId: string, lastEventId = 0): AsyncGenerator<StreamEvent> {
    let last = lastEventId;
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(`/v1/stream/${encodeURIComponent(taskId)}`, {
        headers: this.headers({ accept: 'text/event-stream', ...(last > 0 ? { 'last-event-id': String(last) } : {}) }),
      });
      if (!res.ok || !res.body) {
        const payload = ((await res.json().catch(() => null)) as { error?: ErrorPayload } | null)?.error;
        throw new ApiError(res.status, payload ?? { code: 'INTERNAL', message: `HTTP ${res.status}` });
      }
      let sawDone = false;
      try {
        for await (const event of parseSse(res.body)) {
          if (event.id !== null) last = event.id;
          yield event;
          if (event.event === 'done') sawDone = true;
        }
      } catch {
        // A reset mid-stream: resume below.
      }
      if (sawDone) return;
      if (attempt >= RECONNECTS) throw new UnreachableError(this.baseUrl, 'the event stream kept dropping');
      await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
    }
  }
}

/** Minimal SSE parsing: `id`, `event`, one-line JSON `data`; comments (heartbeats) are skipped. */
async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let at: number;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      let id: number | null = null;
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = Number(line.slice(4));
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      // Unnamed events repeat the answer as plain text for the earlier MACS chat UIs; `delta` has it already.
      if (data && event !== 'message') yield { id, event, data: JSON.parse(data) as Record<string, unknown> };
    }
  }
}
