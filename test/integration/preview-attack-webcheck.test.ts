// Adversarial review of issue 14's web check step (electron/core/pipeline/steps/webcheck-step.ts):
// it runs on the host and handles <workspace>/.macs/screenshots, which the sandboxed app (started
// by the step itself, running meanwhile) can write. Stand-ins for the preview and the agent;
// real files and real symlinks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppRun, ScenarioResult } from '../../shared/index.js';
import { runWebcheckStep } from '../../electron/core/pipeline/steps/webcheck-step.js';
import type { PreviewService, WebAgent } from '../../electron/core/preview/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function bed(plant: (root: string, outside: string) => void, shots: string[]) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-attack-webcheck-'));
  dirs.push(base);
  const root = path.join(base, 'workspace');
  const outside = path.join(base, 'users-files');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  const ready = { state: 'ready', url: 'http://127.0.0.1:1/', plan: null } as unknown as AppRun;
  const preview = { status: () => ({ state: 'idle' }), run: async () => ready, waitSettled: async () => ready, stop: async () => ready } as unknown as PreviewService;
  const webAgent: WebAgent = {
    available: () => ({ ok: true, executable: '/bin/true' }),
    // The app plants its links while the agent drives the page (here: when the agent starts).
    runScenarios: async () => {
      plant(root, outside);
      const result: ScenarioResult = { name: 's', passed: true, steps: shots.map((s) => ({ step: 'open /', ok: true, error: null, screenshot: s, durationMs: 1 })), consoleErrors: [], failedRequests: [], domExcerpt: null, durationMs: 1 };
      return [result];
    },
  };
  const env = { task: { projectId: 'p1' }, workspace: { root }, emit: () => undefined, signal: new AbortController().signal };
  const archiveDir = path.join(base, 'archive');
  const run = () => runWebcheckStep(env as never, { commandMs: 0 } as never, { scenarios: [{ name: 's', steps: ['open /'] }] }, { preview, webAgent, archiveDir });
  return { root, outside, archiveDir, run };
}

describe('preview attacks: the web check step and .macs/screenshots', () => {
  // Was a hole: mkdirSync + readdirSync + rmSync of every *.png followed a .macs or
  // .macs/screenshots the app made a symlink: the step deleted the user's PNGs wherever the
  // link pointed. Now the folder is checked part by part (resetScreenshotFolder) and refused.
  it('does not delete PNGs through a .macs/screenshots link', async () => {
    const b = bed(() => undefined, []);
    fs.writeFileSync(path.join(b.outside, 'holiday.png'), 'the user photo');
    fs.mkdirSync(path.join(b.root, '.macs'));
    fs.symlinkSync(b.outside, path.join(b.root, '.macs', 'screenshots'));
    await b.run();
    expect(fs.existsSync(path.join(b.outside, 'holiday.png'))).toBe(true);
  });

  // Was a hole: copyFileSync(root/<screenshot>) followed a link the app put where a
  // screenshot was, copying any file the user can read into the step's archive. Now only a
  // regular file opened with O_NOFOLLOW in the workspace's own folder is read (readScreenshot).
  it("does not copy a secret the app linked in place of a screenshot into the step's archive", async () => {
    const b = bed((root, outside) => {
      fs.writeFileSync(path.join(outside, 'id_ed25519'), 'PRIVATE KEY');
      fs.symlinkSync(path.join(outside, 'id_ed25519'), path.join(root, '.macs', 'screenshots', 's-1.png'));
    }, ['.macs/screenshots/s-1.png']);
    await b.run().catch(() => undefined);
    const archived = path.join(b.archiveDir, 's-1.png');
    expect(fs.existsSync(archived) ? fs.readFileSync(archived, 'utf8') : '').not.toContain('PRIVATE KEY');
  });
});
