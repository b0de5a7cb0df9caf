// Settings → Providers from a test: open it, close it, add a provider from a preset.
import type { Page } from 'playwright-core';

export async function openProviders(page: Page): Promise<void> {
  await page.getByTestId('settings-button').click();
  await page.getByTestId('settings-dialog').waitFor();
  await page.getByTestId('settings-tab-providers').click();
  await page.locator('[data-testid="providers-panel"][data-state="ready"]').waitFor({ timeout: 10_000 });
}

export async function closeSettings(page: Page): Promise<void> {
  await page.getByTestId('settings-providers-close').click();
  await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
}

/** Add a provider from a preset with this base URL (and default model); resolves once its saved card is there. */
export async function addProvider(page: Page, preset: string, id: string, baseUrl: string, model?: string): Promise<void> {
  await page.getByTestId(`provider-preset-${preset}`).click();
  const card = page.locator('[data-testid="provider-card"][data-new="true"]').last();
  await card.getByTestId('provider-baseUrl').fill(baseUrl);
  if (model) await card.getByTestId('provider-model').fill(model);
  await card.getByTestId('provider-save').click();
  await page.locator(`[data-testid="provider-card"][data-provider="${id}"]:not([data-new])`).waitFor({ timeout: 10_000 });
}
