// End to end: the built `macs serve` + the real renderer in system Chromium + the
// Ollama stand-in. Screenshots land in test/e2e/screenshots/ (look at them).
import fs from 'node:fs';
import type { WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startOllamaStandin } from '../fixtures/ollama-standin/index.js';
import {
  chromiumAvailable,
  closedPort,
  collectPageErrors,
  CHROMIUM_PATH,
  editorText,
  readExportZip,
  screenshot,
  sha256,
  startMacsServe,
  tempDataDir,
  type MacsServer,
} from './helpers.js';
import { useBrowserSuite } from './suite.js';

const CSV2JSON = [
  'import argparse',
  'import csv',
  'import json',
  'import sys',
  '',
  '',
  'def convert(reader) -> list[dict]:',
  '    """Turn CSV rows into a list of dicts keyed by the header row."""',
  '    return [dict(row) for row in csv.DictReader(reader)]',
  '',
  '',
  'def main(argv=None) -> int:',
  '    parser = argparse.ArgumentParser(description="Convert CSV to JSON")',
  '    parser.add_argument("input", nargs="?", type=argparse.FileType("r"), default=sys.stdin)',
  '    parser.add_argument("--indent", type=int, default=2)',
  '    args = parser.parse_args(argv)',
  '    json.dump(convert(args.input), sys.stdout, indent=args.indent)',
  '    sys.stdout.write("\\n")',
  '    return 0',
  '',
  '',
  'if __name__ == "__main__":',
  '    raise SystemExit(main())',
  '',
].join('\n');

const TEST_CSV2JSON = [
  'import io',
  '',
  'from csv2json import convert',
  '',
  '',
  'def test_convert_rows():',
  '    data = io.StringIO("name,age\\nada,36\\nalan,41\\n")',
  '    assert convert(data) == [{"name": "ada", "age": "36"}, {"name": "alan", "age": "41"}]',
  '',
  '',
  'def test_header_only():',
  '    assert convert(io.StringIO("name,age\\n")) == []',
  '',
].join('\n');

const ANSWER = [
  "Here is a small command-line tool that converts CSV to JSON, plus tests.",
  '',
  '## How it works',
  '',
  '- `csv2json.py` reads CSV with `csv.DictReader` and writes a JSON array.',
  '- `test_csv2json.py` checks normal rows and a header-only file.',
  '',
  'File: csv2json.py',
  '```python',
  CSV2JSON + '```',
  '',
  'File: test_csv2json.py',
  '```python',
  TEST_CSV2JSON + '```',
  '',
  'File: ../../etc/passwd',
  '```',
  'root:x:0:0:root:/root:/bin/bash',
  '```',
  '',
  'Run it with `python csv2json.py data.csv` and the tests with `pytest`.',
  '',
].join('\n');

