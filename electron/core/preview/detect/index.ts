// What to run (issue 14): a project's root entries → every way MACS knows to start it,
// most specific first. Pure: the folder is read by the caller (readProjectEntries).
import fs from 'node:fs';
import path from 'node:path';
import type { RunPlan } from '../../../../shared/index.js';
import { npmInstall, pipInstall } from './deps.js';
import { nodeFilePlans, nodeScriptPlans, npmScriptPlans } from './node.js';
import { pythonEntryPlans, pythonModulePlans } from './python.js';
import type { DetectContext, ReadText } from './types.js';

export type { DetectContext, ReadText } from './types.js';
export { depsHashOf, offlineInstallCommand } from './deps.js';
export { missingTool, pythonModulesAvailable, type ToolName } from './toolchain.js';

/**
 * `files`: the project root's entries, folders with a trailing `/` (node_modules/, .venv/).
 * In priority order: the plan's own command, package.json dev/start, a Node server file,
 * a Python entry point, a WSGI/ASGI module, a Makefile `run:` target, a static index.html,
 * and last a Node script that serves nothing.
 */
export function detectRunPlans(files: readonly string[], readText: ReadText, ctx: DetectContext = {}): RunPlan[] {
  const found: RunPlan[] = [
    ...npmScriptPlans(files, readText, ctx),
    ...nodeFilePlans(files, readText, ctx),
    ...pythonEntryPlans(files, readText, ctx),
    ...pythonModulePlans(files, readText, ctx),
    ...makePlans(files, readText),
    ...staticPlans(files),
    ...nodeScriptPlans(files, readText, ctx),
  ];
  // One candidate per command line: a `start` script of `node server.js` and server.js itself are one way to start it.
  const detected = found.filter((plan, i) => plan.command === null || found.findIndex((p) => p.command === plan.command) === i);
  const planCommand = ctx.planCommand?.trim();
  if (!planCommand) return detected;
  return [planPlan(planCommand, files, readText, ctx, detected), ...detected.filter((p) => p.command !== planCommand)];
}

/** The build plan's command: installs what the folder needs; web unless what else was found says otherwise. */
function planPlan(command: string, files: readonly string[], readText: ReadText, ctx: DetectContext, detected: RunPlan[]): RunPlan {
  const install = /\bnpm\b|\bnode\b|\bnpx\b/.test(command) ? npmInstall(files, readText, ctx) : /python|\.venv/.test(command) ? pipInstall(files, readText, ctx) : null;
  const same = detected.find((p) => p.command === command);
  return { kind: 'plan', command, source: "the plan's run command", install: same?.install ?? install, web: same?.web ?? detected[0]?.web ?? true };
}

function makePlans(files: readonly string[], readText: ReadText): RunPlan[] {
  const makefile = ['Makefile', 'makefile', 'GNUmakefile'].find((f) => files.includes(f));
  if (!makefile) return [];
  const text = readText(makefile) ?? '';
  if (!/^run\s*:/m.test(text)) return [];
  const recipe = text.slice(text.search(/^run\s*:/m));
  return [{ kind: 'make', command: 'make run', source: `${makefile} target "run"`, install: null, web: /serve|server|http|listen|flask|uvicorn|vite|npm|node/i.test(recipe.split(/\n(?=\S)/)[0] ?? '') }];
}

function staticPlans(files: readonly string[]): RunPlan[] {
  return files.includes('index.html') ? [{ kind: 'static', command: null, source: 'index.html at the root (served by MACS)', install: null, web: true }] : [];
}

/** The root's entries as detectRunPlans wants them, and a reader confined to the root (small text files only). */
export function readProjectEntries(root: string): { files: string[]; readText: ReadText } {
  let files: string[] = [];
  try {
    files = fs.readdirSync(root, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
  } catch {
    files = [];
  }
  const readText: ReadText = (rel) => {
    if (rel.includes('..') || path.isAbsolute(rel)) return null;
    try {
      const file = path.join(root, rel);
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > 512 * 1024) return null;
      return fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  };
  return { files, readText };
}
