// `macs serve` for integration tests: a fresh data dir, an engine on the Ollama stand-in,
// and the server on a free port.
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../../electron/core/engine/index.js';
import { startServer, type RunningServer } from '../../electron/server/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, tempDataDir } from './helpers.js';

/** A renderer folder holding only an index.html, for a server under test. */
export function fakeRendererDir(dataDir: string): string {
  const rendererDir = path.join(dataDir, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>MACS</title>');
  return rendererDir;
}

export interface ServedEngine {
  standin: OllamaStandin;
  engine: Engine;
  server: RunningServer;
  dataDir: string;
  /** Server, engine and stand-in closed, data dir removed. */
  close(): Promise<void>;
}

/** `macs serve` as tests see it: a fresh data dir, an engine on the Ollama stand-in, and the server on a free port. */
export async function startServedEngine(label: string): Promise<ServedEngine> {
  const standin = await startOllamaStandin();
  const dataDir = tempDataDir(label);
  const engine = openEngine(dataDir, standin.url);
  const server = await startServer({ engine, rendererDir: fakeRendererDir(dataDir), port: 0 });
  return {
    standin,
    engine,
    server,
    dataDir,
    async close() {
      await server.close();
      await engine.close();
      await standin.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
