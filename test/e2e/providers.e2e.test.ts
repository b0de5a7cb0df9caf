// Providers beside Ollama in the UI (issue 17), against `macs serve` (no OS keychain: keys go to
// a 0600 file after consent) with the Ollama stand-in and OpenAI-compatible stand-ins:
// the Local only switch round-trips; an added provider shows in the status bar, the picker and
// the Models screen; a key typed in Settings never stays in the page (only its masked hint);
// the Providers tab passes axe at both sizes in both themes (screenshots kept).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startAnthropicStandin } from '../fixtures/anthropic-standin/index.js';
import { startOpenAIStandin } from '../fixtures/openai-standin/index.js';
import { AXE_EXCLUDE, blocking, describeFindings, runAxe } from './axe.js';
import { chromiumAvailable, screenshot } from './helpers.js';
import { addProvider, closeSettings, openProviders } from './providers-helpers.js';
import { useBrowserSuite } from './suite.js';

const SIZES = [
  { name: 'wide', width: 1440, height: 900 },
  { name: 'small', width: 1024, height: 640 },
] as const;
const THEMES = ['dark', 'light'] as const;
const SECRET = 'sk-e2e-SECRET-key-0123456789-wxyz';


describe.skipIf(!chromiumAvailable())('providers in the UI', () => {
  const suite = useBrowserSuite();

  it('Local only is on by default and its switch round-trips through the engine (and a reload)', async () => {
    const { page, errors } = await suite.startApp('providers-local-only');
    await openProviders(page);
    const sw = page.getByTestId('providers-local-only');
    expect(await sw.isChecked()).toBe(true);
    await sw.click();
    await expect.poll(() => sw.isChecked()).toBe(false);
    await expect.poll(() => page.getByTestId('providers-local-only-help').innerText()).toMatch(/^Off:/);
    await page.reload();
    await openProviders(page);
    expect(await page.getByTestId('providers-local-only').isChecked()).toBe(false);
    await page.getByTestId('providers-local-only').click();
    await expect.poll(() => page.getByTestId('providers-local-only').isChecked()).toBe(true);
    expect(errors.filter((e) => /React error|Minified|pageerror/.test(e))).toEqual([]);
  });

  it('an added OpenAI-compatible server shows in the status bar, the model picker and the Models screen; a bad URL is refused beside its field', async () => {
    const lm = await startOpenAIStandin({ flavour: 'lmstudio' });
    suite.defer(() => lm.close());
    const { page } = await suite.startApp('providers-add');
    await openProviders(page);

    // A URL that is not one: said beside the field, nothing sent.
    await page.getByTestId('provider-preset-vllm').click();
    const draft = page.locator('[data-testid="provider-card"][data-new="true"]').last();
    await draft.getByTestId('provider-baseUrl').fill('not a url');
    await draft.getByTestId('provider-save').click();
    await expect.poll(() => draft.getByTestId('provider-baseUrl-error').innerText()).toMatch(/full URL/);
    await draft.getByRole('button', { name: 'Discard' }).click();

    await addProvider(page, 'lmstudio', 'lmstudio', lm.baseUrl);
    const item = page.locator('[data-testid="status-provider"][data-provider="lmstudio"]');
    await expect.poll(() => item.getAttribute('data-reachable'), { timeout: 15_000 }).toBe('true');
    expect(await item.innerText()).toContain('LM Studio');
    await closeSettings(page);

    // The picker lists it under its provider, by ref.
    const option = page.locator('[data-testid="model-picker"] option[value="@lmstudio/qwen2.5-coder-7b-instruct"]');
    await expect.poll(() => option.count(), { timeout: 10_000 }).toBe(1);
    expect(await option.isDisabled()).toBe(false);

    // A chat turn on it: the picker keeps the ref, the stand-in answers, and nothing is marked as leaving (it is local).
    await page.getByTestId('model-picker').selectOption('@lmstudio/qwen2.5-coder-7b-instruct');
    await page.getByTestId('prompt-input').fill('Say hello');
    await page.getByTestId('send-button').click();
    const assistant = page.getByTestId('chat-message-assistant');
    await expect.poll(() => assistant.getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    expect(await assistant.innerText()).toContain('Hello from the OpenAI-compatible stand-in.');
    expect(await assistant.locator('.msg-model').innerText()).toBe('@lmstudio/qwen2.5-coder-7b-instruct');
    expect(await page.getByTestId('task-leaves-badge').count()).toBe(0);
    expect(lm.requests.some((r) => r.path.endsWith('/chat/completions'))).toBe(true);

    // The Models screen: its models with the context the server reports, and no memory guess.
    await page.getByTestId('models-button').click();
    const row = page.locator('[data-testid="provider-models"][data-provider="lmstudio"] [data-testid="provider-model-row"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.innerText()).toMatch(/unknown — memory is not known for this server/);
    await screenshot(page, 'providers-models-screen-wide-dark');
  });

  it('a key typed in Settings leaves the page once stored: consent first (no keychain), then only the masked hint', async () => {
    const api = await startOpenAIStandin({ flavour: 'openai', apiKey: SECRET });
    suite.defer(() => api.close());
    const { page } = await suite.startApp('providers-key');
    await openProviders(page);
    await addProvider(page, 'openai', 'openai', api.baseUrl);
    const card = page.locator('[data-testid="provider-card"][data-provider="openai"]');
    await card.getByTestId('provider-key-input').fill(SECRET);
    await card.getByTestId('provider-key-save').click();
    // macs serve has no keychain: the engine asks, the page says why and offers the choice.
    const consent = card.getByTestId('provider-key-consent');
    await consent.waitFor({ timeout: 10_000 });
    expect(await consent.innerText()).toMatch(/plain/i);
    await card.getByTestId('provider-key-plaintext').click();
    await expect.poll(() => card.getByTestId('provider-key-source').getAttribute('data-source'), { timeout: 10_000 }).toBe('file');
    expect(await card.getByTestId('provider-key-source').innerText()).toContain('••••••••wxyz');
    expect(await card.getByTestId('provider-key-input').inputValue()).toBe('');
    // Nowhere in the page: not in the HTML, not in any input's value.
    const html = await page.content();
    expect(html.includes(SECRET)).toBe(false);
    const values = await page.evaluate(() => [...document.querySelectorAll('input, textarea')].map((el) => (el as HTMLInputElement).value));
    expect(values.some((v) => v.includes(SECRET))).toBe(false);
    expect(html.includes(SECRET.slice(0, -4))).toBe(false);
    // The stand-in wants the key: the provider answers once it is stored.
    const item = page.locator('[data-testid="status-provider"][data-provider="openai"]');
    await expect.poll(() => item.getAttribute('data-reachable'), { timeout: 15_000 }).toBe('true');
    // Remove: the hint goes, the source says none.
    await card.getByTestId('provider-key-remove').click();
    await expect.poll(() => card.getByTestId('provider-key-source').getAttribute('data-source')).toBe('none');
  });

  it('exports the configuration as YAML and imports it back; a YAML error says where', async () => {
    const lm = await startOpenAIStandin({ flavour: 'llama-server' });
    suite.defer(() => lm.close());
    const { page } = await suite.startApp('providers-yaml', { acceptDownloads: true });
    await openProviders(page);
    await addProvider(page, 'llama-server', 'llama-server', lm.baseUrl);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('providers-export').click()]);
    const exported = fs.readFileSync((await download.path())!, 'utf8');
    expect(exported).toContain('llama-server');
    expect(exported).toContain(lm.baseUrl);

    await page.getByTestId('providers-import-open').click();
    await page.getByTestId('providers-import-text').fill('llm:\n  mode: hybrid\n  providers: [\n');
    await page.getByTestId('providers-import').click();
    const err = page.getByTestId('providers-import-error');
    await err.waitFor();
    expect(await err.innerText()).toMatch(/^Not imported: line \d+, column \d+: YAML syntax error/);

    const hybrid = ['llm:', '  mode: hybrid', '  local_only: true', '  providers:', `    llama-server: { kind: openai, enabled: true, base_url: ${lm.baseUrl} }`, '  routing:', '    plan: [llama-server]', ''].join('\n');
    await page.getByTestId('providers-import-text').fill(hybrid);
    await page.getByTestId('providers-import').click();
    await expect.poll(() => page.getByTestId('providers-mode-hybrid').isChecked(), { timeout: 10_000 }).toBe(true);
    const plan = page.locator('[data-testid="route-role"][data-role="plan"] [data-testid="route-provider"]');
    await expect.poll(() => plan.first().inputValue()).toBe('llama-server');
  });

  it('a cloud provider: its models are shown disabled while Local only is on; once off, a turn on it is marked as having left the machine', async () => {
    // Anthropic's kind always leaves the machine, whatever the URL: the stand-in plays the API locally.
    const claude = await startAnthropicStandin();
    suite.defer(() => claude.close());
    const { page } = await suite.startApp('providers-cloud');
    await openProviders(page);
    // Under Local only its models are not asked for (that would send the key out): the one named here is listed.
    await addProvider(page, 'anthropic', 'anthropic', claude.url, 'claude-haiku-4-5');
    const card = page.locator('[data-testid="provider-card"][data-provider="anthropic"]');
    expect(await card.getByTestId('leaves-machine-badge').count()).toBe(1);
    await card.getByTestId('provider-key-input').fill(claude.apiKey);
    await card.getByTestId('provider-key-save').click();
    await card.getByTestId('provider-key-plaintext').click();
    await expect.poll(() => card.getByTestId('provider-key-source').getAttribute('data-source'), { timeout: 10_000 }).toBe('file');
    // While Local only is on, not even a reachability check goes out (it would carry the key): grey, saying why.
    const item = page.locator('[data-testid="status-provider"][data-provider="anthropic"]');
    await expect.poll(() => item.getAttribute('data-reachable'), { timeout: 15_000 }).toBe('unchecked');
    expect(await item.getAttribute('title')).toMatch(/Not checked: .*"Local only" is on/);
    expect(claude.requests).toHaveLength(0);
    await closeSettings(page);

    const ref = '@anthropic/claude-haiku-4-5';
    const option = page.locator(`[data-testid="model-picker"] option[value="${ref}"]`);
    await expect.poll(() => option.count(), { timeout: 10_000 }).toBe(1);
    expect(await option.isDisabled()).toBe(true);
    expect(await option.innerText()).toContain('Local only is on — turn it off in Settings → Providers');
    await screenshot(page, 'providers-picker-local-only');

    await openProviders(page);
    await page.getByTestId('providers-local-only').click();
    await expect.poll(() => page.getByTestId('providers-local-only').isChecked()).toBe(false);
    await closeSettings(page);
    // Mode local still keeps prompts here: the option says so (the engine would refuse it after Send).
    await expect.poll(() => option.innerText()).toContain('The mode is Local');
    expect(await option.isDisabled()).toBe(true);
    await openProviders(page);
    await page.locator('label.mode-choice', { has: page.getByTestId('providers-mode-hybrid') }).click();
    await expect.poll(() => page.getByTestId('providers-mode-hybrid').isChecked()).toBe(true);
    await closeSettings(page);
    await expect.poll(() => option.isDisabled()).toBe(false);
    await expect.poll(() => item.getAttribute('data-reachable'), { timeout: 20_000 }).toBe('true');
    expect(await item.getAttribute('title')).toMatch(/leave this machine/);
    await page.getByTestId('model-picker').selectOption(ref);
    await expect.poll(() => page.getByTestId('picker-leaves-badge').count()).toBe(1);
    expect(await page.getByTestId('prompt-destination').innerText()).toMatch(/Prompts go to Anthropic at 127\.0\.0\.1:\d+: they leave this machine/);
    await page.getByTestId('prompt-input').fill('Say hello');
    await page.getByTestId('send-button').click();
    const assistant = page.getByTestId('chat-message-assistant');
    await expect.poll(() => assistant.getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    expect(await assistant.innerText()).toContain('Hello from the Anthropic stand-in.');
    const badge = assistant.getByTestId('task-leaves-badge');
    await expect.poll(() => badge.count()).toBe(1);
    expect(await badge.getAttribute('title')).toMatch(/Anthropic/);
    await expect.poll(() => assistant.getByTestId('step-leaves-badge').count()).toBe(1);
    await screenshot(page, 'providers-task-left-machine');
  });

  it('the Providers tab: a cloud preset is marked, every control is named (axe), both sizes and themes', async () => {
    const lm = await startOpenAIStandin({ flavour: 'llama-server' });
    suite.defer(() => lm.close());
    const { page } = await suite.startApp('providers-a11y');
    await openProviders(page);
    await addProvider(page, 'llama-server', 'llama-server', lm.baseUrl);
    await page.getByTestId('provider-preset-anthropic').click();
    const cloud = page.locator('[data-testid="provider-card"][data-new="true"]').last();
    await cloud.getByTestId('leaves-machine-badge').waitFor();
    expect(await cloud.getByTestId('leaves-machine-badge').getAttribute('title')).toMatch(/api\.anthropic\.com/);
    await page.locator('[data-testid="route-role"][data-role="plan"]').getByTestId('route-add').click();
    const findings: string[] = [];
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? 'dark')).toBe(theme);
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.waitForTimeout(300);
        await screenshot(page, `providers-settings-${size.name}-${theme}`);
        const bad = blocking(await runAxe(page, { exclude: AXE_EXCLUDE }));
        if (bad.length > 0) findings.push(describeFindings(`providers ${size.name} ${theme}`, bad));
      }
    }
    // The route just added is saved as chosen: plan → llama-server first, Ollama after it.
    const plan = page.locator('[data-testid="route-role"][data-role="plan"]');
    await plan.getByTestId('route-provider').first().selectOption('llama-server');
    await plan.getByTestId('route-add').click();
    await page.getByTestId('routing-save').click();
    await expect.poll(() => page.getByText('Routing saved.').count()).toBe(1);
    await closeSettings(page);
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await page.waitForTimeout(200);
      await screenshot(page, `providers-statusbar-small-${theme}`);
    }
    await page.reload();
    await openProviders(page);
    const saved = page.locator('[data-testid="route-role"][data-role="plan"] [data-testid="route-provider"]');
    await expect.poll(() => saved.evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value))).toEqual(['llama-server', 'ollama']);
    await closeSettings(page);

    // The Models screen with a provider section: named controls and enough contrast too.
    await page.getByTestId('models-button').click();
    await page.locator('[data-testid="provider-models"][data-provider="llama-server"] [data-testid="provider-model-row"]').waitFor({ timeout: 10_000 });
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await page.locator('[data-testid="provider-models"]').first().scrollIntoViewIfNeeded();
      await page.waitForTimeout(200);
      await screenshot(page, `providers-models-screen-${theme}`);
      const bad = blocking(await runAxe(page, { exclude: AXE_EXCLUDE }));
      if (bad.length > 0) findings.push(describeFindings(`models screen ${theme}`, bad));
    }
    expect(findings).toEqual([]);
  });
});
