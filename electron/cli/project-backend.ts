// Where `macs project` and its turns go: a running `macs serve` (--url, MACS_URL, or one
// answering on the default port), or, with none, the data dir itself. Locally the engine is
// opened here and the same REST API is served to this process alone on a loopback port, so
// both ways run the same routes and print the same thing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, type Engine } from '../core/engine/index.js';
import { createRestApi } from '../server/rest/index.js';
import { ApiClient } from './api-client.js';
import { clientFor, resolveUrl, type ClientOptions } from './client-commands.js';
import type { CliContext } from './context.js';

export interface ProjectBackend {
  client: ApiClient;
  /** local: turns run in this process, so a command that queues one follows it to the end. */
  mode: 'server' | 'local';
  close(): Promise<void>;
}

export interface BackendOptions extends Pick<ClientOptions, 'url' | 'apiKey'> {
  /** Use the data dir even when a server answers. */
  local?: boolean;
}

/** How long to wait for a server on the default port before working on the data dir. */
const PROBE_MS = 700;

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(PROBE_MS), redirect: 'manual' });
    const body = (await res.json().catch(() => null)) as { status?: string } | null;
    return res.ok && body?.status === 'ok';
  } catch {
    return false;
  }
}

async function serveLocally(engine: Engine): Promise<{ url: string; close(): Promise<void> }> {
  const api = createRestApi(engine);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!api.owns(url.pathname)) res.writeHead(404).end();
    else void api.handle(req, res, url);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A server when one is named (--url, MACS_URL, --api-key) or answers on the default port;
 * the data dir otherwise, or with --local.
 */
export async function openProjectBackend(ctx: CliContext, opts: BackendOptions): Promise<ProjectBackend> {
  const named = opts.url !== undefined || ctx.env.MACS_URL !== undefined || opts.apiKey !== undefined;
  if (!opts.local && (named || (await answers(resolveUrl(ctx.env, opts))))) {
    return { client: clientFor(ctx, opts), mode: 'server', close: async () => undefined };
  }
  // runsQueue: false, as `macs run`: only turns queued here run here; a server's queue is left alone.
  const engine = createEngine({ dataDir: ctx.dataDir, host: 'cli', version: ctx.version, ollamaHost: ctx.env.OLLAMA_HOST, runsQueue: false });
  try {
    const served = await serveLocally(engine);
    return {
      client: new ApiClient(served.url, engine.apiKey().apiKey),
      mode: 'local',
      async close() {
        await served.close();
        await engine.close();
      },
    };
  } catch (err) {
    await engine.close();
    throw err;
  }
}
