// The renderer's run of a project (issue 14) without a browser: the header's badge and
// button, the "Run command" popover's Keep (what apps.configure gets, what it refuses), the
// preview's address bar (never off the app's origin), when the preview opens and reloads,
// the App tab's session, and "Fix this error" up to FIX_LIMIT_REACHED.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppRun, ErrorFingerprint, RunPlan, TerminalSession } from '../../shared/index.js';
import { MacsError } from '../../shared/index.js';
import {
  appSessionOf,
  becameReady,
  commandText,
  initialChoice,
  needsReload,
  previewNotice,
  previewPath,
  previewTarget,
  runBadge,
  runIsLive,
  sessionHasOutput,
  settingsPatch,
  sortFingerprints,
  withAppSession,
} from '../../renderer/src/lib/app-run-text.js';
import { appRunStore, applyRun, fixError, initAppRuns, previewOf, runApp } from '../../renderer/src/store/app-run.js';
import type { AppClient } from '../../renderer/src/client/index.js';

const plan = (patch: Partial<RunPlan> = {}): RunPlan => ({ kind: 'npm', command: 'npm run dev', source: 'package.json script "dev"', install: null, web: true, ...patch });

const run = (patch: Partial<AppRun> = {}): AppRun => ({
  projectId: 'p1',
  state: 'idle',
  plan: plan(),
  settings: { command: null, pinnedPort: null, installNetwork: false },
  port: null,
  pinnedPortTaken: false,
  url: null,
  startedAt: null,
  readyAt: null,
  restarts: 0,
  exitCode: null,
  reason: null,
  failure: null,
  outputTail: '',
  fingerprints: [],
  reloadSeq: 0,
  sessionId: null,
  ...patch,
});

const ready = (patch: Partial<AppRun> = {}) => run({ state: 'ready', port: 41234, url: 'http://127.0.0.1:41234/', sessionId: 's-app', ...patch });

const fp = (id: string, patch: Partial<ErrorFingerprint> = {}): ErrorFingerprint => ({
  id,
  source: 'console',
  message: `boom ${id}`,
  stack: null,
  files: [],
  count: 1,
  firstAt: 1,
  lastAt: 1,
  fixAttempts: 0,
  ...patch,
});

describe('the run badge and button', () => {
  it('names each state, the URL when ready, restarts while starting', () => {
    expect(runBadge(null)).toMatchObject({ tone: 'idle', label: 'Not running' });
    expect(runBadge(run({ state: 'installing', plan: plan({ install: { command: 'npm ci', reason: 'node_modules is missing', needsNetwork: true } }) }))).toMatchObject({
      tone: 'busy',
      label: 'Installing',
      title: 'npm ci: node_modules is missing',
    });
    expect(runBadge(run({ state: 'starting', port: 5000, restarts: 2 })).label).toBe('Restarting (2/3)');
    expect(runBadge(ready())).toMatchObject({ tone: 'ready', label: '127.0.0.1:41234' });
    expect(runBadge(run({ state: 'failed', reason: 'It never opened a port.' }))).toMatchObject({ tone: 'failed', title: 'It never opened a port.' });
    expect(runBadge(run({ state: 'exited', exitCode: 0 })).tone).toBe('exited');
    expect(runBadge(run({ state: 'exited', exitCode: 2 }))).toMatchObject({ tone: 'failed', label: 'Exited 2' });
  });

  it('offers Stop only while the app is up or on its way up', () => {
    expect(['idle', 'installing', 'starting', 'ready', 'exited', 'failed'].filter((state) => runIsLive(run({ state: state as AppRun['state'] })))).toEqual(['installing', 'starting', 'ready']);
    expect(runIsLive(null)).toBe(false);
  });

  it('shows a static site as served by MACS, and says when nothing was found', () => {
    expect(commandText(plan({ kind: 'static', command: null }))).toBe('Static files, served by MACS');
    expect(commandText(null)).toBe('Nothing to run found');
  });
});

