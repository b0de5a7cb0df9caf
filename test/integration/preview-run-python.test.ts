// Python apps (issue 14): a Flask app run with `flask run` when flask is importable, and a
// requirements.txt installed offline into the project venv (.venv, which sees the
// machine's own packages), kept for the next run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewBed, fetchText, HAS_BWRAP, processesWith, type PreviewBed } from './preview-run-harness.js';

const HAS_FLASK = spawnSync('python3', ['-c', 'import flask'], { stdio: 'ignore' }).status === 0;
const FLASK_APP = 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/")\ndef home():\n    return "hello from flask"\n';

let bed: PreviewBed;

describe.skipIf(!HAS_BWRAP || !HAS_FLASK)('python apps in the sandbox', () => {
  beforeAll(() => {
    bed = createPreviewBed();
  });
  afterAll(async () => {
    await bed?.close();
  });

  it('a Flask app runs with flask run on $PORT and answers', async () => {
    const p = bed.addProject('flask', { 'app.py': FLASK_APP });
    const { chosen } = await bed.service.detect(p.id);
    expect(chosen).toMatchObject({ kind: 'wsgi', command: 'python3 -m flask --app app:app run --host 127.0.0.1 --port "$PORT"' });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 20_000);
    expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
    expect((await fetchText(run.url as string)).text).toContain('hello from flask');
    await bed.service.stop(p.id);
    expect(processesWith(p.root)).toEqual([]);
  });

  it('requirements.txt installs offline into .venv with progress in the app log, and is not installed again next run', { timeout: 120_000 }, async () => {
    const p = bed.addProject('venv', { 'app.py': FLASK_APP, 'requirements.txt': 'flask\n' });
    const first = await bed.service.detect(p.id);
    expect(first.chosen?.install?.reason).toContain('.venv) is missing');
    await bed.service.run(p.id);
    expect(bed.service.status(p.id).state).toBe('installing');
    const run = await bed.service.waitSettled(p.id, 100_000);
    expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
    expect(fs.existsSync(path.join(p.root, '.venv', 'bin', 'python'))).toBe(true);
    expect(run.plan?.command).toContain('.venv/bin/python -m flask');
    const log = bed.terminalText(run.sessionId as string);
    expect(log).toContain('pip install --no-index');
    expect(log).toMatch(/already satisfied/i);
    expect((await fetchText(run.url as string)).text).toContain('hello from flask');
    await bed.service.stop(p.id);
    const again = await bed.service.detect(p.id);
    expect(again.chosen?.install).toBeNull();
    fs.appendFileSync(path.join(p.root, 'requirements.txt'), 'werkzeug\n');
    expect((await bed.service.detect(p.id)).chosen?.install?.reason).toBe('requirements.txt changed since the last install');
  });
});
