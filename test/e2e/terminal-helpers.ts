// Page-side helpers for the terminal tests and the terminal benchmark.
import type { Page } from 'playwright-core';

/** What xterm's DOM renderer shows in the visible rows (non-breaking spaces normalised). */
export async function screenText(page: Page): Promise<string> {
  const rows = page.locator('[data-testid="terminal-view"] .xterm-rows');
  if ((await rows.count()) === 0) return '';
  return (await rows.innerText()).replace(/\u00a0/g, ' ');
}

/** Start counting animation frames and the longest gap between two. */
export async function startFrameProbe(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const probe = { start: performance.now(), last: performance.now(), maxGapMs: 0, frames: 0, running: true, gaps: [] };
    globalThis.__frameProbe = probe;
    const tick = (now) => {
      if (!probe.running) return;
      const gap = now - probe.last;
      if (gap > 50) probe.gaps.push([Math.round(now - probe.start), Math.round(gap)]);
      probe.maxGapMs = Math.max(probe.maxGapMs, gap);
      probe.last = now;
      probe.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
}

/** Stop the probe: the longest gap, the frame count, and the gaps over 50 ms as [ms since start, gap ms]. */
export async function stopFrameProbe(page: Page): Promise<{ maxGapMs: number; frames: number; longGaps: [number, number][] }> {
  return page.evaluate(`(() => {
    const probe = globalThis.__frameProbe;
    probe.running = false;
    return { maxGapMs: probe.maxGapMs, frames: probe.frames, longGaps: probe.gaps };
  })()`);
}

/** One contract call over a second WebSocket from inside the page (what a script or the pipeline would do). */
export async function callEngine<T>(page: Page, uiUrl: string, method: string, params: unknown): Promise<T> {
  const token = new URL(uiUrl).searchParams.get('token') ?? '';
  const wsUrl = uiUrl.replace(/^http/, 'ws').replace(/\/\?.*$/, `/ws?token=${encodeURIComponent(token)}`);
  return page.evaluate(
    `(async ({ wsUrl, method, params }) => {
      const ws = new WebSocket(wsUrl);
      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
      const answer = await new Promise((resolve) => {
        ws.onmessage = (ev) => {
          const msg = JSON.parse(ev.data);
          if (msg.id === 1) resolve(msg);
        };
        ws.send(JSON.stringify({ id: 1, method, params }));
      });
      ws.close();
      if (answer.error) throw new Error(answer.error.code + ': ' + answer.error.message);
      return answer.result;
    })(${JSON.stringify({ wsUrl, method, params })})`,
  ) as Promise<T>;
}
