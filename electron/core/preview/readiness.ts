// Readiness by probing, not by reading stdout: a run is ready once its port answers HTTP
// (any status: a 404 or a 500 is still a server). Probed every ~100 ms until the app
// answers, its process ends first (crashed), or the timeout passes (never opened a port).
import http from 'node:http';

export const READY_TIMEOUT_MS = 30_000;
export const PROBE_INTERVAL_MS = 100;
const PROBE_REQUEST_TIMEOUT_MS = 2_000;

/** Where to probe: the bridge's unix socket (an app inside the sandbox) or the preview's URL. */
export type ProbeTarget = { socketPath: string } | { url: string };

/** One GET /; true on any HTTP answer. A connection the bridge closes (nothing listens yet) is no answer. */
export function httpAnswers(target: ProbeTarget): Promise<boolean> {
  return new Promise((resolve) => {
    const options: http.RequestOptions = 'socketPath' in target ? { socketPath: target.socketPath, path: '/', headers: { host: '127.0.0.1' } } : {};
    const req = 'url' in target ? http.get(target.url, { agent: false }) : http.get({ ...options, agent: false });
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
