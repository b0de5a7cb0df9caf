// Terminal throughput without freezing: 50 MB of `yes` lines in a sandboxed shell →
// node-pty → TerminalManager (coalescing, flow control) → `macs serve` WebSocket → the
// real renderer's xterm pane in Chromium. Measures the time until the last line is on
// screen and the longest gap between two animation frames while it streams (a gap over
// 200 ms is a visible freeze). Target (issue 7): no freeze.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, startMacsServe } from '../test/e2e/helpers.js';
import { startOllamaStandin } from '../test/fixtures/ollama-standin/index.js';
import { callEngine, screenText, startFrameProbe, stopFrameProbe } from '../test/e2e/terminal-helpers.js';

const MB = 1_000_000;

export async function runTerminalBench(opts: { megabytes?: number } = {}): Promise<Record<string, number | boolean | string>> {
  const megabytes = opts.megabytes ?? 50;
  const standin = await startOllamaStandin();
  standin.setDefaultChat({ text: 'File: a.txt\n```\nbench\n```\n', tokensPerSecond: 1000 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-bench-terminal-'));
  const server = await startMacsServe({ dataDir, ollamaHost: standin.url }); // the built one: npm run bench builds first
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Bytes of terminal output the page received, counted on the wire (CDP), not by the app.
    let wireBytes = 0;
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' && payload.startsWith('{"topic":"terminal.output"')) wireBytes += payload.length;
      }),
    );
    await page.goto(server.url);
    await page.evaluate('globalThis.__name = (f) => f'); // tsx keepNames helper, absent in the page
    await callEngine(page, server.url, 'tasks.create', { prompt: 'terminal bench', model: 'qwen2.5-coder:7b' });
    await page.locator(`[data-testid="task-list-item"]`).first().click();
    if ((await page.getByTestId('terminal-panel').getAttribute('data-open')) !== 'true') await page.getByTestId('terminal-toggle').click();
    await page.getByTestId('terminal-new').click();
    await page.waitForFunction(() => /[$#] *$/m.test(document.querySelector('[data-testid="terminal-view"] .xterm-rows')?.textContent ?? ''), null, { timeout: 15_000 });
    await page.getByTestId('terminal-view').click();

    await startFrameProbe(page);
    await page.keyboard.type(`yes 'macs terminal bench: a line of output' | head -c ${megabytes * MB}; echo; echo BENCH-DONE`);
    const started = Date.now();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^BENCH-DONE\s*$/m.test((document.querySelector('[data-testid="terminal-view"] .xterm-rows') as HTMLElement | null)?.innerText ?? ''), null, {
      timeout: 180_000,
      polling: 50,
    });
    const seconds = (Date.now() - started) / 1000;
    const { maxGapMs, frames } = await stopFrameProbe(page);
    const skipped = Number((await page.locator('[data-testid="terminal-view"] .term-host').getAttribute('data-skipped')) ?? 0);
    const lastLines = (await screenText(page)).trim().split('\n').slice(-3).join(' | ');
    return {
      megabytes,
      seconds: +seconds.toFixed(2),
      mbPerSecond: +(megabytes / seconds).toFixed(1),
      wireMegabytes: +(wireBytes / MB).toFixed(1),
      frames,
      avgFps: +(frames / seconds).toFixed(1),
      maxFrameGapMs: +maxGapMs.toFixed(1),
      skippedMegabytes: +(skipped / MB).toFixed(1),
      lastLines,
      meetsNoFreeze: maxGapMs < 200,
    };
  } finally {
    await browser.close();
    await server.stop();
    await standin.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  console.log(JSON.stringify(await runTerminalBench(), null, 2));
}
