// Tour of every providers screen as a developer who wants local, private code generation sees it
// (three providers: LM Studio with a key, llama-server down, Anthropic cloud), with the rough edges
// found in those screenshots checked here.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startAnthropicStandin } from '../fixtures/anthropic-standin/index.js';
import { startOpenAIStandin } from '../fixtures/openai-standin/index.js';
import { adder, answer, approve } from '../fixtures/build-scripts.js';
import path from 'node:path';
import { chromiumAvailable, closedPort, screenshot, SCREENSHOT_DIR } from './helpers.js';
import { addProvider, closeSettings, openProviders } from './providers-helpers.js';
import { useBrowserSuite } from './suite.js';

const LM_KEY = 'lm-tour-KEY-0123456789-abcd';
const LONG_MODEL = 'qwen2.5-coder-32b-instruct-q4_k_m-gguf-with-a-very-long-name-from-huggingface';


/** Elements of the Settings dialog that scroll sideways (a long model name or URL must not cause one). */
function sidewaysScrollers(page: Page, root = '[data-testid="settings-dialog"]'): Promise<string[]> {
  return page.evaluate((r) =>
    [...document.querySelectorAll(`${r}, ${r} *`)]
      .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.tagName}.${el.className} ${el.scrollWidth}>${el.clientWidth}`),
  root);
}

async function shots(page: Page, name: string, sizes: ('wide' | 'small')[] = ['wide', 'small'], themes: ('light' | 'dark')[] = ['light', 'dark']): Promise<void> {
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    for (const size of sizes) {
      await page.setViewportSize(size === 'wide' ? { width: 1440, height: 900 } : { width: 1024, height: 640 });
      await page.waitForTimeout(250);
      await screenshot(page, `providers-${name}-${size}-${theme}`);
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

describe.skipIf(!chromiumAvailable())('providers tour', () => {
  const suite = useBrowserSuite();

  it('three providers: LM Studio with a key, llama-server down, Anthropic cloud', async () => {
    const lm = await startOpenAIStandin({ flavour: 'lmstudio', apiKey: LM_KEY, models: [{ id: 'qwen2.5-coder-7b-instruct', contextLength: 32768, loadedContextLength: 8192 }, { id: LONG_MODEL, contextLength: 131072 }] });
    suite.defer(() => lm.close());
    const claude = await startAnthropicStandin();
    suite.defer(() => claude.close());
    const down = await closedPort();
    const { page } = await suite.startApp('providers-tour');
    await openProviders(page);
    await shots(page, 'tour-empty');

    await addProvider(page, 'lmstudio', 'lmstudio', lm.baseUrl);
    const lmCard = page.locator('[data-testid="provider-card"][data-provider="lmstudio"]');
    await lmCard.getByTestId('provider-key-input').fill(LM_KEY);
    await lmCard.getByTestId('provider-key-save').click();
    await lmCard.getByTestId('provider-key-consent').waitFor({ timeout: 10_000 });
    await lmCard.scrollIntoViewIfNeeded();
    await shots(page, 'tour-consent', ['wide', 'small'], ['light']);
    await lmCard.getByTestId('provider-key-plaintext').click();
    await expect.poll(() => lmCard.getByTestId('provider-key-source').getAttribute('data-source'), { timeout: 10_000 }).toBe('file');

    await addProvider(page, 'llama-server', 'llama-server', `http://127.0.0.1:${down}/a/rather/long/path/behind/a/reverse/proxy/for/the/llama/server/v1`);
    await addProvider(page, 'anthropic', 'anthropic', claude.url, 'claude-haiku-4-5');
    const cCard = page.locator('[data-testid="provider-card"][data-provider="anthropic"]');
    await cCard.getByTestId('provider-key-input').fill(claude.apiKey);
    await cCard.getByTestId('provider-key-save').click();
    // Consent was given once (for LM Studio's key): the second key is stored without asking again.
    await expect.poll(() => cCard.getByTestId('provider-key-source').getAttribute('data-source'), { timeout: 10_000 }).toBe('file');
    // Each card says whether its server answers (llama-server is down; Anthropic is not asked under Local only).
    const dot = (id: string) => page.locator(`[data-testid="provider-card"][data-provider="${id}"] [data-testid="provider-status-dot"]`);
    await expect.poll(() => dot('llama-server').getAttribute('data-reachable'), { timeout: 15_000 }).toBe('false');
    await expect.poll(() => dot('lmstudio').getAttribute('data-reachable'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => dot('anthropic').getAttribute('data-reachable'), { timeout: 15_000 }).toBe('unchecked');
    expect(await dot('llama-server').getAttribute('title')).toMatch(/is not reachable \(ECONNREFUSED\): is its server running\?$/);
    const downCard = page.locator('[data-testid="provider-card"][data-provider="llama-server"]');
    expect(await downCard.getByTestId('provider-status-line').innerText()).toMatch(/not reachable \(ECONNREFUSED\): is its server running\?$/);
    await downCard.scrollIntoViewIfNeeded();
    await shots(page, 'tour-down-card', ['small'], ['light', 'dark']);
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 640 });
      await expect.poll(() => sidewaysScrollers(page)).toEqual([]);
    }
    await page.locator('[data-testid="providers-list"]').scrollIntoViewIfNeeded();
    await shots(page, 'tour-three');

    // A key pasted into api_key_env: the engine's field error.
    await lmCard.getByTestId('provider-apiKeyEnv').fill(LM_KEY);
    await lmCard.getByTestId('provider-save').click();
    // Said where the key goes, and the key does not stay on screen in a plain text field.
    await expect.poll(() => lmCard.getByTestId('provider-apiKeyEnv-error').innerText()).toMatch(/looks like the key itself.*“API key”/);
    expect(await lmCard.getByTestId('provider-apiKeyEnv').inputValue()).toBe('');
    await lmCard.scrollIntoViewIfNeeded();
    await shots(page, 'tour-field-error', ['wide', 'small'], ['dark']);

    // A weighted route.
    const impl = page.locator('[data-testid="route-role"][data-role="implement"]');
    await impl.getByTestId('route-add').click();
    await impl.getByTestId('route-provider').first().selectOption('lmstudio');
    await impl.getByTestId('route-add').click();
    await impl.getByTestId('route-provider').nth(1).selectOption('anthropic');
    await impl.getByTestId('route-strategy').selectOption('weighted');
    await impl.getByTestId('route-weight').first().fill('3');
    await impl.getByTestId('route-model').first().selectOption(LONG_MODEL);
    await page.getByTestId('routing-save').click();
    await expect.poll(() => page.getByText('Routing saved.').count()).toBe(1);
    // A long model name in a route does not widen the dialog (a <fieldset> grows to its content by default).
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 640 });
      await expect.poll(() => sidewaysScrollers(page)).toEqual([]);
    }
    await impl.scrollIntoViewIfNeeded();
    await shots(page, 'tour-routing');

    // Removing a provider a route still uses: said in words (which route, what to do), the card stays.
    await cCard.getByTestId('provider-remove').click();
    await expect.poll(() => cCard.getByTestId('provider-card-error').innerText()).toBe(
      'Anthropic is still in the implement route: take it out under “Routing per role” below and save the routing, then remove the provider.',
    );
    await cCard.scrollIntoViewIfNeeded();
    await shots(page, 'tour-remove-routed', ['wide', 'small'], ['light']);

    // YAML import error.
    await page.getByTestId('providers-import-open').click();
    await page.getByTestId('providers-import-text').fill('llm:\n  mode: hybrid\n  providers: [\n');
    await page.getByTestId('providers-import').click();
    await page.getByTestId('providers-import-error').waitFor();
    await page.getByTestId('providers-import-error').scrollIntoViewIfNeeded();
    await shots(page, 'tour-yaml-error', ['wide', 'small'], ['dark']);
    await page.getByTestId('providers-import-text').fill('llm:\n  mode: hybrid\n  providers:\n    x: { kind: openai, base_url: nope }\n');
    await page.getByTestId('providers-import').click();
    await page.waitForTimeout(800);
    await page.getByTestId('providers-import-error').scrollIntoViewIfNeeded();
    console.log('YAML2', await page.getByTestId('providers-import-error').innerText());
    await shots(page, 'tour-yaml-error2', ['small'], ['dark']);
    await closeSettings(page);

    // Status bar and picker, Local only on.
    await page.waitForTimeout(1000);
    await shots(page, 'tour-main-localonly');
    const texts = await page.locator('[data-testid="model-picker"] option').evaluateAll((els) => els.map((e) => `${(e as HTMLOptionElement).disabled ? 'X ' : ''}${e.textContent}`));
    const groups = await page.locator('[data-testid="model-picker"] optgroup').evaluateAll((els) => els.map((e) => (e as HTMLOptGroupElement).label));
    console.log('PICKER local-only', JSON.stringify({ groups, texts }, null, 1));
    const status = await page.locator('[data-testid="status-provider"]').evaluateAll((els) => els.map((e) => `${e.textContent} | ${e.getAttribute('title')}`));
    console.log('STATUS', JSON.stringify(status, null, 1));

    await page.getByTestId('models-button').click();
    await page.locator('[data-testid="provider-models"]').first().waitFor();
    await page.waitForTimeout(1000);
    await page.locator('[data-testid="provider-models"]').first().scrollIntoViewIfNeeded();
    await shots(page, 'tour-models');
    await page.locator('[data-testid="provider-models"]').last().scrollIntoViewIfNeeded();
    await shots(page, 'tour-models-end', ['small'], ['light']);
    // The model column has room for a long GGUF name (it wraps in it), and nothing scrolls sideways at 1024 px.
    await page.setViewportSize({ width: 1024, height: 640 });
    const [nameWidth, tableWidth] = await page.locator('[data-testid="provider-models"][data-provider="lmstudio"] table').evaluate((t) => [t.querySelector('th')!.getBoundingClientRect().width, t.getBoundingClientRect().width]);
    expect(nameWidth / tableWidth).toBeGreaterThan(0.4);
    expect(await sidewaysScrollers(page, '.modal-backdrop')).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
    const claudeModels = page.locator('[data-testid="provider-models"][data-provider="anthropic"]');
    expect(await claudeModels.getByTestId('provider-status-dot').getAttribute('data-reachable')).toBe('unchecked');
    expect(await claudeModels.getByTestId('provider-model-row').innerText()).toContain('runs at the provider, not here');
    console.log('MODELS', await page.locator('[data-testid="provider-models"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText)));

    // Local only off, hybrid: chat with the cloud.
    await page.keyboard.press('Escape');
    await page.locator('.modal-backdrop').waitFor({ state: 'detached' });
    await openProviders(page);
    await page.getByTestId('providers-local-only').click();
    await page.locator('label.mode-choice', { has: page.getByTestId('providers-mode-hybrid') }).click();
    await page.waitForTimeout(500);
    await closeSettings(page);
    await page.waitForTimeout(1500);
    const texts2 = await page.locator('[data-testid="model-picker"] option').evaluateAll((els) => els.map((e) => `${(e as HTMLOptionElement).disabled ? 'X ' : ''}${e.textContent}`));
    console.log('PICKER off', JSON.stringify(texts2, null, 1));
    await page.getByTestId('model-picker').selectOption('@anthropic/claude-haiku-4-5');
    await shots(page, 'tour-main-cloud');
    await page.getByTestId('prompt-input').fill('Say hello');
    await page.getByTestId('send-button').click();
    const assistant = page.getByTestId('chat-message-assistant');
    await expect.poll(() => assistant.getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    await shots(page, 'tour-chat-cloud');
    await page.getByTestId('model-picker').selectOption(`@lmstudio/${LONG_MODEL}`);
    await shots(page, 'tour-long-model', ['small'], ['dark']);
  });

  it('a build whose review runs on a cloud provider: that step row is marked (compact), the others are not', async () => {
    const claude = await startAnthropicStandin();
    suite.defer(() => claude.close());
    const { page, standin } = await suite.startApp('providers-tour-build');
    standin.enqueueChat(answer('plan', adder.plan));
    standin.enqueueChat(answer('implement', adder.fixed));
    standin.enqueueChat(answer('docs', adder.readme));
    claude.enqueue({ text: approve });
    await openProviders(page);
    await addProvider(page, 'anthropic', 'anthropic', claude.url, 'claude-haiku-4-5');
    const card = page.locator('[data-testid="provider-card"][data-provider="anthropic"]');
    await card.getByTestId('provider-key-input').fill(claude.apiKey);
    await card.getByTestId('provider-key-save').click();
    await card.getByTestId('provider-key-plaintext').click();
    await expect.poll(() => card.getByTestId('provider-key-source').getAttribute('data-source'), { timeout: 10_000 }).toBe('file');
    await page.getByTestId('providers-local-only').click();
    await expect.poll(() => page.getByTestId('providers-local-only').isChecked()).toBe(false);
    await page.locator('label.mode-choice', { has: page.getByTestId('providers-mode-hybrid') }).click();
    await expect.poll(() => page.getByTestId('providers-mode-hybrid').isChecked()).toBe(true);
    const review = page.locator('[data-testid="route-role"][data-role="review"]');
    await review.getByTestId('route-add').click();
    await review.getByTestId('route-provider').first().selectOption('anthropic');
    await page.getByTestId('routing-save').click();
    await expect.poll(() => page.getByText('Routing saved.').count()).toBe(1);
    await closeSettings(page);

    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option[value="qwen2.5-coder:7b"]').count(), { timeout: 15_000 }).toBe(1);
    await picker.selectOption('qwen2.5-coder:7b');
    await page.getByTestId('composer-kind-build').click();
    await page.getByTestId('prompt-input').fill('Write a tiny math library (add, multiply) with tests.');
    await page.getByTestId('send-button').click();
    await page.getByTestId('tab-steps').waitFor({ timeout: 10_000 });
    const row = (ref: string) => page.locator(`[data-testid="step-row"][data-step="${ref}"]`);
    await expect.poll(() => row('review@v1').getAttribute('data-status'), { timeout: 40_000 }).toBe('succeeded');
    const badge = row('review@v1').getByTestId('step-leaves-badge');
    await expect.poll(() => badge.count()).toBe(1);
    expect(await badge.innerText()).toBe('cloud');
    expect(await badge.getAttribute('title')).toMatch(/^Prompts were sent off this machine to Anthropic at 127\.0\.0\.1:\d+\.$/);
    expect(await row('plan@v1').getByTestId('step-leaves-badge').count()).toBe(0);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width: 1024, height: 640 });
      await row('review@v1').scrollIntoViewIfNeeded();
      await page.waitForTimeout(200);
      await row('review@v1').screenshot({ path: path.join(SCREENSHOT_DIR, `providers-tour-build-cloud-step-${theme}.png`) });
    }
  });
});
