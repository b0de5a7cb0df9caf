// Shared by the preview-run tests: a real SQLite file with projects, real bubblewrap, a
// TerminalManager, and the preview service over them. Project folders live under the
// sandbox fixtures root (outside /tmp and HOME, which the sandbox hides).
import fs from 'node:fs';
import path from 'node:path';
import type { AppRun, Project } from '../../shared/index.js';
import { openDatabase, type Db } from '../../electron/core/db/index.js';
import { createPreviewService, type PreviewService } from '../../electron/core/preview/index.js';
import { TerminalManager } from '../../electron/core/terminal/index.js';
import type { Sandbox } from '../../electron/core/sandbox/index.js';
import { fixturesRoot, HAS_BWRAP, sandbox } from './sandbox-harness.js';

export { HAS_BWRAP, sandbox };

export interface PreviewBed {
  dir: string;
  db: Db;
  service: PreviewService;
  terminal: TerminalManager;
  published: AppRun[];
  terminalText: (sessionId: string) => string;
  addProject: (name: string, files: Record<string, string>) => Project;
  close: () => Promise<void>;
}

export function createPreviewBed(opts: { readyTimeoutMs?: number; sandbox?: Sandbox } = {}): PreviewBed {
  const dir = fs.mkdtempSync(path.join(fixturesRoot(), 'preview-run-'));
  const db = openDatabase(path.join(dir, 'macs.db'));
  const projects = new Map<string, Project>();
  const published: AppRun[] = [];
  const output = new Map<string, string>();
  const terminal = new TerminalManager({
    sandbox,
    publishOutput: (o) => output.set(o.sessionId, (output.get(o.sessionId) ?? '') + o.data),
    publishExit: () => undefined,
  });
  const service = createPreviewService({
    db,
    dataDir: dir,
    sandbox: opts.sandbox ?? sandbox,
    terminal,
    project: (id) => {
      const p = projects.get(id);
      if (!p) throw new Error(`no project ${id}`);
      return p;
    },
    appOrigins: () => [],
    publish: (run) => published.push(run),
    readyTimeoutMs: opts.readyTimeoutMs,
  });
  let n = 0;
  return {
    dir,
    db,
    service,
    terminal,
    published,
    terminalText: (sessionId) => terminal.replay(sessionId).data,
    addProject: (name, files) => {
      const id = `p${++n}-${name}`;
      const root = path.join(dir, id);
      // The fixtures sit inside this repository, whose package.json says "type": "module".
      const all = { 'package.json': '{ "type": "commonjs" }\n', ...files };
      for (const [rel, text] of Object.entries(all)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      }
      fs.mkdirSync(root, { recursive: true });
      const at = Date.now();
      db.prepare('INSERT INTO projects (id, name, kind, root, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, name, 'generated', root, at, at);
      const project: Project = { id, name, kind: 'generated', root, language: null, pinned: false, paused: false, state: 'READY', turnCount: 0, lastTaskId: null, createdAt: at, updatedAt: at, folderMissing: false };
      projects.set(id, project);
      return project;
    },
    close: async () => {
      await service.close();
      terminal.dispose();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Host PIDs whose command line contains `marker` (the check that nothing survived a stop). */
export function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(marker)) out.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** GET through the preview proxy, as a browser at the preview's own origin would. */
export async function fetchText(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}
