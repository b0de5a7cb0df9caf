// The web check in a real build: the stand-in answers as a model would, the plan lists a
// smoke scenario, the first implementation's Add button does nothing (its unit test passes),
// the web agent catches it in the machine's Chromium, the fix round (which reads the
// scenario, the failed step, the expectation and the page's text) fixes it, the scenario
// passes, and the turn's version is marked working. The app runs through the engine's own
// preview service (a static index.html, served by MACS).
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { findChromium } from '../../electron/core/preview/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { answer, approve, filesAnswer, stepOf } from '../fixtures/build-scripts.js';
import { openEngine, tempDataDir } from './helpers.js';
import { addScenario, todoPage } from './web-agent-pages.js';

const browser = findChromium();
if (!browser.ok) console.log(`web check build test SKIPPED: ${browser.reason}`);

const plan = JSON.stringify({
  summary: 'A one-page todo list.',
  language: 'HTML',
  files: [
    { path: 'index.html', purpose: 'the page: an input, an Add button and the list' },
    { path: 'test/page.test.js', purpose: 'node:test checks of the page' },
  ],
  test_command: 'node --test',
  acceptance: ['Add puts the item in the list'],
  run_command: '',
  scenarios: [addScenario],
});
const pageTest =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport fs from 'node:fs';\n\ntest('the page has an Add button', () => {\n  assert.match(fs.readFileSync('index.html', 'utf8'), /<button[^>]*>Add<\\/button>/);\n});\n";

let standin: OllamaStandin;
let engine: Engine | undefined;
let dataDir: string;

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('webcheck');
});

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Steps = MethodResult<'tasks.steps'>['steps'];

