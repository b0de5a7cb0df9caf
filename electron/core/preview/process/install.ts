// The install step (npm ci / npm install / pip into .venv), sandboxed like the app. It is
// the one step that may reach a package registry, and only when the user turned on
// "install: registry access" (workspace-write+net); otherwise it runs offline from MACS's
// own package cache and, when that is not enough, says the network is needed.
import fs from 'node:fs';
import path from 'node:path';
import type { RunFailure } from '../../../../shared/index.js';
import { runSandboxed, type Sandbox, type SandboxBind } from '../../sandbox/index.js';
import { offlineInstallCommand } from '../detect/index.js';

export const INSTALL_TIMEOUT_MS = 10 * 60 * 1000;

export interface InstallOptions {
  sandbox: Sandbox;
  root: string;
  command: string;
  allowNetwork: boolean;
  onOutput: (chunk: string) => void;
  /** The command line actually run (offline flags added), before it starts: the app log's header. */
  onStart?: (command: string, level: 'workspace-write' | 'workspace-write+net') => void;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** MACS's own package caches (<data dir>/caches), see packageCacheBinds. */
  cacheDir: string;
}

export type InstallResult =
  | { ok: true; durationMs: number }
  | { ok: false; failure: Extract<RunFailure, 'INSTALL_FAILED' | 'INSTALL_NEEDS_NETWORK'>; reason: string; exitCode: number | null; durationMs: number };

/**
 * The install's package cache: MACS's own (<data dir>/caches/npm), bound writable and named
 * by npm_config_cache, never the user's ~/.npm. npm checks a cached tarball against its
 * integrity hash but not the index that names it: a preinstall script that could write into
 * the user's cache could plant a packument + tarball that the host's next ordinary
 * `npm install` runs outside any sandbox (seen with npm 11). A read-only bind of the user's
 * cache does not work either (npm --offline then fails ENOTCACHED). So offline installs use
 * what MACS's own installs downloaded before (with "install: registry access" once), and
 * one project's install can at worst spoil what another project's sandboxed install reads.
 */
export function packageCacheBinds(cacheDir: string): { binds: SandboxBind[]; env: Record<string, string> } {
  const npm = path.join(cacheDir, 'npm');
  fs.mkdirSync(npm, { recursive: true, mode: 0o700 });
  return { binds: [{ path: npm, writable: true }], env: { npm_config_cache: npm } };
}

export async function runInstall(opts: InstallOptions): Promise<InstallResult> {
  const level = opts.allowNetwork ? 'workspace-write+net' : 'workspace-write';
  const command = opts.allowNetwork ? opts.command : offlineInstallCommand(opts.command);
  opts.onStart?.(command, level);
  const started = Date.now();
  const cache = packageCacheBinds(opts.cacheDir);
  let result;
  try {
    result = await runSandboxed({
      command: ['sh', '-c', command],
      cwd: opts.root,
      level,
      sandbox: opts.sandbox,
      timeoutMs: opts.timeoutMs ?? INSTALL_TIMEOUT_MS,
      signal: opts.signal,
      env: { CI: '1', npm_config_update_notifier: 'false', PIP_DISABLE_PIP_VERSION_CHECK: '1', ...cache.env },
      extraBinds: cache.binds,
      onOutput: (chunk) => opts.onOutput(chunk),
    });
  } catch (err) {
    // +net refused here (no slirp4netns): the sentence says what to install.
    const reason = `The install could not start: ${(err as Error).message}`;
    return { ok: false, failure: 'INSTALL_FAILED', reason, exitCode: null, durationMs: Date.now() - started };
  }
  const durationMs = Date.now() - started;
  if (result.exitCode === 0 && !result.killed) return { ok: true, durationMs };
  if (result.sandboxFailure) return { ok: false, failure: 'INSTALL_FAILED', reason: `The install could not start in the sandbox: ${result.sandboxFailure}`, exitCode: result.exitCode, durationMs };
  if (result.timedOut) return { ok: false, failure: 'INSTALL_FAILED', reason: `\`${command}\` did not finish within ${Math.round((opts.timeoutMs ?? INSTALL_TIMEOUT_MS) / 1000)} s.`, exitCode: null, durationMs };
  if (!opts.allowNetwork) {
    return {
      ok: false,
      failure: 'INSTALL_NEEDS_NETWORK',
      reason: `\`${command}\` failed offline (exit ${result.exitCode ?? 'signal'}): the packages are not in this machine's cache. Turn on "install: registry access" to let the install reach the package registry.`,
      exitCode: result.exitCode,
      durationMs,
    };
  }
  return { ok: false, failure: 'INSTALL_FAILED', reason: `\`${command}\` failed (exit ${result.exitCode ?? 'signal'}): see the output below.`, exitCode: result.exitCode, durationMs };
}
