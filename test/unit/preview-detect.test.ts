// What MACS runs for a project (issue 14): detectRunPlans over root entries, pure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { depsHashOf, detectRunPlans, missingTool, type DetectContext } from '../../electron/core/preview/index.js';
import { offlineInstallCommand } from '../../electron/core/preview/detect/index.js';

function detect(files: Record<string, string | null>, ctx: DetectContext = {}) {
  const names = Object.keys(files);
  return detectRunPlans(names, (rel) => files[rel] ?? null, ctx);
}

const NODE_SERVER = `const http = require('http');\nhttp.createServer((q, s) => s.end('x')).listen(process.env.PORT);\n`;

describe('detectRunPlans', () => {
  it('prefers package.json dev over start, and installs with npm ci when a lockfile exists and node_modules is missing', () => {
    const plans = detect({
      'package.json': JSON.stringify({ scripts: { start: 'node server.js', dev: 'vite' }, dependencies: { vite: '^5' } }),
      'package-lock.json': '{}',
      'server.js': NODE_SERVER,
    });
    // start is only `node server.js`: run with node directly (no npm start-up on each restart), once.
    expect(plans.map((p) => p.command)).toEqual(['npm run dev', 'node server.js']);
    expect(plans[1]).toMatchObject({ kind: 'npm', source: 'package.json script "start" (run with node directly)' });
    expect(plans[0]).toMatchObject({ kind: 'npm', source: 'package.json script "dev"', web: true });
    expect(plans[0].install).toMatchObject({ command: 'npm ci', needsNetwork: true });
    expect(plans[0].install?.reason).toContain('node_modules is missing');
  });

  it('npm install without a lockfile; no install without dependencies, or when node_modules is there and nothing changed', () => {
    const pkg = JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { express: '^4' } });
    expect(detect({ 'package.json': pkg, 'server.js': NODE_SERVER })[0].install?.command).toBe('npm install');
    const files = { 'package.json': pkg, 'node_modules/': null, 'server.js': NODE_SERVER };
    const hash = depsHashOf(Object.keys(files), (rel) => files[rel as keyof typeof files] ?? null);
    expect(detect(files, { installedDepsHash: hash })[0].install).toBeNull();
    expect(detect(files)[0].install).toBeNull();
    expect(detect({ 'package.json': JSON.stringify({ scripts: { start: 'node server.js' } }), 'server.js': NODE_SERVER })[0].install).toBeNull();
  });

  it('installs again when package.json changed since the last install', () => {
    const before = { 'package.json': JSON.stringify({ scripts: { dev: 'vite' }, dependencies: { vite: '^5' } }), 'node_modules/': null };
    const hash = depsHashOf(Object.keys(before), (rel) => before[rel as keyof typeof before] ?? null);
    const after = { ...before, 'package.json': JSON.stringify({ scripts: { dev: 'vite' }, dependencies: { vite: '^5', react: '^19' } }) };
    const plan = detect(after, { installedDepsHash: hash })[0];
    expect(plan.install?.reason).toBe('package.json changed since the last install');
  });

  it('a start script that runs a file serving nothing is not a web app', () => {
    const plans = detect({ 'package.json': JSON.stringify({ scripts: { start: 'node cli.js' } }), 'cli.js': 'console.log(1)\n' });
    expect(plans[0]).toMatchObject({ command: 'node cli.js', web: false });
  });

  it('a start script with a pre-script, flags or more than node <file> still runs through npm', () => {
    const run = (scripts: Record<string, string>) => detect({ 'package.json': JSON.stringify({ scripts }), 'server.js': NODE_SERVER })[0].command;
    expect(run({ start: 'node server.js', prestart: 'node build.js' })).toBe('npm run start');
    expect(run({ start: 'node --watch server.js' })).toBe('npm run start');
    expect(run({ start: 'NODE_ENV=production node server.js' })).toBe('npm run start');
    expect(run({ start: 'node server.js && echo done' })).toBe('npm run start');
  });

  it('a dependency-free Node server file runs with node; a script that serves nothing comes last and is not web', () => {
    expect(detect({ 'app.js': NODE_SERVER })[0]).toMatchObject({ kind: 'node', command: 'node app.js', web: true, install: null });
    const plans = detect({ 'index.js': 'console.log(42)\n', 'index.html': '<p>x</p>' });
    expect(plans.map((p) => p.kind)).toEqual(['static', 'node']);
    expect(plans[1]).toMatchObject({ command: 'node index.js', web: false });
  });

  it('Flask and FastAPI apps use flask run / uvicorn when importable, else python3 <file>', () => {
    const flask = 'from flask import Flask\nserver = Flask(__name__)\n';
    expect(detect({ 'app.py': flask }, { pythonModules: new Set(['flask']) })[0]).toMatchObject({
      kind: 'wsgi',
      command: 'python3 -m flask --app app:server run --host 127.0.0.1 --port "$PORT"',
      web: true,
    });
    expect(detect({ 'app.py': flask }, { pythonModules: new Set() })[0]).toMatchObject({ kind: 'python', command: 'python3 app.py', web: true });
    const fastapi = 'from fastapi import FastAPI\napp = FastAPI()\n';
    expect(detect({ 'main.py': fastapi }, { pythonModules: new Set(['uvicorn']) })[0]).toMatchObject({ kind: 'asgi', command: 'python3 -m uvicorn main:app --host 127.0.0.1 --port "$PORT"' });
  });

  it('requirements.txt: a project venv, pip install -r, and the venv python for the app (uvicorn counted as importable once required)', () => {
    const plans = detect({ 'requirements.txt': 'fastapi==0.110\nuvicorn\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' });
    expect(plans[0].command).toBe('.venv/bin/python -m uvicorn main:app --host 127.0.0.1 --port "$PORT"');
    expect(plans[0].install?.command).toContain('python3 -m venv --system-site-packages --without-pip .venv');
    expect(plans[0].install?.command).toContain('pip install --disable-pip-version-check -r requirements.txt');
    expect(detect({ 'requirements.txt': 'flask\n', '.venv/': null, 'app.py': 'print(1)\n' })[0].install).toBeNull();
  });

  it('a plain Python http.server script is web; a script that prints is not', () => {
    expect(detect({ 'server.py': 'import http.server\nhttp.server.HTTPServer(("127.0.0.1", 8000), None).serve_forever()\n' })[0]).toMatchObject({ command: 'python3 server.py', web: true });
    expect(detect({ 'main.py': 'print("hello")\n' })[0]).toMatchObject({ command: 'python3 main.py', web: false });
  });

  it('a WSGI module is served by wsgiref (no dependency); an ASGI module by uvicorn', () => {
    const plan = detect({ 'wsgi.py': 'def application(env, start):\n    pass\napplication = application\n' })[0];
    expect(plan.kind).toBe('wsgi');
    expect(plan.command).toContain('wsgiref.simple_server');
    expect(plan.command).toContain('wsgi.application');
    expect(detect({ 'asgi.py': 'app = object()\n' })[0].command).toBe('python3 -m uvicorn asgi:app --host 127.0.0.1 --port "$PORT"');
  });

  it('a Makefile run target, before a static index.html; a Makefile without run is no plan', () => {
    const plans = detect({ Makefile: 'build:\n\tcc x.c\nrun:\n\tpython3 -m http.server\n', 'index.html': '<p>x</p>' });
    expect(plans.map((p) => [p.kind, p.command, p.web])).toEqual([
      ['make', 'make run', true],
      ['static', null, true],
    ]);
    expect(detect({ Makefile: 'build:\n\tcc x.c\n' })).toEqual([]);
  });

  it("the plan's run command comes first and keeps what detection knows about installing", () => {
    const plans = detect(
      { 'package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { a: '1' } }), 'server.js': NODE_SERVER },
      { planCommand: 'node server.js' },
    );
    expect(plans[0]).toMatchObject({ kind: 'plan', command: 'node server.js', source: "the plan's run command", web: true });
    expect(plans[0].install?.command).toBe('npm install');
    expect(plans.filter((p) => p.command === 'node server.js')).toHaveLength(1);
  });

  it('nothing runnable: no plans', () => {
    expect(detect({ 'README.md': '# hi', 'package.json': '{ not json' })).toEqual([]);
  });
});

