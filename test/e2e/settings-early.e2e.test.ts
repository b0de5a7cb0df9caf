// Settings opened at once after the page loads, before the model catalog has answered: the
// dialog shows (an unstable selector result made React re-render forever and blank the app).
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './helpers.js';
import { useBrowserSuite } from './suite.js';

describe.skipIf(!chromiumAvailable())('Settings right after load', () => {
  const suite = useBrowserSuite();
  it('opens before the model catalog is loaded, without an error', async () => {
    const { page, errors } = await suite.startApp('settings-early');
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e.message)));
    await page.getByTestId('settings-button').click();
    await page.getByTestId('settings-dialog').waitFor({ timeout: 5_000 });
    await page.waitForTimeout(500);
    expect(pageErrors).toEqual([]);
    expect(errors.filter((e) => /React error|Minified/.test(e))).toEqual([]);
    expect(await page.getByTestId('settings-ollama-host').isVisible()).toBe(true);
  });
});
