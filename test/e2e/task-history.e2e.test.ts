// Task history end to end: the durable queue as the UI shows it. A failed task with its
// error in the timeline, Retry (a second attempt), automatic retries with backoff,
// cancelling a long generation from the detail view, queue positions and the status filter.
// Real `macs serve` + real renderer in Chromium + the Ollama stand-in.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite, type E2eApp } from './suite.js';

const MODEL = 'qwen2.5-coder:7b';
const GOOD = [
  'A tiny greeting script.',
  '',
  'File: hello.py',
  '```python',
  'def greet(name: str) -> str:',
  '    return f"Hello, {name}!"',
  '',
  '',
  'if __name__ == "__main__":',
  '    print(greet("world"))',
  '```',
  '',
  'Run it with `python hello.py`.',
  '',
].join('\n');
const LONG = `Here is a long answer.\n\nFile: long.txt\n\`\`\`\n${'lorem ipsum dolor sit amet '.repeat(400)}\n\`\`\`\n`;
const NOT_FOUND = { status: 404, message: `model "${MODEL}" not found, try pulling it first` };

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('task history, retry and cancel in the browser', () => {
  const suite = useBrowserSuite();

  async function setUp(label: string, extraEnv?: Record<string, string>): Promise<E2eApp> {
    const app = await suite.startApp(label, { chat: { text: GOOD, tokensPerSecond: 400 }, env: extraEnv });
    const picker = app.page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await picker.selectOption(MODEL);
    return app;
  }

  /** A new project for each prompt (New project, then send): its one turn is the conversation's last. */
  async function send(page: Page, prompt: string): Promise<void> {
    await page.getByTestId('new-project-button').click();
    await page.getByTestId('prompt-input').fill(prompt);
    await page.getByTestId('send-button').click();
    await page.getByTestId('chat-message-assistant').waitFor({ timeout: 10_000 });
  }

  const assistantStatus = (page: Page) => page.getByTestId('chat-message-assistant').getAttribute('data-status');
  /** The selected project's latest turn in the conversation (status, timing, attempts, its actions). */
  const lastTurn = (page: Page) => page.getByTestId('turn').last();
  const selectedProject = (page: Page) => page.locator('[data-testid="project-list-item"][aria-selected="true"]');
  const attemptRows = (page: Page) => page.getByTestId('attempt-row');

  it('shows a failed task with its error in the timeline; Retry runs attempt 2 and it succeeds', async () => {
    const { standin, page, errors } = await setUp('history-retry');
    standin.enqueueChat({ error: NOT_FOUND }); // not transient: no automatic retry

    await send(page, 'A greeting script in Python');
    await expect.poll(() => assistantStatus(page), { timeout: 15_000 }).toBe('failed');
    const item = lastTurn(page);
    await expect.poll(() => item.getAttribute('data-status')).toBe('failed');
    expect(await item.innerText()).toContain('Failed');
    expect(await item.innerText()).toContain(MODEL);
    await expect.poll(() => selectedProject(page).getAttribute('data-state')).toBe('FAILED');
    await expect.poll(() => page.getByTestId('notice-status').innerText()).toContain(`Model ${MODEL} is not installed`);
    expect(await page.getByTestId('retry-button').count()).toBe(1);
    expect(await page.getByTestId('cancel-button').count()).toBe(0);

    // The detail view: facts, one failed attempt, the error in the timeline.
    await page.getByTestId('tab-timeline').click();
    const detail = page.getByTestId('task-detail');
    await detail.waitFor();
    await expect.poll(() => page.getByTestId('fact-attempts').innerText()).toContain('1 of');
    await expect.poll(() => attemptRows(page).count()).toBe(1);
    expect(await attemptRows(page).first().getAttribute('data-outcome')).toBe('failed');
    expect(await page.getByTestId('attempt-error').first().innerText()).toContain('model not installed');
    const timelineError = page.getByTestId('timeline-error');
    await expect.poll(() => timelineError.count()).toBe(1);
    expect(await timelineError.innerText()).toContain('MODEL_NOT_FOUND');
    expect(await timelineError.innerText()).toContain(`ollama pull ${MODEL}`);
    expect(await page.getByTestId('detail-error').innerText()).toContain(`Model ${MODEL} is not installed`);
    await screenshot(page, 'h1-failed-timeline');

    // Retry from the detail view: the stand-in now answers (its default script).
    await page.getByTestId('retry-button').click();
    await expect.poll(() => page.getByTestId('task-facts').locator('[data-testid="status-badge"]').getAttribute('data-status'), { timeout: 15_000 }).toBe(
      'succeeded',
    );
    await expect.poll(() => attemptRows(page).count(), { timeout: 10_000 }).toBe(2);
    expect(await attemptRows(page).nth(0).getAttribute('data-outcome')).toBe('failed');
    expect(await attemptRows(page).nth(1).getAttribute('data-outcome')).toBe('succeeded');
    await expect.poll(() => page.getByTestId('timeline-attempt').allInnerTexts()).toEqual(['Attempt 1', 'Attempt 2']);
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline).toContain('manual retry');
    expect(timeline).toMatch(/streamed [\d,]+ chars/);
    expect(timeline).toContain('wrote hello.py');
    expect(timeline).toContain('tok/s');
    expect(await page.getByTestId('fact-attempts').innerText()).toContain('2 of');
    await screenshot(page, 'h2-retried-timeline');

    // The chat: attempt 1 folded away, a divider, attempt 2's answer; files rewritten.
    await page.getByTestId('tab-chat').click();
    await expect.poll(() => assistantStatus(page)).toBe('succeeded');
    expect(await page.getByTestId('attempt-divider').innerText()).toBe('Attempt 2 — retried by hand after: model not installed');
    expect(await page.getByTestId('previous-attempt').innerText()).toContain('Attempt 1');
    expect(await page.getByTestId('chat-message-assistant').locator('.markdown').innerText()).toContain('Run it with');
    await page.locator('[data-testid="ws-tree-row"][data-path="hello.py"]').waitFor();
    expect(await lastTurn(page).getAttribute('data-status')).toBe('succeeded');
    expect(await lastTurn(page).getByTestId('task-attempts').innerText()).toBe('×2');
    await expect.poll(() => selectedProject(page).getAttribute('data-state')).toBe('READY');

    // Feedback: thumbs up, then a comment.
    await page.getByTestId('feedback-up').click();
    await expect.poll(() => page.getByTestId('feedback').innerText()).toContain('Thanks');
    await page.getByTestId('feedback-comment-open').click();
    await page.getByTestId('feedback-comment').fill('Retry worked fine');
    await page.getByTestId('feedback-comment-send').click();
    await expect.poll(() => page.getByTestId('feedback').innerText()).toContain('comment saved');
    await screenshot(page, 'h3-retried-chat');
    expect(errors).toEqual([]);
  });

  it('retries transient faults with backoff (countdown, divider), then fails after max attempts; settings show the API key', async () => {
    const { standin, page, errors } = await setUp('history-backoff');

    // Settings: the REST API key (masked, revealable, with a curl line) and the queue limits.
    await page.getByTestId('settings-button').click();
    const dialog = page.getByTestId('settings-dialog');
    await dialog.waitFor();
    const key = page.getByTestId('api-key-value');
    await key.waitFor({ timeout: 5_000 });
    expect(await key.innerText()).toContain('•');
    expect(await page.getByTestId('api-key-source').innerText()).toContain('stored in the data directory');
    await page.getByTestId('api-key-reveal').click();
    const revealed = await key.innerText();
    expect(revealed).not.toContain('•');
    expect(revealed.length).toBeGreaterThanOrEqual(16);
    expect(await page.getByTestId('api-curl').innerText()).toContain(`X-API-Key: ${revealed}`);
    expect(await page.getByTestId('api-curl').innerText()).toContain(`${new URL(page.url()).origin}/v1/tasks`);
    expect(await page.getByTestId('settings-max-attempts').inputValue()).toBe('3');
    await page.getByTestId('settings-max-attempts').fill('2');
    await page.getByTestId('settings-max-per-model').fill('1');
    // keep_alive (sent with every build call): 30 min by default, editable, kept.
    expect(await page.getByTestId('settings-keep-alive').inputValue()).toBe('30');
    await page.getByTestId('settings-keep-alive').fill('45');
    await screenshot(page, 'h4-settings');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByTestId('settings-button').click();
    await dialog.waitFor();
    expect(await page.getByTestId('settings-keep-alive').inputValue()).toBe('45');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    standin.enqueueChat({ error: { status: 500, message: 'boom' } });
    standin.enqueueChat({ error: { status: 500, message: 'boom' } });
    await send(page, 'A Go tool that finds duplicate files');

    // Between the attempts the task is queued with a backoff: the badge counts down. The
    // window is short (≤ 1 s), so sample quickly; the assertions below do not depend on it.
    const started = Date.now();
    let sawCountdown = false;
    while (Date.now() - started < 10_000) {
      const retrying = page.locator('[data-testid="status-badge"][data-variant="retrying"]');
      if ((await retrying.count()) > 0) {
        sawCountdown = true;
        expect(await retrying.first().innerText()).toMatch(/Retrying in \d+ s/);
        await screenshot(page, 'h5-retrying');
        break;
      }
      if ((await assistantStatus(page)) === 'failed') break;
      await page.waitForTimeout(30);
    }
    console.log(`retry countdown ${sawCountdown ? 'seen' : 'not caught (backoff shorter than the sampling)'}`);

    await expect.poll(() => assistantStatus(page), { timeout: 20_000 }).toBe('failed');
    expect(await page.getByTestId('chat-message-assistant').getAttribute('data-attempt')).toBe('2');
    // The task failed on its last attempt: the divider no longer says "retrying" (issue 13 §4).
    expect(await page.getByTestId('attempt-divider').innerText()).toBe('Attempt 2 (the last) — a retry after: Ollama answered 500: boom');
    const prev = page.getByTestId('previous-attempt');
    expect(await prev.innerText()).toContain('Attempt 1 — failed: Ollama answered 500: boom');
    await prev.locator('button').click();
    await expect.poll(() => prev.getByTestId('notice-retry').innerText()).toMatch(/Attempt 1 failed: Ollama returned an error\.\s+Retrying in/);
    expect(await page.getByTestId('notice-status').last().innerText()).toContain('Ollama returned an error');
    expect(standin.requests.filter((r) => r.path === '/api/chat')).toHaveLength(2);

    await page.getByTestId('tab-timeline').click();
    await expect.poll(() => attemptRows(page).count(), { timeout: 10_000 }).toBe(2);
    expect(await attemptRows(page).nth(0).getAttribute('data-outcome')).toBe('retrying');
    expect(await attemptRows(page).nth(1).getAttribute('data-outcome')).toBe('failed');
    expect(await page.getByTestId('fact-attempts').innerText()).toContain('2 of 2');
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline).toMatch(/→ queued\s+attempt 1\s+retry\s+retry in \d+ (ms|s)/);
    expect(timeline).toContain('Ollama answered 500: boom');
    expect(await page.getByTestId('timeline-error').count()).toBe(2);
    await screenshot(page, 'h6-backoff-timeline');

    // The curl line from Settings works: a task created over REST shows up in the history live.
    const created = await fetch(`${new URL(page.url()).origin}/v1/tasks`, {
      method: 'POST',
      headers: { 'X-API-Key': revealed, 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: 'Submitted by a script' }),
    });
    expect(created.status).toBe(201);
    const { task_id: restId } = (await created.json()) as { task_id: string };
    expect(restId).toBeTruthy();
    // It is a new project: its row appears in the sidebar live and becomes READY.
    const restItem = page.getByTestId('project-list-item').filter({ hasText: 'Submitted by a script' });
    await expect.poll(() => restItem.getAttribute('data-state'), { timeout: 15_000 }).toBe('READY');
    await restItem.click();
    await expect.poll(() => page.locator(`[data-testid="turn"][data-task-id="${restId}"]`).getAttribute('data-status')).toBe('succeeded');
    expect(errors).toEqual([]);
  });

  it('cancels a long generation from the detail view, shows queue positions, and searches the projects', async () => {
    const { standin, page, errors } = await setUp('history-cancel', { MACS_API_KEY: 'e2e-key-from-the-environment' });

    // The key from the environment wins, and Settings says where it came from.
    await page.getByTestId('settings-button').click();
    await page.getByTestId('api-key-reveal').click();
    await expect.poll(() => page.getByTestId('api-key-value').innerText()).toBe('e2e-key-from-the-environment');
    expect(await page.getByTestId('api-key-source').innerText()).toContain('From MACS_API_KEY');
    await page.keyboard.press('Escape');

    // A failed task for the filter.
    standin.enqueueChat({ error: NOT_FOUND });
    await send(page, 'A failing task');
    await expect.poll(() => assistantStatus(page), { timeout: 15_000 }).toBe('failed');

    // A slow generation, and a second task queued behind it (one generation per model).
    standin.enqueueChat({ text: LONG, tokensPerSecond: 20 });
    await send(page, 'A slow answer to cancel');
    await expect.poll(() => assistantStatus(page), { timeout: 15_000 }).toBe('running');
    const slowProject = await selectedProject(page).getAttribute('data-project-id');
    const slowId = await lastTurn(page).getAttribute('data-task-id');
    await send(page, 'A task that waits its turn');
    const waitingProject = await selectedProject(page).getAttribute('data-project-id');
    expect(waitingProject).not.toBe(slowProject);
    const waiting = page.locator(`[data-testid="turn"][data-task-id="${await lastTurn(page).getAttribute('data-task-id')}"]`);
    await expect.poll(() => waiting.getAttribute('data-status')).toBe('queued');
    await expect.poll(() => waiting.getByTestId('task-duration').innerText()).toBe('#1 in queue');
    expect(await page.getByTestId('waiting').innerText()).toContain('Queued');
    const projectRow = (id: string | null) => page.locator(`[data-testid="project-list-item"][data-project-id="${id}"]`);

    // The slow turn's project: its running time grows in the conversation, and the detail view updates live.
    await projectRow(slowProject).click();
    const slow = page.locator(`[data-testid="turn"][data-task-id="${slowId}"]`);
    await expect.poll(() => slow.getAttribute('data-status'), { timeout: 10_000 }).toBe('running');
    const elapsed1 = await slow.getByTestId('task-duration').innerText();
    await expect.poll(() => slow.getByTestId('task-duration').innerText(), { timeout: 5_000 }).not.toBe(elapsed1);
    await page.getByTestId('tab-timeline').click();
    const stream = page.locator('[data-testid="timeline-row"][data-kind="stream"]');
    await stream.waitFor({ timeout: 10_000 });
    const chars = async () => Number(/streamed ([\d,]+) chars/.exec(await stream.innerText())?.[1].replace(/,/g, '') ?? 0);
    const first = await chars();
    await expect.poll(chars, { timeout: 10_000 }).toBeGreaterThan(first);
    expect(await page.getByTestId('status-queue').innerText()).toBe('1 running · 1 queued');
    await screenshot(page, 'h7-running-detail');

    const t0 = Date.now();
    await page.getByTestId('cancel-button').click();
    await standin.waitForAbort(5_000);
    await expect.poll(() => page.getByTestId('task-facts').locator('[data-testid="status-badge"]').getAttribute('data-status'), { timeout: 5_000 }).toBe(
      'cancelled',
    );
    expect(Date.now() - t0, 'cancel reached the stream quickly').toBeLessThan(5_000);
    await expect.poll(() => attemptRows(page).first().getAttribute('data-outcome')).toBe('cancelled');
    expect(await page.getByTestId('retry-button').count()).toBe(1);
    await expect.poll(() => page.getByTestId('timeline').innerText()).toContain('→ stopped');

    // The queued turn (another project) runs next and finishes (the default fast answer): its row says so.
    await expect.poll(() => projectRow(waitingProject).getAttribute('data-state'), { timeout: 15_000 }).toBe('READY');

    // The sidebar lists projects and finds them by name.
    const items = page.getByTestId('project-list-item');
    const search = page.getByTestId('project-search');
    expect(await items.count()).toBe(3);
    await search.fill('failing');
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().innerText()).toContain('A failing task');
    expect(await items.first().getAttribute('data-state')).toBe('FAILED');
    await screenshot(page, 'h8-search');
    await search.fill('no such project');
    await expect.poll(() => page.getByTestId('project-list-empty').innerText()).toContain('No project matches');
    await search.fill('');
    await expect.poll(() => items.count()).toBe(3);

    // A project that starts is listed live, at work; Stop ends its turn.
    standin.enqueueChat({ text: LONG, tokensPerSecond: 40 });
    await send(page, 'Another slow one');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(4);
    await expect.poll(() => selectedProject(page).getAttribute('data-state'), { timeout: 10_000 }).toMatch(/^(CODING|PLANNING)$/);
    await page.getByTestId('cancel-button').click();
    await expect.poll(() => lastTurn(page).getAttribute('data-status'), { timeout: 10_000 }).toBe('cancelled');
    expect(errors).toEqual([]);
  });
});
