// Readiness by probing, not by reading stdout: a run is ready once its port answers HTTP
// (any status: a 404 or a 500 is still a server). Probed every ~100 ms until the app
// answers, its process ends first (crashed), or the timeout passes (never opened a port).
import http from 'node:http';
import type net from 'node:net';

export const READY_TIMEOUT_MS = 30_000;
export const PROBE_INTERVAL_MS = 100;
const PROBE_REQUEST_TIMEOUT_MS = 2_000;

/** Where to probe: the relay's unix socket, a connection the caller opens (a bridge socket), or the preview's URL. */
export type ProbeTarget = { socketPath: string } | { url: string } | { connect: () => net.Socket | null };

/** One GET /; true on any HTTP answer. A connection the bridge closes (nothing listens yet) is no answer. */
export function httpAnswers(target: ProbeTarget): Promise<boolean> {
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    if ('url' in target) req = http.get(target.url, { agent: false });
    else if ('socketPath' in target) req = http.get({ socketPath: target.socketPath, path: '/', headers: { host: '127.0.0.1' }, agent: false });
    else {
      const socket = target.connect();
      if (!socket) return resolve(false);
      // No `agent` here: with agent: false, Node ignores createConnection.
      req = http.get({ createConnection: () => socket, path: '/', headers: { host: '127.0.0.1', connection: 'close' } });
    }
    req.setTimeout(PROBE_REQUEST_TIMEOUT_MS, () => req.destroy());
    req.once('response', (res) => {
      res.resume();
      resolve(true);
    });
    req.once('error', () => resolve(false));
    req.once('close', () => resolve(false));
  });
}

export type Readiness = 'ready' | 'exited' | 'timeout' | 'aborted';

export interface WaitReadyOptions {
  probe: () => Promise<boolean>;
  /** The process ended: stop probing (crashed, or a command that was not a server). */
  hasExited: () => boolean;
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

export async function waitReady(opts: WaitReadyOptions): Promise<Readiness> {
  const deadline = Date.now() + (opts.timeoutMs ?? READY_TIMEOUT_MS);
  const interval = opts.intervalMs ?? PROBE_INTERVAL_MS;
  for (;;) {
    if (opts.signal?.aborted) return 'aborted';
    if (opts.hasExited()) return 'exited';
    if (await opts.probe()) return opts.signal?.aborted ? 'aborted' : 'ready';
    if (opts.hasExited()) return 'exited';
    if (Date.now() >= deadline) return 'timeout';
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** The NO_PORT sentence: what was waited for, and where to look. */
export function noPortReason(timeoutMs: number, command: string): string {
  return `\`${command}\` never opened a port: nothing answered HTTP within ${Math.round(timeoutMs / 1000)} s (it should listen on $PORT, or any port, on 127.0.0.1). The last lines of its output are below.`;
}

export function crashedReason(command: string, exitCode: number | null, signal: string | null): string {
  const how = exitCode !== null ? `exited with code ${exitCode}` : `was killed by ${signal ?? 'a signal'}`;
  return `\`${command}\` ${how} before it answered HTTP. The last lines of its output are below.`;
}
