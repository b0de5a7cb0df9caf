import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { MethodResult, Task, TaskEvent, TopicPayload } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';

/** A fresh data dir on disk (real SQLite file, real workspaces). */
export function tempDataDir(label = 'engine'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `macs-${label}-`));
}

export function openEngine(dataDir: string, ollamaHost: string): Engine {
  return createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost });
}

export interface StandinEngine {
  standin: OllamaStandin;
  dataDir: string;
  /** The engine the test opened (closed after it). */
  engine: Engine | null;
}

/** Per test: a fresh Ollama stand-in and data dir; after it the engine is closed and both are removed. */
export function useStandinEngine(): StandinEngine {
  const t = { engine: null } as StandinEngine;
  beforeEach(async () => {
    t.standin = await startOllamaStandin();
    t.dataDir = tempDataDir();
  });
  afterEach(async () => {
    await t.engine?.close().catch(() => undefined);
    t.engine = null;
    await t.standin.close();
    fs.rmSync(t.dataDir, { recursive: true, force: true });
  });
  return t;
}

/** One chat task whose model streams `answer` (from the stand-in): the finished task and its events. */
export async function runChatAnswer(t: StandinEngine, answer: string): Promise<{ final: Task; events: TaskEvent[] }> {
  t.standin.enqueueChat({ text: answer, tokensPerSecond: 5000 });
  t.engine = openEngine(t.dataDir, t.standin.url);
  const rec = recordFrames(t.engine);
  const created = (await t.engine.invoke('tasks.create', { prompt: 'write it', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
  const final = await t.engine.waitForTask(created.task.id);
  return { final, events: rec.events(created.task.id) };
}

/** Collects every task.frame the engine publishes. */
export function recordFrames(engine: Engine): { frames: TopicPayload<'task.frame'>[]; events: (taskId: string) => TaskEvent[] } {
  const frames: TopicPayload<'task.frame'>[] = [];
  engine.onTopic((topic, payload) => {
    if (topic === 'task.frame') frames.push(payload as TopicPayload<'task.frame'>);
  });
  return { frames, events: (taskId) => frames.filter((f) => f.taskId === taskId).flatMap((f) => f.events) };
}

export function deltaText(events: TaskEvent[]): string {
  return events.map((e) => (e.type === 'delta' ? e.data.text : '')).join('');
}

export async function waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A loopback port with nothing listening (for "Ollama is down"). */
export async function closedPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The forms a secret can take in text: raw, URL-encoded, JSON-escaped. */
export function secretForms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

/** Every file under `dir` (SQLite files and their WAL included), relative to it, whose bytes hold `secret` in any of its forms. */
export function filesHoldingSecret(dir: string, secret: string): string[] {
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.isFile() ? [path.join(d, e.name)] : []));
  return walk(dir)
    .filter((f) => secretForms(secret).some((k) => fs.readFileSync(f).includes(Buffer.from(k))))
    .map((f) => path.relative(dir, f));
}
