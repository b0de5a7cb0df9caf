// The chat's answers as an editor user expects them (issue 18): while the model streams, a
// live tok/s and elapsed time; code blocks highlighted, scrolling sideways, each with Copy;
// "File:" blocks as collapsed file cards (lines, language, Open, Diff) whose path is never
// mangled by markdown; an @-mention pins a project file; a README previews in the editor with
// its project links opening files. Screenshots: test/e2e/screenshots/u3-*.png.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';
import { splitIntoTokens } from '../fixtures/ollama-standin/tokens.js';

const MODEL = 'qwen2.5-coder:7b';

const CODE = Array.from({ length: 36 }, (_, i) =>
  i === 0 ? 'import csv, json' : i === 1 ? '' : `def convert_${i}(path):\n    """Read ${i}."""\n    return [dict(row) for row in csv.DictReader(open(path))]`,
).join('\n');

const ANSWER = [
  'Here is a small converter package. First, how to run it:',
  '',
  '```bash',
  'pip install -e .',
  'echo "converting" && python -m csv2json data.csv --output out.json --pretty --and-a-very-long-option-that-needs-to-scroll-sideways-in-the-chat',
  'for f in *.csv; do python -m csv2json "$f"; done',
  '```',
  '',
  'File: csv2json/__init__.py',
  '```python',
  CODE,
  '```',
  '',
  'File: README.md',
  '```markdown',
  '# csv2json',
  '',
  'Converts CSV files to JSON. The code is in [the package](csv2json/__init__.py); more at [the docs](https://example.com/docs).',
  '',
  '- reads any CSV with a header row',
  '- writes **pretty** JSON',
  '```',
  '',
  'That is all: `__init__.py` holds the converters.',
  '',
].join('\n');

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-1440`);
  await page.setViewportSize({ width: 1024, height: 640 });
  await screenshot(page, `${name}-1024`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('the chat as an editor user expects it', () => {
  const suite = useBrowserSuite();

  it('streams with a live tok/s, shows file cards and code blocks with Copy and side-scroll, previews the README', async () => {
    const { page, errors } = await suite.startApp('workbench-chat', {
      standin: { models: [{ name: MODEL, size: 4_683_087_332, family: 'qwen2', parameterSize: '7.6B', quantizationLevel: 'Q4_K_M' }] },
      chat: { text: ANSWER, tokensPerSecond: 60 },
    });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await picker.selectOption(MODEL);
    await page.getByTestId('prompt-input').fill('A csv2json package with a README');
    await page.getByTestId('send-button').click();

    // Mid-stream: the speed and the elapsed time are live, not only at the end.
    const speed = page.getByTestId('usage-live-speed');
    await expect.poll(() => speed.textContent(), { timeout: 20_000 }).toMatch(/≈ \d+(\.\d)? tok\/s/);
    const tps = Number((await speed.textContent())!.match(/≈ ([\d.]+) tok\/s/)![1]);
    expect(tps).toBeGreaterThan(20);
    expect(tps).toBeLessThan(150);
    await expect.poll(() => page.getByTestId('usage-live-elapsed').textContent()).toMatch(/^\d+ s$/);
    // The growing code block is highlighted as it streams.
    await expect.poll(() => page.locator('.code-block .hljs-string').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(page, 'u3-1-streaming');
    await expect.poll(() => page.getByTestId('file-card').first().getAttribute('data-state'), { timeout: 20_000 }).toBe('writing');
    await screenshot(page, 'u3-2-streaming-file-card');

    await expect.poll(() => page.getByTestId('chat-message-assistant').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    expect(await page.getByTestId('usage-live').count()).toBe(0);
    await page.getByTestId('usage').waitFor();

    // File cards: collapsed, the path intact (no bold "init"), lines and language, none cut off.
    const cards = page.getByTestId('file-card');
    await expect.poll(() => cards.count()).toBe(2);
    expect(await cards.evaluateAll((els) => els.map((e) => [e.getAttribute('data-path'), e.getAttribute('data-state')]))).toEqual([
      ['csv2json/__init__.py', 'written'],
      ['README.md', 'written'],
    ]);
    expect(await cards.first().getByTestId('file-card-meta').textContent()).toBe(`${CODE.split('\n').length} lines · python`);
    expect(await page.locator('.markdown strong', { hasText: /^init$/ }).count()).toBe(0);
    expect(await page.locator('.markdown pre code', { hasText: 'def convert_5' }).count()).toBe(0); // collapsed

    // The bash block: Copy, and a long line scrolls sideways instead of being cut or wrapped.
    const block = page.getByTestId('code-block').first();
    const scroll = block.getByTestId('code-scroll');
    const sizes = await scroll.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, lineHeight: parseFloat(getComputedStyle(el.querySelector('code')!).lineHeight), height: el.querySelector('code')!.clientHeight }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    expect(sizes.height).toBeLessThan(sizes.lineHeight * 3 + 30); // three lines, none wrapped
    expect(await page.getByTestId('code-copy').count()).toBe(3);
    await block.getByTestId('code-copy').click();
    await expect.poll(() => block.getByTestId('code-copy').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('pip install -e .');
    await scroll.evaluate((el) => el.scrollBy(400, 0));
    await shot(page, 'u3-3-answer-done');

    // A file card opens its file in the editor, and shows the turn's change as a diff.
    await cards.first().getByTestId('file-card-open').click();
    await expect.poll(() => page.locator('[data-testid="ws-tab"][data-path="csv2json/__init__.py"]').count(), { timeout: 10_000 }).toBe(1);
    await cards.first().getByTestId('file-card-diff').click();
    await page.getByTestId('diff-head').waitFor({ timeout: 10_000 });
    await shot(page, 'u3-4-file-card-diff');
    await page.getByTestId('diff-close').click();

    // The README previews with the app's Markdown; its project link opens the file.
    await cards.nth(1).getByTestId('file-card-open').click();
    await page.getByTestId('md-preview-toggle').click();
    const preview = page.getByTestId('md-preview');
    await expect.poll(() => preview.locator('h1').textContent(), { timeout: 10_000 }).toBe('csv2json');
    await shot(page, 'u3-5-readme-preview');
    await preview.getByTestId('md-project-link').click();
    await expect.poll(() => page.locator('[data-testid="ws-tab"].active').getAttribute('data-path')).toBe('csv2json/__init__.py');
    // An external link asks first.
    await page.locator('[data-testid="ws-tab"][data-path="README.md"]').click();
    await preview.getByTestId('md-link').click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');

    // "@" in the composer suggests project files; picking one pins it.
    const input = page.getByTestId('prompt-input');
    await input.click();
    await input.pressSequentially('Explain @__ini');
    await page.getByTestId('mention-menu').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('mention-option').first().getAttribute('data-path')).toBe('csv2json/__init__.py');
    await shot(page, 'u3-6-mention');
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('Explain @csv2json/__init__.py ');
    await expect.poll(() => page.locator('[data-testid="composer-chip"][data-kind="pinned"]').count()).toBe(1);
    expect(await page.getByTestId('chat-message-assistant').count()).toBe(1); // Enter picked, did not send
    // The context list says why each file is in it, in words.
    await expect.poll(() => page.getByTestId('context-toggle').isEnabled(), { timeout: 15_000 }).toBe(true);
    if ((await page.getByTestId('context-toggle').getAttribute('aria-expanded')) !== 'true') await page.getByTestId('context-toggle').click();
    await expect.poll(() => page.getByTestId('context-reason').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const reasons = await page.getByTestId('context-reason').allTextContents();
    expect(reasons[0]).toBe('pinned');
    for (const r of reasons) expect(r).not.toMatch(/score|lines \d/);
    await shot(page, 'u3-6b-context-reasons');

    // The other theme ("follow the system"): code and cards stay readable.
    await input.fill('');
    await page.emulateMedia({ colorScheme: 'dark' });
    await cards.first().getByTestId('file-card-toggle').click();
    await page.getByTestId('code-block').first().scrollIntoViewIfNeeded();
    await shot(page, 'u3-7-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await shot(page, 'u3-8-light');
    expect(errors).toEqual([]);
  });

  it('a stopped answer keeps its paths and only the unfinished file is "cut off"; no "Was this useful?"', async () => {
    // The stream hangs in the middle of the README (after csv2json/__init__.py is complete); then Stop.
    const tokens = splitIntoTokens(ANSWER);
    let chars = 0;
    let hangAt = 0;
    const mid = ANSWER.indexOf('Converts CSV files') + 10;
    while (chars < mid) chars += tokens[hangAt++].length;
    const { page, errors } = await suite.startApp('workbench-chat-stop', {
      standin: { models: [{ name: MODEL, size: 4_683_087_332, family: 'qwen2', parameterSize: '7.6B', quantizationLevel: 'Q4_K_M' }] },
      chat: { text: ANSWER, tokensPerSecond: 400, hangAfterTokens: hangAt },
    });
    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await picker.selectOption(MODEL);
    await page.getByTestId('prompt-input').fill('A csv2json package with a README');
    await page.getByTestId('send-button').click();
    const cards = page.getByTestId('file-card');
    await expect.poll(() => cards.count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => cards.nth(1).getAttribute('data-state')).toBe('writing');
    await page.getByTestId('cancel-button').click();
    await expect.poll(() => page.getByTestId('chat-message-assistant').getAttribute('data-status'), { timeout: 20_000 }).toBe('cancelled');

    expect(await cards.evaluateAll((els) => els.map((e) => [e.getAttribute('data-path'), e.getAttribute('data-state')]))).toEqual([
      ['csv2json/__init__.py', 'written'],
      ['README.md', 'cut-off'],
    ]);
    expect(await page.locator('.markdown strong', { hasText: /^init$/ }).count()).toBe(0);
    expect(await page.getByTestId('feedback').count()).toBe(0);
    await shot(page, 'u3-9-stopped');
    expect(errors).toEqual([]);
  });
});
