// Issue 11 end to end, through the UI as a user works: create a project from a prompt,
// three follow-up turns in it (a feature; a build turn whose test fails, is fixed and passes;
// a bug the user describes), one conversation of all turns, restore version 2 from the
// Versions tab, reload the page mid-turn, and kill -9 `macs serve` during the build turn.
// The host side is checked too: the files in the project folder, its `git log`, and what
// the Ollama stand-in was sent (turn N's request holds the files as turn N-1 left them).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { answer, approve, filesAnswer, planJson, stepOf } from '../fixtures/build-scripts.js';
import type { OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot, sha256, startMacsServe, type MacsServer } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const MODEL = 'qwen2.5-coder:7b';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

// ---- the project as each turn leaves it ----

const TODO_V1 = [
  '"""A tiny todo list kept in memory."""',
  '',
  '',
  'def add(items, text):',
  '    """Append a new open item and return it."""',
  '    item = {"text": text, "done": False}',
  '    items.append(item)',
  '    return item',
  '',
].join('\n');
const README_V1 = '# todo\n\nA tiny todo list: `add(items, text)`.\n';

const COMPLETE_FN = ['', '', 'def complete(items, index):', '    """Mark the item at index as done."""', '    items[index]["done"] = True', '    return items[index]', ''].join('\n');
const TODO_V2 = TODO_V1 + COMPLETE_FN;

const countOpen = (body: string) => ['', '', 'def count_open(items):', '    """How many items are not done yet."""', body, ''].join('\n');
const TODO_V3_BUGGY = TODO_V2 + countOpen('    return len(items)');
const TODO_V3 = TODO_V2 + countOpen('    return sum(1 for item in items if not item["done"])');
const TEST_V3 = [
  'import sys',
  'import unittest',
  '',
  'sys.path.insert(0, ".")',
  'from todo import add, complete, count_open  # noqa: E402',
  '',
  '',
  'class CountOpenTest(unittest.TestCase):',
  '    def test_count_open_skips_done_items(self):',
  '        items = []',
  '        add(items, "milk")',
  '        add(items, "eggs")',
  '        complete(items, 0)',
  '        self.assertEqual(count_open(items), 1)',
  '',
].join('\n');

const TODO_V4 = TODO_V3.replace(
  '    """Append a new open item and return it."""\n',
  '    """Append a new open item and return it (blank text is refused)."""\n    if not text.strip():\n        raise ValueError("a todo item needs some text")\n',
);

const PROMPTS = [
  'A tiny Python todo list module (add items) with a README',
  'Add a feature: complete(items, index) marks an item as done',
  'Add count_open(items) that counts the items not done yet, with unit tests',
  'Bug: add() accepts an empty or blank text. It should raise ValueError instead.',
];

const fence = (file: string, content: string, lang = 'python') => `File: ${file}\n\`\`\`${lang}\n${content}\`\`\``;

const ANSWER_1 = ['Here is the todo module and its README.', '', fence('todo.py', TODO_V1), '', fence('README.md', README_V1, 'markdown'), ''].join('\n');
// Long enough to stream for several seconds at 25 tokens/s: the page is reloaded in the middle.
const INTRO_2 = 'Added complete() so items can be marked done.';
const OUTRO_2 = 'That is the whole feature: one new function, nothing else changed.';
const ANSWER_2 = [
  INTRO_2,
  '',
  '## What changed',
  '',
  ...Array.from({ length: 8 }, (_, i) => `- Note ${i + 1}: complete() takes the list and an index, sets "done" on that item and returns it, so callers can chain on it.`),
  '',
  fence('todo.py', TODO_V2),
  '',
  OUTRO_2,
  '',
].join('\n');
const ANSWER_4 = ['Blank items are now refused with a ValueError.', '', fence('todo.py', TODO_V4), ''].join('\n');

// ---- host-side checks ----

/** Every file under the project folder (not .git) → sha256. */
function folderState(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (p === '.git') continue;
      if (e.isDirectory()) walk(p);
      else out[p] = sha256(fs.readFileSync(path.join(dir, p)));
    }
  };
  walk('');
  return out;
}