const MODEL = 'qwen2.5-coder:7b';
const PROMPT = 'A Python CLI that converts CSV to JSON, with tests';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('MACS in the browser (macs serve + Chromium)', () => {
  const suite = useBrowserSuite();
  const openUi = (server: MacsServer) => suite.openPage(server.url, { acceptDownloads: true });

  it('streams a two-file project into the chat, file tree and Monaco, then exports a verified zip', async () => {
    const { standin, dataDir, server, page, errors } = await suite.startApp('chat', {
      chat: { text: ANSWER, tokensPerSecond: 200, firstTokenDelayMs: 300 },
      acceptDownloads: true,
    });
    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('status-ollama').getAttribute('data-reachable')).toBe('true');
    await picker.selectOption(MODEL);
    await screenshot(page, '01-empty-state');

    await page.getByTestId('prompt-input').fill(PROMPT);
    await page.getByTestId('send-button').click();

    // Tokens stream: the assistant text grows over several samples before the task finishes.
    const assistant = page.getByTestId('chat-message-assistant');
    await assistant.waitFor({ timeout: 10_000 });
    const lengths: number[] = [];
    let sawStreamingFile = false;
    let sawLiveEditor = false;
    let streamingShot = false;
    const started = Date.now();
    for (;;) {
      const status = await assistant.getAttribute('data-status');
      // The streamed answer's length (the rendered text shrinks by design when a finished file block folds into a card).
      const chars = Number((await assistant.getAttribute('data-answer-chars')) ?? 0);
      if (status === 'running' && chars > 0) lengths.push(chars);
      const live = page.locator('[data-testid="ws-tree-row"][data-streaming="true"]');
      if ((await live.count()) > 0) {
        sawStreamingFile = true;
        const ed = page.locator('[data-testid="editor"][data-streaming="true"]');
        if ((await ed.count()) > 0 && (await editorText(page)).includes('import')) {
          sawLiveEditor = true;
          if (!streamingShot) {
            await screenshot(page, '02-streaming');
            streamingShot = true;
          }
        }
      }
      if (status === 'succeeded' || status === 'failed' || status === 'cancelled') break;
      if (Date.now() - started > 45_000) throw new Error('The task did not finish within 45 s');
      await page.waitForTimeout(60);
    }
    expect(await assistant.getAttribute('data-status')).toBe('succeeded');
    const distinct = [...new Set(lengths)];
    expect(distinct.length, `assistant text lengths while running: ${distinct.join(', ')}`).toBeGreaterThanOrEqual(4);
    expect(distinct).toEqual([...distinct].sort((a, b) => a - b)); // only ever grows
    expect(sawStreamingFile, 'a file showed its streaming indicator in the tree').toBe(true);
    expect(sawLiveEditor, 'Monaco showed a file while it was being written').toBe(true);

    // The finished answer: markdown rendered, refusal shown, usage footer, both files in the tree.
    await expect.poll(() => assistant.innerText()).toContain('Run it with');
    // File blocks are collapsed file cards (issue 18: the full text is in the editor).
    expect(await assistant.getByTestId('file-card').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId('notice-refused').innerText()).toContain('Refused to write ../../etc/passwd');
    await expect.poll(() => page.getByTestId('usage').innerText()).toContain('tok/s');
    // The project's tree (one file UI for every project): both files, nothing outside the folder.
    const tree = page.getByTestId('ws-tree');
    const fileRows = tree.locator('[data-testid="ws-tree-row"][data-kind="file"]');
    await expect.poll(() => fileRows.count()).toBe(2);
    await expect.poll(() => tree.locator('[data-path="csv2json.py"]').getAttribute('data-streaming')).toBe(null);
    expect(await tree.locator('[data-path="../../etc/passwd"]').count()).toBe(0);

    // Selecting a closed file loads it from disk into Monaco (editable).
    await tree.locator('[data-testid="ws-tree-row"][data-path="test_csv2json.py"]').click();
    await expect.poll(() => page.getByTestId('ws-editor').getAttribute('data-path')).toBe('test_csv2json.py');
    await expect.poll(() => editorText(page)).toContain('def test_header_only():');
    await tree.locator('[data-testid="ws-tree-row"][data-path="csv2json.py"]').click();
    await expect.poll(() => editorText(page)).toContain('raise SystemExit(main())');
    await expect.poll(() => page.getByTestId('project-list-item').first().getAttribute('data-state')).toBe('READY');
    await screenshot(page, '03-done');

    // Export: the browser downloads the zip; its manifest hashes match the contents.
    const exportButton = page.getByTestId('export-button');
    await expect.poll(() => exportButton.isEnabled()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const zipPath = await download.path();
    const zip = await readExportZip(zipPath);
    expect(zip.entries).toEqual(expect.arrayContaining(['csv2json.py', 'test_csv2json.py', 'manifest.json']));
    expect(zip.contents['csv2json.py'].toString('utf8')).toBe(CSV2JSON);
    expect(zip.contents['test_csv2json.py'].toString('utf8')).toBe(TEST_CSV2JSON);
    expect(zip.manifest.files.map((f) => f.path).sort()).toEqual(['csv2json.py', 'test_csv2json.py']);
    for (const f of zip.manifest.files) {
      expect(sha256(zip.contents[f.path]), `sha256 of ${f.path}`).toBe(f.sha256);
      expect(zip.contents[f.path].length).toBe(f.size);
    }
    await expect.poll(() => page.getByTestId('toast').first().innerText()).toContain('Exported');
    await screenshot(page, '04-exported');
    expect(errors).toEqual([]);

    // Edit a closed file in Monaco: dirty marker, Ctrl+S saves through files.write.
    await tree.locator('[data-testid="ws-tree-row"][data-path="csv2json.py"]').click();
    await expect.poll(() => editorText(page)).toContain('import argparse');
    await page.locator('[data-testid="ws-editor"] .view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('# edited in MACS\n');
    await expect.poll(() => page.getByTestId('dirty-marker').count()).toBe(1);
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('dirty-marker').count()).toBe(0);
    await expect.poll(async () => (await page.getByTestId('toast').allInnerTexts()).join('\n')).toContain('Saved csv2json.py');
    expect(errors).toEqual([]);

    // Restart the engine on the same data dir: the past chat and its files are still there.
    await server.stop();
    const again = await startMacsServe({ dataDir, ollamaHost: standin.url });
    suite.defer(() => again.stop());
    const { page: page2, errors: errors2 } = await openUi(again);
    const item = page2.getByTestId('project-list-item');
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    await item.first().click();
    await expect.poll(() => page2.getByTestId('chat-message-assistant').innerText()).toContain('Run it with');
    await expect.poll(() => page2.locator('[data-testid="ws-tree-row"][data-kind="file"]').count()).toBe(2);
    await page2.locator('[data-testid="ws-tree-row"][data-path="csv2json.py"]').click();
    await page2.getByTestId('ws-editor').waitFor({ timeout: 15_000 }); // Monaco loads on first use
    await expect.poll(() => editorText(page2), { timeout: 10_000 }).toContain('import argparse');
    expect(await editorText(page2)).toContain('# edited in MACS');
    await screenshot(page2, '05-after-restart');
    expect(errors2).toEqual([]);
  });

  it('Stop cancels a running task and keeps what arrived', async () => {
    const { standin, page, errors } = await suite.startApp('stop', { chat: { text: ANSWER, tokensPerSecond: 40, hangAfterTokens: 60 } });
    await expect.poll(() => page.getByTestId('model-picker').locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('model-picker').selectOption(MODEL);
    await page.getByTestId('prompt-input').fill(PROMPT);
    await page.getByTestId('prompt-input').press('Enter'); // Enter sends
    const assistant = page.getByTestId('chat-message-assistant');
    await expect.poll(() => assistant.locator('.markdown').innerText().catch(() => ''), { timeout: 15_000 }).toContain('How it works');
    await page.getByTestId('cancel-button').click();
    await expect.poll(() => assistant.getAttribute('data-status'), { timeout: 15_000 }).toBe('cancelled');
    await standin.waitForAbort(10_000);
    await expect.poll(() => page.getByTestId('notice-status').innerText()).toContain('Stopped');
    expect(await assistant.innerText()).toContain('How it works');
    expect(await page.getByTestId('cancel-button').count()).toBe(0);
    await screenshot(page, '06-stopped');
    expect(errors).toEqual([]);
  });

  it('resyncs after the engine connection drops mid-stream: no gaps, no duplicates', async () => {
    const standin = await startOllamaStandin();
    suite.defer(() => standin.close());
    standin.setDefaultChat({ text: ANSWER, tokensPerSecond: 120 });
    const dataDir = tempDataDir('drop');
    suite.defer(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const server = await startMacsServe({ dataDir, ollamaHost: standin.url });
    suite.defer(() => server.stop());

    const context = await suite.browser().newContext({ viewport: { width: 1440, height: 900 } });
    suite.defer(() => context.close());
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    // Proxy the engine WebSocket so the test can cut it; the first reconnect attempt is refused
    // too, so the UI spends a moment in "reconnecting".
    let connections = 0;
    let current: WebSocketRoute | null = null;
    await page.routeWebSocket(/\/ws\?token=/, (ws) => {
      connections++;
      if (connections === 2) {
        void ws.close({ code: 1011, reason: 'test: engine still away' });
        return;
      }
      current = ws;
      ws.connectToServer();
    });
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('model-picker').locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('model-picker').selectOption(MODEL);
    await page.getByTestId('prompt-input').fill(PROMPT);
    await page.getByTestId('send-button').click();

    const assistant = page.getByTestId('chat-message-assistant');
    await expect.poll(() => assistant.locator('.markdown').innerText().catch(() => ''), { timeout: 15_000 }).toContain('How it works');
    await current!.close({ code: 1006, reason: 'test: connection dropped' });
    await page.getByTestId('connection-banner').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('connection-banner').innerText()).toContain('Reconnecting to the engine');
    await screenshot(page, '09-reconnecting');

    await expect.poll(() => assistant.getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('connection-banner').count()).toBe(0);
    expect(connections).toBeGreaterThanOrEqual(3);
    const live = await assistant.locator('.markdown').innerText();
    expect(live.split('Here is a small command-line tool').length - 1).toBe(1);
    expect(live).toContain('Run it with');
    await expect.poll(() => page.locator('[data-testid="ws-tree-row"][data-kind="file"]').count()).toBe(2);

    // The view built from live frames + catch-up equals a fresh replay of the stored events.
    await page.reload();
    await page.getByTestId('project-list-item').first().click();
    await expect.poll(() => page.getByTestId('chat-message-assistant').locator('.markdown').innerText()).toBe(live);
    expect(errors).toEqual([]);
  });

  it('maps a model error to text the user can act on', async () => {
    const { page } = await suite.startApp('fail', { chat: { error: { status: 404, message: `model "${MODEL}" not found, try pulling it first` } } });
    await expect.poll(() => page.getByTestId('model-picker').locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('model-picker').selectOption(MODEL);
    await page.getByTestId('prompt-input').fill(PROMPT);
    await page.getByTestId('send-button').click();
    const assistant = page.getByTestId('chat-message-assistant');
    await expect.poll(() => assistant.getAttribute('data-status'), { timeout: 15_000 }).toBe('failed');
    const notice = page.getByTestId('notice-status');
    await expect.poll(() => notice.innerText()).toContain(`Model ${MODEL} is not installed here (ollama pull ${MODEL} installs it).`);
    expect(await notice.locator('code').innerText()).toBe(`ollama pull ${MODEL}`);
    // The way out is right there: pull it and run again (not a Retry that can only fail again).
    expect(await page.getByTestId('missing-model-pull').count()).toBe(1);
    await screenshot(page, '10-model-missing');
  });

  it('shows the Ollama-unreachable banner with the host, and recovers when Ollama comes up', async () => {
    const port = await closedPort();
    const host = `http://127.0.0.1:${port}`;
    const dataDir = tempDataDir('down');
    suite.defer(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const server = await startMacsServe({ dataDir, ollamaHost: host });
    suite.defer(() => server.stop());

    const { page } = await openUi(server);
    const banner = page.getByTestId('ollama-banner');
    await banner.waitFor({ timeout: 15_000 });
    const text = await banner.innerText();
    expect(text).toContain(`127.0.0.1:${port}`);
    expect(text).toContain('OLLAMA_HOST');
    expect(text).toContain('Retrying every 5 s');
    expect(await page.getByTestId('status-ollama').innerText()).toContain(`Ollama not reachable at ${host}`);
    expect(await page.getByTestId('send-button').isDisabled()).toBe(true);
    await screenshot(page, '07-ollama-unreachable');

    // Ollama comes up on that port: the 5 s poll notices, the banner goes, models load.
    const standin = await startOllamaStandin({ port });
    suite.defer(() => standin.close());
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('status-ollama').getAttribute('data-reachable')).toBe('true');
    await expect.poll(() => page.getByTestId('model-picker').locator('option', { hasText: MODEL }).count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, '08-ollama-recovered');
  });
});
