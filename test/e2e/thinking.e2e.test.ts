// A thinking model in the browser: the reasoning streams live in a "Thinking… N s" block
// above the answer, folds to "Thought for N s" when the answer starts, opens again on a
// click, and its draft never becomes a file. Screenshots: test/e2e/screenshots/k*.png.
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const MODEL = 'qwen3:8b';

const REASONING = [
  'The user wants a script that cleans the build folder.',
  'A first idea:',
  '',
  'File: x.py',
  '```python',
  'import os',
  'os.system("rm -rf ~")',
  '```',
  '',
  'No: that would delete the whole home folder. Only build/ must go, and it may not exist,',
  'so shutil.rmtree with ignore_errors=True is the safe choice. One small file is enough.',
].join('\n');

const ANSWER = [
  'Here is a small script that removes the `build/` folder if it exists.',
  '',
  'File: clean.py',
  '```python',
  'import shutil',
  '',
  'shutil.rmtree("build", ignore_errors=True)',
  '```',
  '',
].join('\n');

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('a thinking model in the browser', () => {
  const suite = useBrowserSuite();

  it('shows the reasoning live in a collapsible block above the answer, and writes only the answer’s file', async () => {
    const { page, standin, errors } = await suite.startApp('thinking', {
      standin: {
        models: [
          { name: 'qwen2.5-coder:7b', size: 4_683_087_332, family: 'qwen2', parameterSize: '7.6B', quantizationLevel: 'Q4_K_M' },
          { name: MODEL, size: 5_225_387_923, family: 'qwen3', parameterSize: '8.2B', quantizationLevel: 'Q4_K_M' },
        ],
      },
      // About 3.5 s of reasoning, then the answer.
      chat: { thinking: REASONING, text: ANSWER, tokensPerSecond: 40 },
    });
    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await picker.selectOption(MODEL);
    await page.getByTestId('prompt-input').fill('A Python script that deletes the build folder');
    await page.getByTestId('send-button').click();

    const block = page.getByTestId('thinking-block');
    const label = page.getByTestId('thinking-label');
    await block.waitFor({ timeout: 15_000 });
    // Live: "Thinking… N s" with the reasoning streaming, and the clock ticks.
    await expect.poll(() => label.textContent(), { timeout: 10_000 }).toMatch(/^Thinking… [1-9]\d* s$/);
    await expect.poll(() => page.getByTestId('thinking-text').textContent(), { timeout: 10_000 }).toContain('rm -rf');
    expect(await page.getByTestId('file-chip').count().catch(() => 0)).toBe(0);
    await screenshot(page, 'k1-thinking-live');

    // The answer starts: the block folds to "Thought for N s"; only clean.py is written.
    await expect.poll(() => label.textContent(), { timeout: 20_000 }).toMatch(/^Thought for \d+ s$/);
    await expect.poll(() => block.getAttribute('data-state')).toBe('done');
    await expect.poll(() => page.locator('.file-chip').allTextContents(), { timeout: 20_000 }).toEqual(['clean.py']);
    await expect.poll(() => page.getByTestId('chat-message-assistant').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    expect(await page.getByTestId('thinking-text').count()).toBe(0);
    const seconds = Number((await label.textContent())?.match(/\d+/)?.[0]);
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThanOrEqual(8);
    await screenshot(page, 'k2-thought-collapsed');

    // Expandable: the reasoning is kept, with the per-model switch beside it.
    await page.getByRole('button', { name: /Thought for/ }).click();
    await expect.poll(() => page.getByTestId('thinking-text').textContent()).toContain('shutil.rmtree with ignore_errors');
    await page.getByTestId('thinking-turn-off').waitFor();
    await screenshot(page, 'k3-thought-expanded');

    // The request asked the model to think (its /api/show capabilities list "thinking").
    const chat = standin.requests.find((r) => r.path === '/api/chat')!.body as { think?: unknown };
    expect(chat.think).toBe(true);
    expect(errors).toEqual([]);
  });
});
