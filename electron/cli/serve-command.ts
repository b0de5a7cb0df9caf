import { createEngine } from '../core/engine/index.js';
import { METRICS_ACCESS, parseMetricsAccess, startServer } from '../server/index.js';
import type { CliContext } from './context.js';

/** 24 characters of a random key are ~140 bits; a word or a pet's name is guessed offline from one leaked stream token. */
const MIN_API_KEY_LENGTH = 24;

/** A sentence for stderr when the API key is too short to stand an offline guess, else null. */
export function weakApiKeyWarning(key: { apiKey: string; source: 'env' | 'file' }): string | null {
  if (key.apiKey.length >= MIN_API_KEY_LENGTH) return null;
  const where = key.source === 'env' ? 'MACS_API_KEY' : 'The key in the data dir\'s "api-key" file';
  return (
    `warning: ${where} is only ${key.apiKey.length} characters. It guards every task, and stream tokens are derived from it, so one leaked ` +
    `stream token lets someone test guesses offline: use at least ${MIN_API_KEY_LENGTH} random characters (e.g. openssl rand -base64 32).`
  );
}

export async function serveCommand(ctx: CliContext, opts: { port: number }): Promise<number> {
  const metrics = parseMetricsAccess(ctx.env.MACS_METRICS);
  if (metrics === null) {
    ctx.stderr(`MACS_METRICS must be one of ${METRICS_ACCESS.join(', ')} (who may read /metrics: key holders, anyone, or nobody); got "${ctx.env.MACS_METRICS}".`);
    return 2;
  }
  const engine = createEngine({ dataDir: ctx.dataDir, host: 'browser', version: ctx.version, ollamaHost: ctx.env.OLLAMA_HOST, monitorOllama: true });
  let server;
  try {
    server = await startServer({ engine, rendererDir: ctx.rendererDir, port: opts.port, rest: { metrics } });
  } catch (err) {
    await engine.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      ctx.stderr(`Port ${opts.port} is already in use. Pick another with --port N or MACS_PORT (0 = any free port).`);
      return 1;
    }
    throw err;
  }
  const status = await engine.invoke('ollama.status', { refresh: true }) as { reachable: boolean; host: string; version: string | null };
  ctx.stdout(`MACS Desktop UI: ${server.url}`);
  ctx.stderr(`data dir: ${engine.dataDir}`);
  const key = engine.apiKey();
  const weak = weakApiKeyWarning(key);
  if (weak) ctx.stderr(weak);
  ctx.stderr(`REST API: http://127.0.0.1:${server.port}/v1  (X-API-Key from ${key.source === 'env' ? 'MACS_API_KEY' : `${engine.dataDir}/api-key`}; try: macs list)`);
  ctx.stderr(status.reachable ? `Ollama ${status.version} at ${status.host}` : `Ollama is not reachable at ${status.host} (set OLLAMA_HOST or change it in Settings); the UI will keep retrying.`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  ctx.stderr('Shutting down…');
  await server.close();
  await engine.close();
  return 0;
}
