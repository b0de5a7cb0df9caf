// Is the tool a plan needs installed? Checked on the PATH the sandbox keeps (the host's
// PATH plus the system folders), before anything starts, so the message can name it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunPlan } from '../../../../shared/index.js';

export type ToolName = 'node' | 'npm' | 'python3' | 'make';

const SYSTEM_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];

function onPath(tool: string, pathVar: string | undefined, systemPath: readonly string[]): boolean {
  const dirs = [...(pathVar ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d)), ...systemPath];
  return dirs.some((dir) => {
    try {
      fs.accessSync(path.join(dir, tool), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The tools a command line starts with (each `&&` part); python3 behind the project venv. */
function toolsOf(command: string | null): ToolName[] {
  const out: ToolName[] = [];
  for (const part of (command ?? '').split(/&&|\|\||;/)) {
    const first = part.trim().split(/\s+/)[0] ?? '';
    const tool: ToolName | null = first === 'npm' || first === 'npx' ? 'npm' : first === 'node' ? 'node' : /^(python3?|\.venv\/bin\/python)$/.test(first) ? 'python3' : first === 'make' ? 'make' : null;
    if (tool === 'npm' && !out.includes('node')) out.push('node');
    if (tool && !out.includes(tool)) out.push(tool);
  }
  return out;
}

/** The first tool the plan (install and start) needs that this machine lacks, or null. */
export function missingTool(plan: RunPlan, pathVar: string | undefined = process.env.PATH, systemPath: readonly string[] = SYSTEM_PATH): ToolName | null {
  for (const tool of [...toolsOf(plan.install?.command ?? null), ...toolsOf(plan.command)]) {
    if (!onPath(tool, pathVar, systemPath)) return tool;
  }
  return null;
}

let cached: { at: number; modules: Set<string> } | null = null;

/**
 * Which of flask / uvicorn python3 can import here, asked without importing them (find_spec)
 * and in isolated mode from the temp folder, so no project file can shadow or run. Kept a minute.
 */
export function pythonModulesAvailable(now = Date.now()): Set<string> {
  if (cached && now - cached.at < 60_000) return cached.modules;
  const names = ['flask', 'uvicorn'];
  const result = spawnSync('python3', ['-I', '-c', 'import importlib.util as u, sys; print(" ".join(n for n in sys.argv[1:] if u.find_spec(n)))', ...names], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    timeout: 5_000,
  });
  const modules = new Set(result.status === 0 ? result.stdout.trim().split(/\s+/).filter(Boolean) : []);
  cached = { at: now, modules };
  return modules;
}