function git(root: string, ...args: string[]): string {
  const res = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr}`);
  return res.stdout;
}

/** The project's commits, oldest first, with the MACS-Turn trailer (the task id) when there is one. */
function commits(root: string): Array<{ sha: string; turn: string }> {
  const out = git(root, 'log', '--reverse', '--format=%H %(trailers:key=MACS-Turn,valueonly,separator=%x2C)%x00');
  return out
    .split('\0')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [sha, turn = ''] = s.split(/\s+/);
      return { sha, turn };
    });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- REST answers are checked field by field
type Body = any;

/** A REST read with the UI's per-launch token (reads only, as the browser may). */
async function read(server: MacsServer, urlPath: string): Promise<Body> {
  const url = new URL(server.url);
  const res = await fetch(`${url.origin}${urlPath}`, { headers: { authorization: `Bearer ${url.searchParams.get('token')}` } });
  if (res.status !== 200) throw new Error(`GET ${urlPath}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The text of the chat requests sent since `from` (an index into standin.requests). */
function chatRequestsSince(standin: OllamaStandin, from: number): Array<{ body: Record<string, unknown>; text: string }> {
  return standin.requests.slice(from).flatMap((r) => {
    if (r.path !== '/api/chat') return [];
    const body = r.body as Record<string, unknown>;
    const messages = (body.messages as Array<{ content: string }> | undefined) ?? [];
    return [{ body, text: messages.map((m) => m.content).join('\n') }];
  });
}

// ---- UI helpers ----

const turns = (page: Page) => page.getByTestId('turn');
const treeFile = (page: Page, p: string) => page.locator(`[data-testid="ws-tree-row"][data-path="${p}"]`);

async function pickModel(page: Page, standin?: OllamaStandin): Promise<void> {
  const picker = page.getByTestId('model-picker');
  try {
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
  } catch (err) {
    // What the user saw instead, for the report.
    await screenshot(page, 'p-debug-no-models');
    const options = await picker.locator('option').allInnerTexts().catch(() => []);
    const status = await page.locator('.statusbar').innerText().catch(() => '?');
    const recent = standin?.requests.slice(-15).map((r) => `${r.method} ${r.path}`) ?? [];
    console.log(`[projects e2e] no ${MODEL} in the picker: options ${JSON.stringify(options)}; status bar: ${status.replace(/\n/g, ' | ')}; the stand-in's last requests: ${recent.join(', ')}`);
    throw err;
  }
  await picker.selectOption(MODEL);
}

async function send(page: Page, prompt: string): Promise<void> {
  await page.getByTestId('prompt-input').fill(prompt);
  await page.getByTestId('send-button').click();
}

