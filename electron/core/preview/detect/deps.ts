// Dependencies: whether an install is needed before a run, and with which command.
// Installed dependencies are kept between runs (node_modules, .venv); a hash of the
// files that describe them, stored per project after a successful install, says when
// they changed since.
import { createHash } from 'node:crypto';
import type { RunPlan } from '../../../../shared/index.js';
import type { DetectContext, ReadText } from './types.js';

/** The files whose content decides what gets installed. */
const DEPENDENCY_FILES = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'requirements.txt'] as const;

/** sha256 over the dependency files that exist (name and content), or null when there are none. */
export function depsHashOf(files: readonly string[], readText: ReadText): string | null {
  const hash = createHash('sha256');
  let any = false;
  for (const name of DEPENDENCY_FILES) {
    if (!files.includes(name)) continue;
    const text = readText(name);
    if (text === null) continue;
    any = true;
    hash.update(`${name}\0${text}\0`);
  }
  return any ? hash.digest('hex').slice(0, 32) : null;
}

interface PackageJson {
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
}

export function readPackageJson(files: readonly string[], readText: ReadText): PackageJson | null {
  if (!files.includes('package.json')) return null;
  const text = readText('package.json');
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as PackageJson) : null;
  } catch {
    return null;
  }
}

function changedSinceInstall(files: readonly string[], readText: ReadText, ctx: DetectContext): boolean {
  const stored = ctx.installedDepsHash ?? null;
  return stored !== null && stored !== depsHashOf(files, readText);
}

/** npm's install step: only with dependencies, and only when node_modules is missing or they changed. */
export function npmInstall(files: readonly string[], readText: ReadText, ctx: DetectContext): RunPlan['install'] {
  const pkg = readPackageJson(files, readText);
  const count = Object.keys(pkg?.dependencies ?? {}).length + Object.keys(pkg?.devDependencies ?? {}).length;
  if (!pkg || count === 0) return null;
  const locked = files.includes('package-lock.json') || files.includes('npm-shrinkwrap.json');
  const command = locked ? 'npm ci' : 'npm install';
  if (!files.includes('node_modules/')) return { command, reason: 'package.json has dependencies and node_modules is missing', needsNetwork: true };
  if (changedSinceInstall(files, readText, ctx)) return { command, reason: `${locked ? 'package-lock.json' : 'package.json'} changed since the last install`, needsNetwork: true };
  return null;
}

/**
 * The project venv (.venv) and pip install -r. The venv sees the machine's own packages, so
 * an offline install of what is installed already succeeds; it borrows the machine's pip
 * (a venv's own copy costs ~10 s to make) and makes its own only when there is none.
 */
export const PIP_INSTALL =
  'python3 -m venv --system-site-packages --without-pip .venv && { .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip; } && .venv/bin/python -m pip install --disable-pip-version-check -r requirements.txt';

export function pipInstall(files: readonly string[], readText: ReadText, ctx: DetectContext): RunPlan['install'] {
  if (!files.includes('requirements.txt')) return null;
  const text = readText('requirements.txt') ?? '';
  if (!text.split('\n').some((line) => line.trim() && !line.trim().startsWith('#'))) return null;
  if (!files.includes('.venv/')) return { command: PIP_INSTALL, reason: 'requirements.txt lists packages and the project venv (.venv) is missing', needsNetwork: true };
  if (changedSinceInstall(files, readText, ctx)) return { command: PIP_INSTALL, reason: 'requirements.txt changed since the last install', needsNetwork: true };
  return null;
}

/** Packages requirements.txt names (lower case, without versions or extras). */
export function requiredPythonPackages(readText: ReadText): Set<string> {
  const out = new Set<string>();
  for (const line of (readText('requirements.txt') ?? '').split('\n')) {
    const name = /^\s*([A-Za-z0-9_.-]+)/.exec(line)?.[1];
    if (name && !line.trim().startsWith('#') && !line.trim().startsWith('-')) out.add(name.toLowerCase());
  }
  return out;
}

/** The same install without a registry: npm from its cache only, pip from what is installed already. */
export function offlineInstallCommand(command: string): string {
  return command
    .replace(/\bnpm (ci|install)\b/, 'npm $1 --offline --no-audit --no-fund')
    .replace(/-m pip install\b/, '-m pip install --no-index');
}
