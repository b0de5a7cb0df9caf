// Streaming: stand-in at 5,000 tokens/s for 20 s → `macs serve` (child process: engine,
// coalescer, SQLite, WebSocket) → a WebSocket client inside a real Chromium page.
// Measures: every token arrives (count + text), delay per token from the stand-in's
// write to the page's receipt (both clocks are performance.timeOrigin + now() on one
// machine), and frames per second on the wire for the task.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, startMacsServe } from '../test/e2e/helpers.js';
import { startOllamaStandin } from '../test/fixtures/ollama-standin/index.js';
import { startOpenAIStandin, type OpenAIStandin } from '../test/fixtures/openai-standin/index.js';


function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * `provider: 'openai'` streams the same tokens from the OpenAI-compatible stand-in (SSE chunks,
 * an LM Studio-like server configured as a provider) instead of Ollama's NDJSON: issue 17's
 * target is that it reaches the page as completely and as fast.
 */
export async function runStreamBench(opts: { tokensPerSecond?: number; seconds?: number; provider?: 'ollama' | 'openai' } = {}): Promise<Record<string, number | boolean | string>> {
  const tps = opts.tokensPerSecond ?? 5000;
  const viaOpenAI = opts.provider === 'openai';
  const seconds = opts.seconds ?? 20;
  const count = tps * seconds;
  // Token i is "<base36 i> " so the receiver can tell which tokens a frame completed.
  const tokens = Array.from({ length: count }, (_, i) => `${i.toString(36)} `);
  const expectedText = tokens.join('');
  const sentAt = new Float64Array(count);
  const standin = await startOllamaStandin();
  let openai: OpenAIStandin | null = null;
  if (viaOpenAI) {
    openai = await startOpenAIStandin({ flavour: 'lmstudio', models: [{ id: 'bench-model', contextLength: 1_048_576, loadedContextLength: 1_048_576 }] });
    openai.setDefaultChat({ tokens, tokensPerSecond: tps, onToken: (i, _t, at) => (sentAt[i] = at) });
  } else {
    standin.setDefaultChat({ tokens, tokensPerSecond: tps, onToken: (i, _t, at) => (sentAt[i] = at) });
  }
  const providerSetup = openai
    ? { providers: [{ id: 'lmstudio', kind: 'openai', label: 'LM Studio', enabled: true, baseUrl: openai.baseUrl, model: 'bench-model', apiKeyEnv: null, contextLength: null }] }
    : null;
  const model = openai ? '@lmstudio/bench-model' : 'qwen2.5-coder:7b';

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-bench-stream-'));
  const server = await startMacsServe({ dataDir, ollamaHost: standin.url });
  const url = server.url;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    // tsx (esbuild keepNames) wraps functions in __name(); give the page a no-op one.
    await page.evaluate('globalThis.__name = (f) => f');
    const wsUrl = url.replace(/^http/, 'ws').replace('/?token=', '/ws?token=');
    const result = await page.evaluate(
      async ({ wsUrl, timeoutMs, numCtx, providerSetup, model }) => {
        const ws = new WebSocket(wsUrl);
        await new Promise((r) => (ws.onopen = r));
        let id = 0;
        const call = (method: string, params: unknown) =>
          new Promise<{ task: { id: string } }>((resolve) => {
            const myId = ++id;
            const onMsg = (ev: MessageEvent) => {
              const msg = JSON.parse(ev.data);
              if (msg.id === myId) {
                ws.removeEventListener('message', onMsg);
                resolve(msg.result);
              }
            };
            ws.addEventListener('message', onMsg);
            ws.send(JSON.stringify({ id: myId, method, params }));
          });
        const recvTimes: number[] = [];
        const frameTimes: number[] = [];
        let text = '';
        let taskId = '';
        let lastSeq = 0;
        let seqGaps = 0;
        const done = new Promise<void>((resolve) => {
          ws.addEventListener('message', (ev) => {
            const msg = JSON.parse(ev.data);
            if (msg.topic !== 'task.frame' || (taskId && msg.payload.taskId !== taskId)) return;
            const now = performance.timeOrigin + performance.now();
            frameTimes.push(now);
            for (const e of msg.payload.events) {
              if (e.seq !== lastSeq + 1) seqGaps++;
              lastSeq = e.seq;
              if (e.type === 'delta') {
                text += e.data.text;
                for (let i = 0; i < e.data.text.length; i++) if (e.data.text.charCodeAt(i) === 32) recvTimes.push(now);
              }
              if (e.type === 'status' && ['succeeded', 'failed', 'cancelled'].includes(e.data.status)) resolve();
            }
          });
        });
        // A window that holds the whole answer: with "shift": false a longer answer would stop at num_ctx (and be continued).
        if (providerSetup) await call('providers.update', providerSetup);
        const created = await call('tasks.create', { prompt: 'bench', model, numCtx });
        taskId = created.task.id;
        await Promise.race([done, new Promise((r) => setTimeout(r, timeoutMs))]);
        ws.close();
        return { text, recvTimes, frameTimes, seqGaps };
      },
      // A window that holds the whole answer: with "shift": false a longer answer stops at num_ctx (and is continued).
      { wsUrl, timeoutMs: (seconds + 30) * 1000, numCtx: Math.min(1_048_576, 2 ** Math.ceil(Math.log2(count + 1024))), providerSetup, model },
    );

    const received = result.recvTimes.length;
    const delays = result.recvTimes.map((t, i) => t - sentAt[i]).sort((a, b) => a - b);
    // Frames per second: the busiest 1-second window.
    let maxFps = 0;
    for (let i = 0, j = 0; i < result.frameTimes.length; i++) {
      while (result.frameTimes[i] - result.frameTimes[j] > 1000) j++;
      maxFps = Math.max(maxFps, i - j + 1);
    }
    const spanS = (result.frameTimes.at(-1)! - result.frameTimes[0]) / 1000;
    return {
      provider: viaOpenAI ? 'openai-compatible (SSE)' : 'ollama (NDJSON)',
      tokensPerSecond: tps,
      seconds,
      tokensSent: count,
      tokensReceived: received,
      textMatches: result.text === expectedText,
      seqGaps: result.seqGaps,
      p50DelayMs: +percentile(delays, 50).toFixed(2),
      p99DelayMs: +percentile(delays, 99).toFixed(2),
      maxDelayMs: +delays.at(-1)!.toFixed(2),
      frames: result.frameTimes.length,
      avgFramesPerSecond: +(result.frameTimes.length / spanS).toFixed(1),
      maxFramesPerSecond: maxFps,
      meetsAllTokens: received === count && result.text === expectedText,
      meetsP99: percentile(delays, 99) < 50,
      meetsFrameRate: maxFps <= 62,
    };
  } finally {
    await browser.close();
    await server.stop();
    await standin.close();
    await openai?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Issue 17: the same stream from Ollama and from an OpenAI-compatible server, in one run (ratios, not absolutes, on a noisy machine). */
export async function runProviderStreamBench(): Promise<Record<string, unknown>> {
  const ollama = await runStreamBench({ provider: 'ollama' });
  const openai = await runStreamBench({ provider: 'openai' });
  return {
    ollama,
    openai,
    p99RatioOpenAIToOllama: +((openai.p99DelayMs as number) / Math.max(0.01, ollama.p99DelayMs as number)).toFixed(2),
    meetsAllTokens: openai.meetsAllTokens === true && ollama.meetsAllTokens === true,
    meetsP99: openai.meetsP99 === true,
  };
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  console.log(JSON.stringify(await runStreamBench(), null, 2));
}
