// Node projects: package.json scripts, or a dependency-free server file.
import type { RunPlan } from '../../../../shared/index.js';
import { npmInstall, readPackageJson } from './deps.js';
import type { DetectContext, ReadText } from './types.js';

/** Looked at in this order; the first that starts an HTTP server wins. */
const SERVER_FILES = ['server.js', 'index.js', 'app.js', 'main.js', 'server.mjs', 'index.mjs', 'app.mjs'];

/** The source starts an HTTP server (node:http, express, fastify, koa, …). */
export function startsServer(source: string): boolean {
  return /\bcreateServer\s*\(|\.listen\s*\(/.test(source);
}

export function npmScriptPlans(files: readonly string[], readText: ReadText, ctx: DetectContext): RunPlan[] {
  const pkg = readPackageJson(files, readText);
  const scripts = pkg?.scripts ?? {};
  const out: RunPlan[] = [];
  for (const name of ['dev', 'start'] as const) {
    const script = scripts[name];
    if (typeof script !== 'string' || !script.trim()) continue;
    // A script that is nothing but `node <file>` (and no pre-script) runs as that: npm's own
    // start-up (~0.5–1 s) would be paid again on every restart after a file change.
    const direct = PLAIN_NODE.test(script) && typeof scripts[`pre${name}`] !== 'string' ? script.trim() : null;
    out.push({
      kind: 'npm',
      command: direct ?? `npm run ${name}`,
      source: direct ? `package.json script "${name}" (run with node directly)` : `package.json script "${name}"`,
      install: npmInstall(files, readText, ctx),
      web: scriptServesHttp(script, readText),
    });
  }
  return out;
}

/** `node server.js` with nothing else: no flags, no env, no shell. */
const PLAIN_NODE = /^\s*node\s+[\w./-]+\.[cm]?js\s*$/;

/** `node cli.js` whose file starts no server is a command, not a web app; anything else (vite, next, serve …) is taken to serve. */
function scriptServesHttp(script: string, readText: ReadText): boolean {
  const file = /^\s*node\s+([\w./-]+\.[cm]?js)\s*$/.exec(script)?.[1];
  if (!file) return true;
  const source = readText(file.replace(/^\.\//, ''));
  return source === null || startsServer(source);
}

export function nodeFilePlans(files: readonly string[], readText: ReadText, ctx: DetectContext): RunPlan[] {
  const out: RunPlan[] = [];
  for (const file of SERVER_FILES) {
    if (!files.includes(file)) continue;
    const source = readText(file);
    if (source === null || !startsServer(source)) continue;
    out.push({ kind: 'node', command: `node ${file}`, source: `${file} starts an HTTP server`, install: npmInstall(files, readText, ctx), web: true });
  }
  return out;
}

/** index.js / main.js that is not a server: a command whose output is the result (after every web candidate). */
export function nodeScriptPlans(files: readonly string[], readText: ReadText, ctx: DetectContext): RunPlan[] {
  for (const file of ['index.js', 'main.js', 'app.js']) {
    if (!files.includes(file)) continue;
    const source = readText(file);
    if (source === null || startsServer(source)) continue;
    return [{ kind: 'node', command: `node ${file}`, source: `${file} (a script, no server)`, install: npmInstall(files, readText, ctx), web: false }];
  }
  return [];
}