describe.skipIf(!browser.ok)('build: the web check in the fix loop', () => {
  it('catches an Add button that does nothing, fixes it in a fix round, passes, and marks the version working', async () => {
    standin.enqueueChat(answer('plan', plan));
    standin.enqueueChat(answer('implement', filesAnswer({ 'index.html': todoPage(false), 'test/page.test.js': pageTest })));
    standin.enqueueChat(answer('fix', filesAnswer({ 'index.html': todoPage(true) }, 'html')));
    standin.enqueueChat(answer('review', approve));
    engine = openEngine(dataDir, standin.url);
    const { task: created } = (await engine.invoke('tasks.create', { prompt: 'Make a todo list page.', kind: 'build', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
    const task = await engine.waitForTask(created.id, 120_000);
    expect(task.error).toBeNull();
    expect(task.status).toBe('succeeded');

    const { steps } = (await engine.invoke('tasks.steps', { taskId: task.id })) as { steps: Steps };
    expect(steps.filter((s) => s.step !== 'docs').map((s) => `${s.step}@v${s.version}:${s.status}`)).toEqual([
      'plan@v1:succeeded',
      'implement@v1:succeeded',
      'test@v1:succeeded',
      'webcheck@v1:failed',
      'fix@v1:succeeded',
      'test@v2:succeeded',
      'webcheck@v2:succeeded',
      'review@v1:succeeded',
    ]);
    expect(steps.find((s) => s.step === 'webcheck' && s.version === 1)!.summary).toBe('1 of 1 scenario failed: Adds an item');
    expect(steps.find((s) => s.step === 'webcheck' && s.version === 2)!.summary).toBe('1 scenario passed in a browser');

    // The fix round read the scenario, the failed step, the expectation, the page's text.
    const fix = standin.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as Record<string, unknown>).find((b) => stepOf(b) === 'fix')!;
    const fixPrompt = (fix.messages as Array<{ content: string }>).at(-1)!.content;
    expect(fixPrompt).toContain('smoke scenario failed in a real browser');
    expect(fixPrompt).toContain('Scenario "Adds an item"');
    expect(fixPrompt).toContain('Failed step: expect the text milk in the list');
    expect(fixPrompt).toMatch(/Expectation: Expected the text "milk" in list/);
    expect(fixPrompt).toContain('Page text at the failure:');

    // Screenshots: the project keeps the latest run's, each step attempt its own.
    const shots = fs.readdirSync(path.join(task.workspacePath, '.macs', 'screenshots')).sort();
    expect(shots).toEqual(['adds-an-item-1.png', 'adds-an-item-2.png', 'adds-an-item-3.png', 'adds-an-item-4.png', 'adds-an-item-5.png']);
    const { dataUrl } = (await engine.invoke('tasks.stepScreenshot', { taskId: task.id, version: 1, name: 'adds-an-item-5.png' })) as MethodResult<'tasks.stepScreenshot'>;
    expect(dataUrl.startsWith('data:image/png;base64,iVBOR')).toBe(true);
    await expect(engine.invoke('tasks.stepScreenshot', { taskId: task.id, version: 3, name: 'adds-an-item-1.png' })).rejects.toMatchObject({ code: 'SCREENSHOT_NOT_FOUND' });
    await expect(engine.invoke('tasks.stepScreenshot', { taskId: task.id, version: 1, name: '../../x.png' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    // The app was not running before the check: it is stopped after it.
    const { run } = (await engine.invoke('apps.status', { projectId: task.projectId! })) as MethodResult<'apps.status'>;
    expect(run.state).toBe('idle');

    // The turn's version is "working"; the screenshots are not part of it (.macs is ignored by git).
    const { versions } = (await engine.invoke('projects.versions', { projectId: task.projectId! })) as MethodResult<'projects.versions'>;
    expect(versions.at(-1)).toMatchObject({ kind: 'turn', taskId: task.id, working: true });
    const { files } = (await engine.invoke('projects.versionDiff', { projectId: task.projectId!, versionId: versions.at(-1)!.id })) as { files: Array<{ path: string }> };
    expect(files.map((f) => f.path).filter((p) => p.startsWith('.macs'))).toEqual([]);

    // The export holds them under .macs/screenshots/ (and nothing else of .macs).
    const exported = await engine.exportTask(task.id);
    const zip = await JSZip.loadAsync(fs.readFileSync(exported.path));
    expect(Object.keys(zip.files).filter((n) => n.startsWith('.macs/') && !n.endsWith('/')).sort()).toEqual(shots.map((s) => `.macs/screenshots/${s}`));
  }, 180_000);
});

describe('build: the web check without a browser', () => {
  it('skips the scenarios saying why, goes on to the review, and does not mark the version working', async () => {
    const saved = process.env.MACS_CHROMIUM;
    process.env.MACS_CHROMIUM = '/nonexistent/chromium';
    try {
      standin.enqueueChat(answer('plan', plan));
      standin.enqueueChat(answer('implement', filesAnswer({ 'index.html': todoPage(true), 'test/page.test.js': pageTest })));
      standin.enqueueChat(answer('review', approve));
      engine = openEngine(dataDir, standin.url);
      const { task: created } = (await engine.invoke('tasks.create', { prompt: 'Make a todo list page.', kind: 'build', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
      const task = await engine.waitForTask(created.id, 120_000);
      expect(task.status).toBe('succeeded');
      const { steps } = (await engine.invoke('tasks.steps', { taskId: task.id })) as { steps: Steps };
      const web = steps.find((s) => s.step === 'webcheck')!;
      expect(web.status).toBe('succeeded');
      expect(web.summary).toBe('skipped: MACS_CHROMIUM is /nonexistent/chromium, which is not an executable file.');
      expect(steps.at(-1)!.step).toBe('review');
      const review = standin.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as Record<string, unknown>).find((b) => stepOf(b) === 'review')!;
      expect((review.messages as Array<{ content: string }>).at(-1)!.content).toContain('the smoke scenarios were not run (MACS_CHROMIUM is /nonexistent/chromium');
      const { versions } = (await engine.invoke('projects.versions', { projectId: task.projectId! })) as MethodResult<'projects.versions'>;
      expect(versions.at(-1)).toMatchObject({ kind: 'turn', taskId: task.id });
      expect(versions.at(-1)!.working).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.MACS_CHROMIUM;
      else process.env.MACS_CHROMIUM = saved;
    }
  }, 120_000);
});