async function turnSettled(page: Page, n: number, timeout = 30_000): Promise<string> {
  const turn = turns(page).nth(n - 1);
  await expect.poll(() => turn.getAttribute('data-status'), { timeout }).toMatch(/^(succeeded|failed|cancelled)$/);
  return (await turn.getAttribute('data-status'))!;
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe.skipIf(!chromiumAvailable())('projects in the browser: one project, many turns', () => {
  const suite = useBrowserSuite();

  it('creates a project, continues it three times (chat, build with a failing then fixed test, bug fix), survives a reload and a kill -9, and restores version 2', async () => {
    const app = await suite.startApp('projects-flow');
    const { standin, dataDir } = app;
    let { page, errors, server } = app;
    await pickModel(page);
    await screenshot(page, 'p1-empty');

    // ---- 1. New project → composer → send: its files appear in the tree ----
    await page.getByRole('button', { name: 'New project' }).click();
    standin.enqueueChat({ text: ANSWER_1, tokensPerSecond: 400 });
    let mark = standin.requests.length;
    await send(page, PROMPTS[0]);
    await turns(page).first().waitFor({ timeout: 10_000 });
    expect(await turnSettled(page, 1)).toBe('succeeded');
    const item = page.getByTestId('project-list-item');
    await expect.poll(() => item.count()).toBe(1);
    await expect.poll(() => item.first().getAttribute('aria-selected')).toBe('true');
    const projectId = (await item.first().getAttribute('data-project-id'))!;
    const root = (await item.first().getAttribute('title'))!;
    await treeFile(page, 'todo.py').waitFor({ timeout: 10_000 });
    await treeFile(page, 'README.md').waitFor();
    expect(fs.readFileSync(path.join(root, 'todo.py'), 'utf8')).toBe(TODO_V1);
    expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toBe(README_V1);
    expect(chatRequestsSince(standin, mark).at(-1)?.text).toContain(PROMPTS[0]);
    await screenshot(page, 'p2-created');

    // ---- 2a. A feature (chat turn), streamed slowly: reload the page in the middle ----
    standin.enqueueChat({ text: ANSWER_2, tokensPerSecond: 25 });
    mark = standin.requests.length;
    await send(page, PROMPTS[1]);
    await expect.poll(() => turns(page).count(), { timeout: 10_000 }).toBe(2);
    const turn2 = turns(page).nth(1);
    await expect.poll(() => turn2.getByTestId('chat-message-assistant').locator('.markdown').innerText().catch(() => ''), { timeout: 15_000 }).toContain('What changed');
    expect(await turn2.getAttribute('data-status')).toBe('running');
    await screenshot(page, 'p3-turn2-streaming');
    await page.reload();
    // The selected project survives the reload, and its running turn streams on.
    await expect.poll(() => turns(page).count(), { timeout: 15_000 }).toBe(2);
    const afterReload: string[] = [];
    for (let i = 0; i < 400; i++) {
      const status = await turn2.getAttribute('data-status');
      afterReload.push(status ?? '');
      if (status === 'succeeded' || status === 'failed') break;
      await page.waitForTimeout(50);
    }
    expect(afterReload, 'the turn was still running after the reload').toContain('running');
    expect(afterReload.at(-1)).toBe('succeeded');
    const text2 = await turn2.getByTestId('chat-message-assistant').locator('.markdown').innerText();
    expect(occurrences(text2, INTRO_2), text2).toBe(1);
    expect(occurrences(text2, OUTRO_2), text2).toBe(1);
    expect(occurrences(text2, 'Note 8:'), text2).toBe(1);
    await screenshot(page, 'p4-turn2-after-reload');
    // Its request held the files as turn 1 left them, and turn 1's prompt.
    const req2 = chatRequestsSince(standin, mark);
    expect(req2).toHaveLength(1);
    expect(req2[0].text).toContain(fence('todo.py', TODO_V1));
    expect(req2[0].text).toContain(README_V1);
    expect(req2[0].text).toContain(PROMPTS[0]);
    expect(fs.readFileSync(path.join(root, 'todo.py'), 'utf8')).toBe(TODO_V2);
    const afterTurn2 = folderState(root);

    // ---- 2b. A build turn: the test fails, is fixed and passes. kill -9 of macs serve while it writes the code ----
    const slowImplement = filesAnswer({ 'todo.py': TODO_V3_BUGGY, 'tests/test_todo.py': TEST_V3 }, 'python');
    standin.enqueueChat(answer('plan', planJson({ summary: 'count_open with tests', language: 'Python', files: [['todo.py', 'count_open'], ['tests/test_todo.py', 'unittest tests']], test_command: 'python3 -m unittest discover -s tests -v' })));
    standin.enqueueChat(answer('implement', slowImplement, { tokensPerSecond: 15 }));
    // After the restart the step that was cut off asks again.
    standin.enqueueChat(answer('implement', slowImplement));
    standin.enqueueChat(answer('fix', filesAnswer({ 'todo.py': TODO_V3 }, 'python')));
    standin.enqueueChat(answer('review', approve));
    mark = standin.requests.length;
    await page.getByTestId('composer-kind-build').click();
    await send(page, PROMPTS[2]);
    // A build turn opens its Steps tab.
    await expect.poll(() => page.getByRole('tab', { name: 'Steps' }).getAttribute('aria-selected'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => chatRequestsSince(standin, mark).filter((r) => stepOf(r.body) === 'implement').length, { timeout: 20_000 }).toBe(1);
    await page.waitForTimeout(1_500); // a few tokens in
    await screenshot(page, 'p5-turn3-steps-before-kill');
    const turn3Id: string = (await read(server, `/v1/projects/${projectId}`)).turns[2]?.task_id;
    await page.getByRole('tab', { name: 'Chat' }).click();
    await expect.poll(() => turns(page).count(), { timeout: 10_000 }).toBe(3);
    expect(await turns(page).nth(2).getAttribute('data-task-id')).toBe(turn3Id);
    await screenshot(page, 'p5b-turn3-chat-before-kill');
    expect(errors).toEqual([]);
    process.kill(server.pid, 'SIGKILL');
    await page.getByTestId('connection-banner').waitFor({ timeout: 10_000 });
    await screenshot(page, 'p6-engine-killed');

    server = await startMacsServe({ dataDir, ollamaHost: standin.url });
    const restarted = server;
    suite.defer(() => restarted.stop());
    suite.defer(() => fs.writeFileSync('/tmp/pf-server2.log', restarted.output()));
    ({ page, errors } = await suite.openPage(server.url));
    const tRestart = Date.now();
    await pickModel(page, standin);
    console.log(`[projects e2e] after the restart the model list showed ${Date.now() - tRestart} ms after the page opened`);
    const row = page.getByTestId('project-list-item');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.first().click();
    await screenshot(page, 'p6b-after-restart-opened');
    await page.getByRole('tab', { name: 'Chat' }).click();
    const tOpen = Date.now();
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    try {
      await expect.poll(() => turns(page).count(), { timeout: 30_000 }).toBe(3);
    } catch (err) {
      // What the user saw instead, and whether the server could answer, for the report.
      await screenshot(page, 'p-debug-no-turns');
      const t = Date.now();
      const rest = await read(server, `/v1/projects/${projectId}`).then((b) => `${b.turns.length} turns`, (e: unknown) => String(e));
      const toasts = await page.getByTestId('toast').allInnerTexts().catch(() => []);
      console.log(`[projects e2e] no turns ${Date.now() - tOpen} ms after the click; REST read of the project: ${rest} in ${Date.now() - t} ms; toasts ${JSON.stringify(toasts)}; console ${JSON.stringify(consoleLines)}; errors ${JSON.stringify(errors)}`);
      throw err;
    }
    console.log(`[projects e2e] after the restart the project's turns showed ${Date.now() - tOpen} ms after the click`);
    expect(await turns(page).nth(2).getAttribute('data-task-id')).toBe(turn3Id);
    expect(await turnSettled(page, 3, 90_000)).toBe('succeeded');
    await screenshot(page, 'p7-turn3-after-restart');

    // Exactly once: one succeeded status, one version (one commit) for the turn, the files as the fix left them.
    const events3 = (await read(server, `/v1/tasks/${turn3Id}/events?limit=10000`)).events as Array<{ type: string; data: Body }>;
    const statuses = events3.filter((e) => e.type === 'status').map((e) => e.data.status);
    expect(statuses.filter((s) => s === 'succeeded'), statuses.join(' → ')).toHaveLength(1);
    expect(statuses, 'the kill interrupted the turn').toContain('interrupted');
    const task3 = await read(server, `/v1/tasks/${turn3Id}`);
    expect(task3.status).toBe('succeeded');
    const tests = (task3.steps as Body[]).filter((st) => st.step === 'test');
    expect(tests.map((st) => st.status), JSON.stringify(task3.steps.map((st: Body) => [st.step, st.status]))).toEqual(['failed', 'succeeded']);
    expect(fs.readFileSync(path.join(root, 'todo.py'), 'utf8')).toBe(TODO_V3);
    expect(fs.readFileSync(path.join(root, 'tests/test_todo.py'), 'utf8')).toBe(TEST_V3);
    expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toBe(README_V1); // a build turn in a project has no docs step
    expect(commits(root).filter((c) => c.turn.includes(turn3Id))).toHaveLength(1);
    // The build's requests held the files as turn 2 left them.
    const req3 = chatRequestsSince(standin, mark);
    const plan3 = req3.find((r) => stepOf(r.body) === 'plan');
    expect(plan3?.text).toContain(TODO_V2);
    expect(req3.filter((r) => stepOf(r.body) === 'plan')).toHaveLength(1); // the plan was not asked again after the restart
    // The Steps tab: the failed test, the fix, the passing test.
    await turns(page).nth(2).getByRole('button', { name: 'Turn 3' }).click();
    await page.getByRole('tab', { name: 'Steps' }).click();
    const stepRow = (ref: string) => page.locator(`[data-testid="step-row"][data-step="${ref}"]`);
    await expect.poll(() => stepRow('test@v1').getAttribute('data-status'), { timeout: 10_000 }).toBe('failed');
    expect(await stepRow('test@v2').getAttribute('data-status')).toBe('succeeded');
    await screenshot(page, 'p8-turn3-steps');
    await page.getByRole('tab', { name: 'Chat' }).click();

    // ---- 2c. A bug the user describes (chat turn) ----
    await page.getByTestId('composer-kind-chat').click();
    standin.enqueueChat({ text: ANSWER_4, tokensPerSecond: 400 });
    mark = standin.requests.length;
    await send(page, PROMPTS[3]);
    await expect.poll(() => turns(page).count(), { timeout: 10_000 }).toBe(4);
    expect(await turnSettled(page, 4)).toBe('succeeded');
    const req4 = chatRequestsSince(standin, mark);
    expect(req4).toHaveLength(1);
    expect(req4[0].text).toContain(fence('todo.py', TODO_V3));
    expect(req4[0].text).toContain(TEST_V3);
    expect(req4[0].text).toContain(README_V1);
    for (const p of PROMPTS.slice(0, 3)) expect(req4[0].text).toContain(p);
    expect(fs.readFileSync(path.join(root, 'todo.py'), 'utf8')).toBe(TODO_V4);

    // ---- 3. All turns in one conversation, in order ----
    const shown = await turns(page).evaluateAll((els) => els.map((e) => [e.getAttribute('data-task-id'), e.getAttribute('data-status')]));
    const detail = await read(server, `/v1/projects/${projectId}`);
    expect(shown.map(([id]) => id)).toEqual(detail.turns.map((t: Body) => t.task_id));
    expect(shown.map(([, st]) => st)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const userTexts = await page.getByTestId('conversation').getByTestId('chat-message-user').allInnerTexts();
    expect(userTexts.map((t) => t.trim())).toEqual(PROMPTS);
    await screenshot(page, 'p9-conversation');

    // ---- 4. Restore version 2 from the Versions tab ----
    const versions = (await read(server, `/v1/projects/${projectId}/versions`)).versions as Body[];
    expect(versions.map((v) => [v.number, v.kind])).toEqual([
      [1, 'turn'],
      [2, 'turn'],
      [3, 'turn'],
      [4, 'turn'],
    ]);
    expect(versions.map((v) => v.task_id)).toEqual(detail.turns.map((t: Body) => t.task_id));
    const v2Commit = commits(root).find((c) => c.turn.includes(detail.turns[1].task_id))!.sha;
    await page.getByRole('tab', { name: 'Versions' }).click();
    const versionRows = page.getByTestId('version-row');
    await expect.poll(() => versionRows.count(), { timeout: 10_000 }).toBe(4);
    const v2Row = page.locator('[data-testid="version-row"][data-number="2"]');
    await v2Row.getByRole('button', { name: /v2/ }).click();
    await screenshot(page, 'p10-versions-v2-open');
    // The restore asks first, in the pane (no native confirm: one would fail this test), naming what happens.
    page.once('dialog', (d) => void d.dismiss());
    await v2Row.getByRole('button', { name: 'Restore this version' }).click();
    const confirmBar = v2Row.getByTestId('version-confirm');
    expect(await confirmBar.getByTestId('version-confirm-text').innerText()).toBe('Bring the files back to version 2 as a new version 5? Nothing is lost: you can restore version 4 again.');
    // Every row on one line at this width (v3's longer message used to push its marks onto a second line).
    const rowHeights = await page.locator('[data-testid="version-row"]:not([data-number="2"]) .version-main').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().height)));
    expect(new Set(rowHeights).size).toBe(1);
    await screenshot(page, 'p10b-restore-confirm');
    await confirmBar.getByTestId('version-confirm-button').click();
    await expect.poll(() => versionRows.count(), { timeout: 15_000 }).toBe(5);
    await expect.poll(() => page.locator('[data-testid="version-row"][data-number="5"]').getAttribute('data-current')).toBe('true');
    await expect.poll(() => folderState(root), { timeout: 10_000 }).toEqual(afterTurn2);
    expect(fs.readFileSync(path.join(root, 'todo.py'), 'utf8')).toBe(git(root, 'show', `${v2Commit}:todo.py`));
    expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toBe(git(root, 'show', `${v2Commit}:README.md`));
    expect(fs.existsSync(path.join(root, 'tests/test_todo.py'))).toBe(false);
    const after = (await read(server, `/v1/projects/${projectId}/versions`)).versions as Body[];
    expect(after.at(-1)).toMatchObject({ number: 5, kind: 'restore', current: true });
    expect(commits(root)).toHaveLength(5);
    // The tree follows: the build turn's test file is gone.
    await expect.poll(() => treeFile(page, 'tests').count(), { timeout: 10_000 }).toBe(0);
    const heightsAfter = await page.locator('[data-testid="version-row"]:not([data-number="2"]) .version-main').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().height)));
    expect(new Set(heightsAfter).size).toBe(1);
    await screenshot(page, 'p11-restored');

    // The conversation keeps every turn; the two after version 2 are marked undone.
    await page.getByRole('tab', { name: 'Chat' }).click();
    await expect.poll(() => turns(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-undone'))), { timeout: 10_000 }).toEqual(['false', 'false', 'true', 'true']);
    // It opens at the newest turn, with the notice of what the restore undid in view.
    const notice = page.getByTestId('undone-notice');
    await expect.poll(() => notice.innerText()).toBe('Turns 3–4 were undone by restoring version 2.');
    const atBottom = () => page.locator('.chat-scroll').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 40);
    await expect.poll(atBottom, { timeout: 5_000 }).toBe(true);
    expect(await notice.isVisible()).toBe(true);
    await screenshot(page, 'p12-conversation-after-restore');
    // Versions, then Chat again: still the newest turn (it reopened at Turn 1 before).
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByRole('tab', { name: 'Chat' }).click();
    await expect.poll(atBottom, { timeout: 5_000 }).toBe(true);
    await page.setViewportSize({ width: 1024, height: 640 });
    await expect.poll(atBottom, { timeout: 5_000 }).toBe(true);
    await screenshot(page, 'p13-conversation-1024');
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByTestId('undo-last-turn').click();
    expect(await page.getByTestId('version-confirm-text').innerText()).toBe(
      'Undo the last turn (version 2)? The files go back to version 1 as a new version 6. Nothing is lost: you can restore version 5 again.',
    );
    await screenshot(page, 'p14-versions-undo-confirm-1024');
    await page.getByTestId('version-confirm-cancel').click();
    await expect.poll(() => page.getByTestId('version-confirm').count()).toBe(0);
    // Narrow: every row puts its marks under the message, or none does.
    const narrowHeights = await page.locator('[data-testid="version-row"] .version-main').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().height)));
    expect(new Set(narrowHeights).size).toBe(1);
    await screenshot(page, 'p15-versions-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    console.log(`[projects e2e] stand-in: ${standin.requests.filter((r) => r.path === '/api/chat').length} chat requests, ${standin.abortedStreams} aborted; turn 3 statuses: ${statuses.join(' → ')}; steps: ${task3.steps.map((st: Body) => `${st.step}:${st.status}`).join(' ')}`);
    expect(errors).toEqual([]);
  }, 300_000);
});
