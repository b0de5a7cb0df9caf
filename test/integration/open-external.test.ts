// app.openExternal through the real engine (contract validation + handler): links from
// model output that are not web or mail links are refused with LINK_NOT_ALLOWED on every
// host; the engine itself never opens anything (the desktop app overrides the method after
// the user's confirm, the browser host opens a tab in the page).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/core/engine/index.js';
import { toErrorPayload } from '../../shared/index.js';
import { closedPort, openEngine, tempDataDir } from './helpers.js';

let dataDir: string;
let engine: Engine;

beforeAll(async () => {
  dataDir = tempDataDir('open-external');
  engine = openEngine(dataDir, `http://127.0.0.1:${await closedPort()}`);
});

afterAll(async () => {
  await engine.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function refusal(url: unknown): Promise<{ code: string; message: string }> {
  try {
    await engine.invoke('app.openExternal', { url });
  } catch (err) {
    return toErrorPayload(err);
  }
  throw new Error(`app.openExternal(${String(url)}) was not refused`);
}

describe('app.openExternal in the engine', () => {
  it('refuses every scheme but http, https and mailto, saying which', async () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://evil.example/share',
      'vscode://file/etc/passwd',
      'ms-msdt:/id PCWDiagnostic',
      'data:text/html,<script>alert(1)</script>',
      'app://macs/index.html',
      'ftp://example.com/',
    ]) {
      const err = await refusal(url);
      expect(err.code, url).toBe('LINK_NOT_ALLOWED');
      expect(err.message).toContain(`"${new URL(url).protocol}"`);
    }
    expect((await refusal('/relative/path')).code).toBe('LINK_NOT_ALLOWED');
    const incomplete = await refusal('https://');
    expect(incomplete.code).toBe('LINK_NOT_ALLOWED');
    expect(incomplete.message).toMatch(/not a complete http, https or mailto URL/);
  });

  it('validates the input against the contract', async () => {
    expect((await refusal(42)).code).toBe('INVALID_INPUT');
    expect((await refusal('https://example.com/' + 'a'.repeat(9000))).code).toBe('INVALID_INPUT');
  });

  it('does not open web links itself: only a host with a user in front of it can (NOT_SUPPORTED)', async () => {
    const err = await refusal('https://example.com/docs');
    expect(err.code).toBe('NOT_SUPPORTED');
    expect(err.message).toMatch(/new tab|desktop app/);
  });
});