describe('Run command: Keep', () => {
  const dev = plan();
  const start = plan({ command: 'npm start', source: 'package.json script "start"' });
  const candidates = [dev, start];

  it('opens on the kept command, else on the one MACS chose', () => {
    expect(initialChoice(candidates, dev, null)).toEqual({ choice: 0, text: '' });
    expect(initialChoice(candidates, dev, 'npm start')).toEqual({ choice: 1, text: '' });
    expect(initialChoice(candidates, dev, 'node server.js --port 9')).toEqual({ choice: 'custom', text: 'node server.js --port 9' });
    expect(initialChoice([], null, null)).toEqual({ choice: 'custom', text: '' });
  });

  it('keeps the detected first choice as null, another candidate or the own command as text', () => {
    const form = { choice: 0 as const, text: '', port: '', installNetwork: false };
    expect(settingsPatch(candidates, dev, form)).toEqual({ patch: { command: null, pinnedPort: null, installNetwork: false } });
    expect(settingsPatch(candidates, dev, { ...form, choice: 1 })).toEqual({ patch: { command: 'npm start', pinnedPort: null, installNetwork: false } });
    expect(settingsPatch(candidates, dev, { ...form, choice: 'custom', text: '  python3 app.py  ', port: ' 8080 ', installNetwork: true })).toEqual({
      patch: { command: 'python3 app.py', pinnedPort: 8080, installNetwork: true },
    });
  });

  it('refuses an empty own command and a port outside 1024–65535, in a sentence', () => {
    const form = { choice: 'custom' as const, text: '   ', port: '', installNetwork: false };
    expect(settingsPatch(candidates, dev, form)).toEqual({ error: expect.stringMatching(/Type the command/) });
    for (const port of ['80', '70000', '80.5', 'abc']) {
      expect(settingsPatch(candidates, dev, { ...form, text: 'x', port })).toEqual({ error: expect.stringMatching(/1024 to 65535/) });
    }
  });
});

describe('the preview address bar', () => {
  const base = 'http://127.0.0.1:41234/';
  it('turns a path (with or without its slash) or a same-origin URL into the URL to load', () => {
    expect(previewTarget(base, '/about?x=1#top')).toBe('http://127.0.0.1:41234/about?x=1#top');
    expect(previewTarget(base, 'todos')).toBe('http://127.0.0.1:41234/todos');
    expect(previewTarget(base, 'http://127.0.0.1:41234/a')).toBe('http://127.0.0.1:41234/a');
    expect(previewPath('http://127.0.0.1:41234/a/b?q=1')).toBe('/a/b?q=1');
  });

  it('never leaves the app: another port, host or scheme is refused', () => {
    for (const text of ['http://127.0.0.1:5173/', 'https://example.com/', '//evil.example/x', 'javascript:alert(1)', 'file:///etc/passwd']) {
      expect(previewTarget(base, text)).toBeNull();
    }
  });
});

describe('when the preview opens, reloads, and what it says instead of a blank page', () => {
  it('opens when a web app becomes ready, not for a command whose output is the result', () => {
    expect(becameReady(run({ state: 'starting' }), ready())).toBe(true);
    expect(becameReady(ready(), ready())).toBe(false);
    expect(becameReady(null, ready({ plan: plan({ web: false }) }))).toBe(false);
  });

  it('reloads when reloadSeq goes up while ready', () => {
    expect(needsReload(ready({ reloadSeq: 1 }), ready({ reloadSeq: 2 }))).toBe(true);
    expect(needsReload(ready({ reloadSeq: 2 }), ready({ reloadSeq: 2 }))).toBe(false);
    expect(needsReload(ready({ reloadSeq: 1 }), run({ state: 'starting', reloadSeq: 2 }))).toBe(false);
  });

  it('has a sentence for every state but a ready web app', () => {
    for (const state of ['idle', 'installing', 'starting', 'failed', 'exited'] as const) expect(previewNotice(run({ state }))?.title).toBeTruthy();
    expect(previewNotice(null)?.title).toBe('The app is not running');
    expect(previewNotice(run({ state: 'failed', reason: 'It crashed: port 3000 in use.' }))?.body).toBe('It crashed: port 3000 in use.');
    expect(previewNotice(ready({ plan: plan({ web: false }) }))?.title).toBe('Not a web app');
    expect(previewNotice(ready())).toBeNull();
  });
});

describe('the App tab', () => {
  it('is the run’s session, first among the tabs, alive while the app is up', () => {
    expect(appSessionOf(run(), '/p')).toBeNull();
    const session = appSessionOf(ready(), '/p')!;
    expect(session).toMatchObject({ sessionId: 's-app', kind: 'app', alive: true, level: 'workspace-write' });
    expect(appSessionOf(run({ state: 'installing', sessionId: 's', settings: { command: null, pinnedPort: null, installNetwork: true } }), '/p')?.level).toBe('workspace-write+net');
    expect(appSessionOf(run({ state: 'failed', sessionId: 's' }), '/p')?.alive).toBe(false);
    // A static site MACS serves has no process: the tab is there for its page's errors, with no output to replay.
    const served = appSessionOf(ready({ sessionId: null }), '/p')!;
    expect(served.kind).toBe('app');
    expect(sessionHasOutput(served)).toBe(false);
    expect(sessionHasOutput(session)).toBe(true);
    const shell = { ...session, sessionId: 'sh', kind: 'shell' } as TerminalSession;
    const old = { ...session, sessionId: 'old' };
    expect(withAppSession([old, shell], session).map((s) => s.sessionId)).toEqual(['s-app', 'sh']);
    expect(withAppSession([old, shell], null).map((s) => s.sessionId)).toEqual(['sh']);
  });

  it('lists the newest error first', () => {
    expect(sortFingerprints([fp('a', { lastAt: 1 }), fp('b', { lastAt: 5 }), fp('c', { lastAt: 5, count: 9 })]).map((f) => f.id)).toEqual(['c', 'b', 'a']);
  });
});

