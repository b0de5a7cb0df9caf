// Issue 18, models and settings in the browser: pull any model by name with tag suggestions, the
// missing-model error's Pull that runs the turn again, the Settings host field checked as typed,
// and a project's model options popover. Real `macs serve` + renderer in Chromium + the stand-in.
import { describe, expect, it } from 'vitest';
import { defaultModels } from '../fixtures/ollama-standin/catalog.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const ANSWER = 'Here it is.\n\nFile: hello.py\n```python\nprint("hello")\n```\n';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('models and settings (issue 18)', () => {
  const suite = useBrowserSuite();
  const ready = async (label: string, pullStepDelayMs = 40) => {
    const app = await suite.startApp(label, { standin: { pullStepDelayMs }, chat: { text: ANSWER, tokensPerSecond: 400 } });
    await expect.poll(() => app.page.locator('[data-testid="model-picker"] optgroup option').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    return app;
  };

  it('pulls a model typed by name, suggesting the installed tags of its family', async () => {
    const { page, errors } = await ready('pull-by-name');
    await page.getByTestId('models-button').click();
    const field = page.getByTestId('pull-name-input');
    await field.fill('qwen2.5-coder:');
    const suggestions = await page.getByTestId('pull-name-suggestions').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(suggestions[0]).toBe('qwen2.5-coder:7b');
    expect(suggestions).toContain('qwen2.5-coder:32b');
    await field.fill('qwen coder');
    await expect.poll(() => page.getByTestId('pull-name-error').innerText()).toMatch(/no spaces/);
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.getByTestId('pull-by-name').scrollIntoViewIfNeeded();
    await screenshot(page, 'u4-pull-by-name-error-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await field.fill('qwen2.5-coder:0.5b');
    await page.getByTestId('pull-name-submit').click();
    await page.getByTestId('pull-name-progress').waitFor({ timeout: 10_000 });
    await screenshot(page, 'u4-pull-by-name-progress');
    await page.locator('[data-testid="installed-model"][data-model="qwen2.5-coder:0.5b"]').waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
  });

  it('the missing-model error pulls the model and runs the turn again', async () => {
    const { page, errors, standin } = await ready('missing-model', 250);
    // The model the picker chose is removed behind the app's back: the turn fails MODEL_NOT_FOUND.
    const picked = await page.getByTestId('model-picker').inputValue();
    standin.setModels(defaultModels().filter((m) => m.name !== picked));
    await page.getByTestId('prompt-input').fill('Write hello.py');
    await page.getByTestId('send-button').click();
    const pull = page.getByTestId('missing-model-pull');
    await pull.waitFor({ timeout: 20_000 });
    expect(await pull.innerText()).toContain(`Pull ${picked}`);
    await screenshot(page, 'u4-missing-model');
    await pull.click();
    await page.getByTestId('missing-model-pulling').waitFor({ timeout: 10_000 });
    await screenshot(page, 'u4-missing-model-pulling');
    await expect.poll(() => page.locator('[data-testid="turn"]').last().getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    await screenshot(page, 'u4-missing-model-after');
    expect(standin.requests.filter((r) => r.path === '/api/pull').length).toBe(1);
    expect(errors).toEqual([]);
  });

  it('checks the Ollama host as it is typed; "Reachable now" only under the checked host', async () => {
    const { page, errors } = await ready('host-field');
    await page.getByTestId('settings-button').click();
    const dialog = page.getByTestId('settings-dialog');
    const host = dialog.getByTestId('settings-ollama-host');
    expect(await dialog.getByTestId('settings-ollama-host-help').innerText()).toMatch(/Reachable now/);
    const saved = await host.inputValue();
    await host.fill(saved.replace(/^http:\/\//, ''));
    expect(await dialog.getByTestId('settings-ollama-host-error').innerText()).toMatch(/^Start with http:\/\//);
    expect(await dialog.innerText()).not.toMatch(/Reachable now/);
    await screenshot(page, 'u4-settings-host-invalid');
    await host.fill(saved);
    await expect.poll(() => dialog.getByTestId('settings-ollama-host-help').innerText()).toMatch(/Reachable now/);
    expect(errors).toEqual([]);
  });

  it("keeps a project's temperature and system prompt from its popover", async () => {
    const { page, errors, standin } = await ready('model-options');
    await page.getByTestId('prompt-input').fill('Write hello.py');
    await page.getByTestId('send-button').click();
    await expect.poll(() => page.locator('[data-testid="turn"]').last().getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    await page.getByTestId('model-options-button').click();
    const temperature = page.getByTestId('model-options-temperature');
    await temperature.fill('3');
    expect(await page.getByTestId('model-options-temperature-error').innerText()).toMatch(/2 at most/);
    await temperature.fill('0.4');
    await page.getByTestId('model-options-prompt').fill('Comments in German.');
    await screenshot(page, 'u4-model-options');
    await page.getByTestId('model-options-save').click();
    await expect.poll(() => page.getByTestId('model-options-button').innerText()).toBe('Model: t 0.4 · prompt');
    const before = standin.requests.filter((r) => r.path === '/api/chat').length;
    const turnsBefore = await page.locator('[data-testid="turn"]').count();
    await page.getByTestId('prompt-input').fill('Add a second line');
    await page.getByTestId('send-button').click();
    // The new turn first (the last one read 'succeeded' already: the turn before it).
    await expect.poll(() => page.locator('[data-testid="turn"]').count(), { timeout: 10_000 }).toBe(turnsBefore + 1);
    await expect.poll(() => page.locator('[data-testid="turn"]').last().getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    const sent = standin.requests.filter((r) => r.path === '/api/chat').slice(before).map((r) => r.body as { options?: { temperature?: number }; messages: Array<{ content: string }> });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((b) => b.options?.temperature === 0.4 && b.messages[0].content.includes('Comments in German.'))).toBe(true);
    expect(errors).toEqual([]);
  });
});