describe('offline installs and toolchains', () => {
  it('adds the offline flags npm and pip understand', () => {
    expect(offlineInstallCommand('npm ci')).toBe('npm ci --offline --no-audit --no-fund');
    expect(offlineInstallCommand('python3 -m venv .venv && .venv/bin/python -m pip install -r requirements.txt')).toBe('python3 -m venv .venv && .venv/bin/python -m pip install --no-index -r requirements.txt');
  });

  it('names the first missing tool of the install and the start command', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-tools-'));
    try {
      fs.writeFileSync(path.join(dir, 'node'), '#!/bin/sh\n', { mode: 0o755 });
      const npmPlan = { kind: 'npm' as const, command: 'npm run dev', source: '', install: { command: 'npm ci', reason: '', needsNetwork: true }, web: true };
      expect(missingTool(npmPlan, dir, [])).toBe('npm');
      fs.writeFileSync(path.join(dir, 'npm'), '#!/bin/sh\n', { mode: 0o755 });
      expect(missingTool(npmPlan, dir, [])).toBeNull();
      const pyPlan = { kind: 'python' as const, command: '.venv/bin/python app.py', source: '', install: null, web: true };
      expect(missingTool(pyPlan, dir, [])).toBe('python3');
      expect(missingTool({ ...pyPlan, command: 'make run' }, dir, [])).toBe('make');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
