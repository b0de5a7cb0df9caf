// The hardware-aware model catalog end to end: the model picker grouped by fit verdict with
// explanations, the Models screen (this machine, installed and loaded models with their
// memory estimates, curated coding models), Pull with progress and Cancel, Delete, a host
// that is down among several, and the model-memory settings.
// Real `macs serve` + real renderer in Chromium + the Ollama stand-in (which serves /api/show
// with real architecture numbers, /api/ps, /api/pull with progress, /api/delete).
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StartOptions } from '../fixtures/ollama-standin/index.js';
import { defaultModels, importedSparseGguf } from '../fixtures/ollama-standin/catalog.js';
import { chromiumAvailable, closedPort, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite, type E2eApp } from './suite.js';

const INSTALLED = ['qwen2.5-coder:7b', 'llama3.2:3b'];
/** In the curated list and in the stand-in's registry, not installed by default. */
const PULLABLE = 'qwen2.5-coder:1.5b';
const SLOW_PULL = 'qwen2.5-coder:3b';
/** In the curated list but not in the stand-in's registry: Ollama answers "file does not exist". */
const NOT_IN_REGISTRY = 'starcoder2:7b';
const VERDICTS = ['gpu', 'partial', 'cpu', 'too_big', 'unknown'];
const GROUP_LABEL = /^(Fits on GPU|Partial offload( \(≈[\d–]+% on GPU\))?|CPU only\b.*|Too big for this machine|Fit unknown)$/;
const ANSWER = 'Here it is.\n\nFile: hello.py\n```python\nprint("hello")\n```\n';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('model catalog, picker, pull and delete in the browser', () => {
  const suite = useBrowserSuite();

  async function setUp(label: string, standinOptions: StartOptions = {}): Promise<E2eApp> {
    const app = await suite.startApp(label, { standin: standinOptions, chat: { text: ANSWER, tokensPerSecond: 400 } });
    // The catalog (not the models.list fallback) filled the picker: its options sit in verdict groups.
    await expect.poll(() => app.page.locator('[data-testid="model-picker"] optgroup option').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    return app;
  }

  async function openModels(page: Page): Promise<Locator> {
    await page.getByTestId('models-button').click();
    const screen = page.getByTestId('models-screen');
    await screen.getByTestId('hardware-summary').waitFor({ timeout: 20_000 });
    return screen;
  }

  const installedRow = (page: Page, name: string) => page.locator(`[data-testid="installed-model"][data-model="${name}"]`);
  const curatedRow = (page: Page, name: string) => page.locator(`[data-testid="curated-model"][data-model="${name}"]`);

  it('groups the picker by fit verdict, explains each model, and defaults to the recommended one', async () => {
    const { page, errors } = await setUp('picker');
    const picker = page.getByTestId('model-picker');

    const groups = await picker.locator('optgroup').evaluateAll((els) =>
      els.map((g) => ({ label: g.getAttribute('label') ?? '', verdict: g.getAttribute('data-verdict') ?? '', names: [...g.querySelectorAll('option')].map((o) => o.value) })),
    );
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      expect(g.label).toMatch(GROUP_LABEL);
      expect(VERDICTS).toContain(g.verdict);
    }
    expect(groups.flatMap((g) => g.names).sort()).toEqual([...INSTALLED].sort());

    // Each option: badges (size, quantization, parameters, context) and the verdict's explanation,
    // also as the hover title.
    const option = picker.locator('option[value="qwen2.5-coder:7b"]');
    const badges = await option.locator('.mo-badge').allInnerTexts();
    expect(badges.join(' ')).toMatch(/7\.6B/);
    expect(badges.join(' ')).toMatch(/Q4_K_M/);
    expect(badges.join(' ')).toMatch(/\d(\.\d)? GB/);
    expect(badges.join(' ')).toMatch(/\d+k ctx/);
    const explanation = (await option.locator('.mo-explain').textContent())?.replace(/^\s*—\s*/, '').trim() ?? '';
    expect(explanation.length).toBeGreaterThan(10);
    expect(await option.getAttribute('title')).toContain(explanation);

    // No GPU on this machine: the CPU-only group says what that means.
    const cpuGroup = groups.find((g) => g.verdict === 'cpu');
    if (cpuGroup) expect(cpuGroup.label).toMatch(/runs from RAM \(slower\)/);

    // The recommended model is marked and picked for new tasks (the user has not picked one).
    const recommended = picker.locator('option:has(.mo-rec)');
    if ((await recommended.count()) > 0) {
      expect(await picker.inputValue()).toBe(await recommended.getAttribute('value'));
    }

    // Open the picker: the groups and explanations are visible (Chromium's customizable select).
    await picker.click();
    await expect.poll(() => option.locator('.mo-explain').isVisible()).toBe(true);
    await expect.poll(() => picker.locator('optgroup').first().isVisible()).toBe(true);
    await screenshot(page, 'm1-picker-open');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('shows this machine, installed models with verdicts and estimates, what is loaded, and re-judges at another context', async () => {
    const { page, errors } = await setUp('screen');
    // Run a task so Ollama (the stand-in) has a model loaded (/api/ps).
    await page.getByTestId('model-picker').selectOption('qwen2.5-coder:7b');
    await page.getByTestId('prompt-input').fill('Write hello.py');
    await page.getByTestId('send-button').click();
    await expect.poll(() => page.getByTestId('chat-message-assistant').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');

    const screen = await openModels(page);
    const hw = screen.getByTestId('hardware-summary');
    expect((await hw.getByTestId('hardware-summary-line').innerText()).trim().length).toBeGreaterThan(5);
    expect(await hw.innerText()).toMatch(/RAM\s+[\d.]+ GB total · [\d.]+ GB free/);
    expect(await hw.innerText()).toMatch(/CPU\s+.+ · \d+ cores \/ \d+ threads/);
    const gpuCount = await hw.getByTestId('hw-gpu').count();
    const cpuNotice = hw.getByTestId('hw-cpu-notice');
    if (gpuCount === 0) expect(await cpuNotice.innerText()).toMatch(/run on the CPU/);

    for (const name of INSTALLED) {
      const row = installedRow(page, name);
      await row.waitFor();
      expect(VERDICTS).toContain(await row.getAttribute('data-verdict'));
      expect((await row.getByTestId('fit-explanation').innerText()).length).toBeGreaterThan(10);
      const legend = await row.getByTestId('estimate-breakdown').innerText();
      expect(legend).toMatch(/weights [\d.]+ (GB|MB)/);
      expect(legend).toMatch(/KV cache [\d.]+ (GB|MB)/);
      expect(legend).toMatch(/= [\d.]+ (GB|MB) at 8k/);
    }
    // Loaded now: the model the task ran, with what Ollama reports.
    const loaded = screen.locator('[data-testid="loaded-row"][data-model="qwen2.5-coder:7b"]');
    await loaded.waitFor({ timeout: 10_000 });
    expect(await loaded.innerText()).toMatch(/GPU|CPU/);
    expect(await installedRow(page, 'qwen2.5-coder:7b').getByTestId('model-loaded').innerText()).toMatch(/^loaded: [\d.]+ GB, /);
    // Curated coding models are judged too, installed ones marked.
    expect(await curatedRow(page, 'qwen2.5-coder:7b').getAttribute('data-installed')).toBe('true');
    expect(await curatedRow(page, PULLABLE).getAttribute('data-installed')).toBe('false');
    await screenshot(page, 'm2-models-screen');

    // At 32k the KV cache (and so the total) grows for every model.
    const totalAt = async () => /= ([\d.]+ (?:GB|MB)) at (\d+k)/.exec(await installedRow(page, 'llama3.2:3b').getByTestId('estimate-breakdown').innerText());
    const before = await totalAt();
    await screen.getByTestId('ctx-32768').click();
    await expect.poll(async () => (await totalAt())?.[2], { timeout: 10_000 }).toBe('32k');
    expect((await totalAt())?.[1]).not.toBe(before?.[1]);
    expect(await screen.getByTestId('ctx-note').innerText()).toMatch(/tasks run at 8k/);
    await screenshot(page, 'm3-context-32k');

    // Refresh probes the machine again and keeps the explored context.
    const refresh = screen.getByTestId('models-refresh');
    await refresh.click();
    await expect.poll(() => refresh.isEnabled(), { timeout: 20_000 }).toBe(true);
    expect(await hw.getByTestId('hardware-summary-line').innerText()).not.toBe('');
    expect((await totalAt())?.[2]).toBe('32k');
    expect(errors).toEqual([]);
  });

  it('pulls a curated model with a progress bar, then lists it as installed and in the picker', async () => {
    const { standin, page, errors } = await setUp('pull', { pullStepDelayMs: 120 });
    await openModels(page);
    const row = curatedRow(page, PULLABLE);
    await row.getByTestId('pull-model').click();

    const progress = row.getByTestId('pull-progress');
    await expect.poll(async () => (await progress.count()) > 0 && /MB \/ [\d.]+ MB/.test(await progress.innerText()), { timeout: 10_000 }).toBe(true);
    await screenshot(page, 'm4-pulling');

    await installedRow(page, PULLABLE).waitFor({ timeout: 30_000 });
    await expect.poll(() => row.getAttribute('data-installed'), { timeout: 10_000 }).toBe('true');
    expect(await row.getByTestId('pull-progress').count()).toBe(0);
    expect(await page.getByTestId('model-picker').locator(`option[value="${PULLABLE}"]`).count()).toBe(1);
    expect(standin.requests.some((r) => r.path === '/api/pull')).toBe(true);
    await screenshot(page, 'm5-pulled');
    expect(errors).toEqual([]);
  });

  it('cancels a slow pull, and says why a pull failed', async () => {
    const { standin, page, errors } = await setUp('cancel', { pullStepDelayMs: 1_500 });
    await openModels(page);
    const row = curatedRow(page, SLOW_PULL);
    await row.getByTestId('pull-model').click();
    const progress = row.getByTestId('pull-progress');
    await progress.waitFor({ timeout: 10_000 });
    await row.getByTestId('pull-cancel').click();
    await expect.poll(() => progress.count(), { timeout: 10_000 }).toBe(0);
    await row.getByTestId('pull-model').waitFor();
    expect(await row.getAttribute('data-installed')).toBe('false');
    expect(await installedRow(page, SLOW_PULL).count()).toBe(0);
    // Ollama (the stand-in) never finished it.
    const tags = (await (await fetch(`${standin.url}/api/tags`)).json()) as { models: { name: string }[] };
    expect(tags.models.map((m) => m.name)).not.toContain(SLOW_PULL);

    // A model Ollama's library does not have: the row says so and offers Retry.
    const missing = curatedRow(page, NOT_IN_REGISTRY);
    await missing.scrollIntoViewIfNeeded();
    await missing.getByTestId('pull-model').click();
    const failure = missing.getByTestId('pull-error');
    await failure.waitFor({ timeout: 15_000 });
    expect(await failure.innerText()).toMatch(/Pull failed:.*file does not exist/s);
    await screenshot(page, 'm6-pull-failed');
    expect(errors).toEqual([]);
  });

  it('deletes a model after confirming', async () => {
    const { standin, page, errors } = await setUp('delete');
    await openModels(page);
    const row = installedRow(page, 'llama3.2:3b');
    await row.getByTestId('delete-model').click();
    await row.getByTestId('delete-confirm').waitFor();
    await screenshot(page, 'm7-delete-confirm');
    await row.getByTestId('delete-model-confirm').click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('model-picker').locator('option[value="llama3.2:3b"]').count(), { timeout: 10_000 }).toBe(0);
    expect(await curatedRow(page, 'llama3.2:3b').getAttribute('data-installed')).toBe('false');
    expect(standin.requests.some((r) => r.method === 'DELETE' && r.path === '/api/delete')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('keeps extra hosts and the KV cache settings, and lists a host that is down with its error', async () => {
    const { page, errors } = await setUp('hosts');
    const downHost = `http://127.0.0.1:${await closedPort()}`;
    await page.getByTestId('settings-button').click();
    const dialog = page.getByTestId('settings-dialog');
    await dialog.getByTestId('settings-extra-host-input').fill(downHost);
    await dialog.getByTestId('settings-extra-host-add').click();
    await dialog.getByTestId('extra-host').waitFor();
    await dialog.getByTestId('settings-kv-cache').selectOption('q8_0');
    await dialog.getByTestId('settings-kv-warning').waitFor(); // q8_0 needs flash attention in Ollama
    await dialog.getByTestId('settings-flash-attention').check();
    expect(await dialog.getByTestId('settings-kv-warning').count()).toBe(0);
    await screenshot(page, 'm8-settings');
    await dialog.getByTestId('settings-save').click();
    await expect.poll(() => dialog.count()).toBe(0);

    const screen = await openModels(page);
    const down = screen.locator(`[data-testid="host-row"][data-reachable="false"]`);
    await down.waitFor({ timeout: 15_000 });
    expect(await down.innerText()).toContain(downHost);
    expect(await down.innerText()).toMatch(/not reachable/);
    // The default host's models are still listed.
    await installedRow(page, 'qwen2.5-coder:7b').waitFor();
    await screenshot(page, 'm9-host-down');

    // The settings were stored.
    await screen.getByTestId('models-close').click();
    await page.getByTestId('settings-button').click();
    expect(await dialog.getByTestId('extra-host').innerText()).toContain(downHost);
    expect(await dialog.getByTestId('settings-kv-cache').inputValue()).toBe('q8_0');
    expect(await dialog.getByTestId('settings-flash-attention').isChecked()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows expected speed, measured speed after a run, a rough estimate for a sparse /api/show, and the effective context of a loaded model', async () => {
    // An answer long enough (~120 tokens) for its eval speed to count as a measurement.
    const longAnswer = `${ANSWER}\n${'The function prints a greeting and exits; run it with python hello.py. '.repeat(7)}`;
    const app = await suite.startApp('speed', { standin: { models: [...defaultModels(), importedSparseGguf] }, chat: { text: longAnswer, tokensPerSecond: 400 } });
    const { page, errors, standin } = app;
    await expect.poll(() => page.locator('[data-testid="model-picker"] optgroup option').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);

    // The picker shows each model's expected speed.
    const option = page.getByTestId('model-picker').locator('option[value="qwen2.5-coder:7b"]');
    expect(await option.getByTestId('option-speed').innerText()).toMatch(/≈ [\d.]+ tok\/s · a small project in ≈ [\d.]+ (min|h)/);

    // Run a task on llama3.2:3b: its speed becomes a measurement.
    await page.getByTestId('model-picker').selectOption('llama3.2:3b');
    await page.getByTestId('prompt-input').fill('Write hello.py');
    await page.getByTestId('send-button').click();
    await expect.poll(() => page.getByTestId('chat-message-assistant').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    // Another program loads qwen2.5-coder:7b asking for 64k: Ollama caps it at the 32k it was trained for.
    const load = await fetch(`${standin.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'qwen2.5-coder:7b', options: { num_ctx: 65536 }, keep_alive: '5m' }) });
    expect(load.status).toBe(200);

    const screen = await openModels(page);
    const measured = installedRow(page, 'llama3.2:3b').getByTestId('model-speed');
    await expect.poll(() => measured.getAttribute('data-source'), { timeout: 10_000 }).toBe('measured');
    expect(await measured.innerText()).toMatch(/^[\d.]+ tok\/s measured · a small project in (≈ [\d.]+ (min|h)|under a minute)$/);
    expect(await measured.getAttribute('title')).toMatch(/^Measured: \d+ tokens generated in [\d.]+ s over 1 answer on this host/);
    const estimated = installedRow(page, 'qwen2.5-coder:7b').getByTestId('model-speed');
    expect(await estimated.getAttribute('data-source')).toBe('estimate');
    expect(await estimated.getAttribute('title')).toMatch(/^Estimated: RAM (measured|from the DIMMs|not measurable).*read per token/);
    expect(await estimated.getAttribute('title')).toMatch(/A small project: about 8k prompt tokens read and 4k tokens written/);
    // Curated models show theirs too.
    expect(await curatedRow(page, PULLABLE).getByTestId('model-speed').innerText()).toMatch(/tok\/s · a small project in/);
    // …and an installed curated model the same measured speed as its installed row.
    expect(await curatedRow(page, 'llama3.2:3b').getByTestId('model-speed').getAttribute('data-source')).toBe('measured');

    // The imported GGUF without attention numbers: trained context unknown, a rough estimate that says why.
    const sparse = installedRow(page, 'imported-coder:7b');
    expect(await sparse.getByTestId('trained-unknown').innerText()).toBe('trained: unknown');
    expect(await sparse.getByTestId('estimate-rough').innerText()).toBe('≈ rough');
    expect(await sparse.getByTestId('estimate-rough').getAttribute('title')).toMatch(/Rough estimate, erring high: \/api\/show lacks llama\.block_count/);
    expect(await sparse.getByTestId('fit-explanation').innerText()).toMatch(/rough estimate, on the safe side/);
    expect(await installedRow(page, 'qwen2.5-coder:7b').getByTestId('estimate-rough').count()).toBe(0);

    // Loaded now: the context Ollama runs it with (/api/ps), and why it is not the 8k MACS asks for.
    const loaded = screen.locator('[data-testid="loaded-row"][data-model="qwen2.5-coder:7b"]');
    await loaded.waitFor({ timeout: 10_000 });
    expect(await loaded.getByTestId('loaded-context').innerText()).toBe('runs with 32k context');
    expect(await loaded.getByTestId('loaded-context-note').innerText()).toMatch(/^MACS asks for 8k; it is loaded with 32k/);
    await screenshot(page, 'm10-speed-rough-context');
    await curatedRow(page, 'qwen2.5-coder:32b').scrollIntoViewIfNeeded();
    await screenshot(page, 'm11-curated-speed');
    expect(errors).toEqual([]);
  });
});
