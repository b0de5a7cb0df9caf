// What the fix step and the Steps tab get from a web check: the failed scenarios as a test
// report (scenario, failed step, expectation, page text, errors), and the stored result read
// back defensively for the screenshots view.
import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../shared/index.js';
import { scenarioReport } from '../../electron/core/pipeline/steps/webcheck-step.js';
import { formatTestReportForPrompt } from '../../electron/core/pipeline/testing/index.js';
import { readWebcheck, screenshotName, webcheckOutcome } from '../../renderer/src/lib/scenario-results.js';
import { testOutcome } from '../../renderer/src/lib/step-text.js';

const failed: ScenarioResult = {
  name: 'Adds an item',
  passed: false,
  steps: [
    { step: 'open /', ok: true, error: null, screenshot: '.macs/screenshots/adds-an-item-1.png', durationMs: 200 },
    { step: 'click Add', ok: true, error: null, screenshot: '.macs/screenshots/adds-an-item-2.png', durationMs: 80 },
    { step: 'expect the text milk in the list', ok: false, error: 'Expected the text "milk" in list; list shows nothing', screenshot: '.macs/screenshots/adds-an-item-3.png', durationMs: 4000 },
  ],
  consoleErrors: ['Uncaught TypeError: list.append is not a function'],
  failedRequests: ['blocked (offline): GET https://cdn.example.com/x.js'],
  domExcerpt: 'Todos\nNew item\nAdd',
  durationMs: 4300,
};
const passed: ScenarioResult = { ...failed, name: 'Shows the title', passed: true, steps: [failed.steps[0]], consoleErrors: [], failedRequests: [], domExcerpt: null };

describe('web check report', () => {
  it('tells the fix step the scenario, the failed step, the expectation, the page text and the errors', () => {
    const report = scenarioReport([passed, failed], 'http://127.0.0.1:4000/');
    expect(report).toMatchObject({ level: 'scenarios', passed: false, counts: { passed: 1, failed: 1 } });
    expect(report.failures).toEqual([{ name: 'Adds an item', message: 'expect the text milk in the list: Expected the text "milk" in list; list shows nothing', location: null }]);
    const prompt = formatTestReportForPrompt(report);
    for (const part of [
      'The unit tests pass, but 1 smoke scenario failed in a real browser against the running app (http://127.0.0.1:4000/).',
      'Scenario "Adds an item":',
      '  3. expect the text milk in the list — FAILED',
      'Failed step: expect the text milk in the list',
      'Expectation: Expected the text "milk" in list; list shows nothing',
      'Page text at the failure:\n  Todos\n  New item\n  Add',
      '  - Uncaught TypeError: list.append is not a function',
      '  - blocked (offline): GET https://cdn.example.com/x.js',
    ]) {
      expect(prompt).toContain(part);
    }
    expect(prompt).not.toContain('Shows the title');
    expect(testOutcome(report)).toBe('1 of 2 scenarios failed');
  });

  it('reads a stored web check for the Steps tab, and nothing from a shape it does not know', () => {
    const view = readWebcheck({ output: { passed: false, skipped: null, url: 'http://127.0.0.1:4000/', scenarios: [failed], notUnderstood: [{ name: 'x', reasons: ['no'] }], report: null } })!;
    expect(view.scenarios[0].steps[2].screenshot).toBe('.macs/screenshots/adds-an-item-3.png');
    expect(view.notUnderstood).toEqual([{ name: 'x', reasons: ['no'] }]);
    expect(webcheckOutcome(view)).toBe('1 of 1 scenario failed');
    expect(webcheckOutcome({ ...view, skipped: 'No Chromium was found' })).toBe('the scenarios were not run: No Chromium was found');
    expect(readWebcheck({ output: { scenarios: [{ name: 1 }] } })).toBeNull();
    expect(readWebcheck({ output: 'text' })).toBeNull();
    expect(screenshotName('.macs/screenshots/adds-an-item-3.png')).toBe('adds-an-item-3.png');
  });
});