/** A contract client that answers from a table and records calls; topics are delivered by hand. */
function fakeClient(answers: Record<string, (params: unknown) => unknown>) {
  const calls: { method: string; params: unknown }[] = [];
  const topics = new Map<string, (payload: unknown) => void>();
  const client = {
    host: 'browser',
    call: async (method: string, params: unknown) => {
      calls.push({ method, params });
      const answer = answers[method];
      if (!answer) throw new MacsError('NOT_SUPPORTED', `no ${method}`);
      return answer(params);
    },
    on: (topic: string, handler: (payload: unknown) => void) => {
      topics.set(topic, handler);
      return () => topics.delete(topic);
    },
    getState: () => 'open',
    subscribeState: () => () => undefined,
  } as unknown as AppClient;
  return { client, calls, emit: (topic: string, payload: unknown) => topics.get(topic)?.(payload) };
}

describe('the run store', () => {
  beforeEach(() => appRunStore.setState({ runs: {}, detect: {}, callError: {}, pending: {}, preview: {}, fixing: {} }));

  it('opens the preview when app.updated says ready, and reloads it when reloadSeq goes up', () => {
    const { client, emit } = fakeClient({ 'apps.status': () => ({ run: run() }) });
    initAppRuns(client);
    emit('app.updated', { run: run({ state: 'starting', sessionId: 's' }) });
    expect(previewOf(appRunStore.getState(), 'p1').shown).toBe(false);
    emit('app.updated', { run: ready() });
    const opened = previewOf(appRunStore.getState(), 'p1');
    expect(opened.shown).toBe(true);
    emit('app.updated', { run: ready({ reloadSeq: 1 }) });
    expect(previewOf(appRunStore.getState(), 'p1').reloads).toBe(opened.reloads + 1);
  });

  it('keeps the refusal of a call to show under the Run button, and clears it on success', async () => {
    const { client } = fakeClient({});
    initAppRuns(client);
    expect(await runApp('p1')).toBe(false);
    expect(appRunStore.getState().callError.p1?.code).toBe('NOT_SUPPORTED');
    expect(appRunStore.getState().pending.p1).toBeNull();
    const ok = fakeClient({ 'apps.run': () => ({ run: run({ state: 'starting' }) }) });
    initAppRuns(ok.client);
    expect(await runApp('p1')).toBe(true);
    expect(previewOf(appRunStore.getState(), 'p1').shown, 'Run opens the preview, which says what happens').toBe(true);
    expect(appRunStore.getState().callError.p1).toBeNull();
    expect(appRunStore.getState().runs.p1.state).toBe('starting');
  });

  it('follows the fix turn, and after FIX_LIMIT_REACHED offers the last working version instead', async () => {
    const task = { id: 't9', projectId: 'p1' };
    const followed: string[] = [];
    const ok = fakeClient({ 'apps.fixError': () => ({ task }) });
    initAppRuns(ok.client);
    await fixError('p1', 'fp1', (t) => followed.push(t.id));
    expect(followed).toEqual(['t9']);
    expect(ok.calls.at(-1)).toEqual({ method: 'apps.fixError', params: { projectId: 'p1', fingerprintId: 'fp1' } });
    expect(appRunStore.getState().fixing.fp1).toBeUndefined();

    const capped = fakeClient({
      'apps.fixError': () => {
        throw new MacsError('FIX_LIMIT_REACHED', 'Two fixes of this error failed.');
      },
    });
    initAppRuns(capped.client);
    await fixError('p1', 'fp1', (t) => followed.push(t.id));
    expect(followed).toEqual(['t9']);
    expect(appRunStore.getState().fixing.fp1).toBe('limit');
  });

  it('keeps a ready run as it is when an update repeats it (no second open, no reload)', () => {
    applyRun(ready());
    const before = previewOf(appRunStore.getState(), 'p1');
    applyRun(ready());
    expect(previewOf(appRunStore.getState(), 'p1')).toEqual(before);
  });
});

describe('the page may frame the preview and nothing else', () => {
  it('allows frames from loopback ports only, in the served header and the page’s own meta CSP', async () => {
    const fs = await import('node:fs');
    const { CONTENT_SECURITY_POLICY } = await import('../../electron/server/static-files.js');
    const html = fs.readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1];
    for (const csp of [CONTENT_SECURITY_POLICY, meta]) {
      const frameSrc = csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .find((parts) => parts[0] === 'frame-src');
      expect(frameSrc?.slice(1)).toEqual(['http://127.0.0.1:*']);
    }
  });
});
