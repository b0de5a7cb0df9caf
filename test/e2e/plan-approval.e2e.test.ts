// Settings → review plans first, in the browser: the checkbox, a build that stops after its plan
// with the plan shown in the Steps tab, an edit checked as typed, and Approve going on with it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { answer, approve, filesAnswer, planJson, stepOf } from '../fixtures/build-scripts.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const MODEL = 'qwen2.5-coder:7b';
const TEST = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/sum.js';\n\ntest('adds', () => assert.equal(add(2, 3), 5));\n";

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('review plans first in the browser', () => {
  const suite = useBrowserSuite();
  const row = (page: Page, ref: string) => page.locator(`[data-testid="step-row"][data-step="${ref}"]`);

  it('the build waits with its plan shown; an edited plan (a file renamed) is checked as typed and is what implement gets', async () => {
    const { page, standin, errors } = await suite.startApp('plan-approval');
    standin.enqueueChat(answer('plan', planJson({ files: [['src/math.js', 'add'], ['test/math.test.js', 'tests']] })));
    standin.enqueueChat(answer('implement', filesAnswer({ 'src/sum.js': 'export function add(a, b) {\n  return a + b;\n}\n', 'test/math.test.js': TEST, 'package.json': '{ "type": "module" }\n' })));
    standin.enqueueChat(answer('review', approve));

    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('settings-button').click();
    const dialog = page.getByTestId('settings-dialog');
    await dialog.getByTestId('settings-review-plans').check();
    await dialog.getByTestId('settings-review-plans').scrollIntoViewIfNeeded();
    await screenshot(page, 'plan-approval-setting');
    await dialog.getByTestId('settings-save').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await picker.selectOption(MODEL);
    await page.getByTestId('composer-kind-build').click();
    await page.getByTestId('prompt-input').fill('Write a tiny math library with tests.');
    await page.getByTestId('send-button').click();
    await page.getByTestId('tab-steps').waitFor({ timeout: 10_000 });

    const card = page.getByTestId('plan-approval');
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('plan-approval-files').innerText()).toContain('src/math.js');
    expect(await page.getByTestId('pipeline-phase').innerText()).toBe('The plan waits for your approval');
    await new Promise((r) => setTimeout(r, 500));
    expect(standin.requests.filter((r) => r.path === '/api/chat' && stepOf(r.body as Record<string, unknown>) === 'implement')).toHaveLength(0);
    await screenshot(page, 'plan-approval-waiting');
    await page.setViewportSize({ width: 1024, height: 640 });
    await screenshot(page, 'plan-approval-waiting-1024');
    await page.setViewportSize({ width: 1440, height: 900 });

    await card.getByTestId('plan-edit').click();
    const editor = card.getByTestId('plan-approval-editor');
    const text = await editor.inputValue();
    await editor.fill(text.replace('"files": [', '"files": 3, "x": ['));
    expect(await card.getByTestId('plan-approval-check').innerText()).toMatch(/^files: /);
    expect(await card.getByTestId('plan-approve').isDisabled()).toBe(true);
    await screenshot(page, 'plan-approval-invalid');
    await editor.fill(text.replace('src/math.js', 'src/sum.js'));
    expect(await card.getByTestId('plan-approval-check').innerText()).toBe('A valid plan: 2 files.');
    await card.getByTestId('plan-approve').click();

    await expect.poll(() => row(page, 'review@v1').getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await card.count()).toBe(0);
    expect(await row(page, 'plan@v2').getByTestId('step-summary').innerText()).toContain('edited and approved by you');
    const implement = standin.requests.find((r) => r.path === '/api/chat' && stepOf(r.body as Record<string, unknown>) === 'implement')!;
    const userPart = JSON.stringify(((implement.body as { messages: Array<{ role: string }> }).messages).filter((m) => m.role !== 'system'));
    expect(userPart).toContain('src/sum.js');
    expect(userPart).not.toContain('src/math.js');
    expect(errors).toEqual([]);
  }, 90_000);
});
