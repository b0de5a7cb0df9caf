// One start of a project's app inside the sandbox (workspace-write: its own network
// namespace with only a loopback of its own), with the port bridge beside it.
//
// Port exposure (the lead's choice, issue 14): a unix-socket bridge. The run folder
// (run-dir.ts) is bound into the sandbox; resources/preview/bridge.mjs listens on a socket
// there and pipes each connection to the app's port inside. The host never shares a
// network with the app: the app cannot reach the host's 127.0.0.1 (or anything), and only
// whoever can open the 0700 folder (MACS's preview proxy) reaches the app. A slirp/pasta
// namespace would have given the app a route out that then has to be closed again.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Sandbox, SandboxCommand } from '../../sandbox/index.js';
import type { AppProcessOptions } from '../types.js';

export const STOP_GRACE_MS = 2_000;
/** The port the app is asked to use inside its own namespace (nothing else listens there). */
export const INNER_PORT = 3000;
const SWEEP_EVERY_MS = 5_000;

export interface AppProcessDeps {
  sandbox: Sandbox;
  /** The bridge script inside the run folder (run-dir.ts). */
  bridgeScript: string;
  /** The node that runs the bridge (default: bridgeNode()). */
  nodePath?: string;
  innerPort?: number;
}

export interface AppProcess {
  readonly pid: number | undefined;
  /** The level actually enforced (unrestricted where the machine has no sandbox). */
  readonly level: SandboxCommand['level'];
  /** SIGTERM to the whole tree, SIGKILL after the grace; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
  isRunning(): boolean;
}

/**
 * The sandbox runs `sh -c`: the bridge in the background, then exec the app's own command
 * line. Arguments go in as positional parameters, never spliced into the script, so no
 * quoting of the command or the paths matters. ELECTRON_RUN_AS_NODE is set for the bridge
 * alone (the sandbox drops ELECTRON_* from the app's environment).
 */
export function appShellCommand(nodePath: string, bridgeScript: string, socketPath: string, command: string): string[] {
  const script = 'ELECTRON_RUN_AS_NODE=1 "$1" "$2" "$3" </dev/null & exec sh -c "$4"';
  return ['sh', '-c', script, 'macs-app', nodePath, bridgeScript, socketPath, command];
}

/**
 * The node that runs the bridge. Plain node: the one running MACS. Under Electron, a `node`
 * on PATH when there is one: the packaged app turns the RunAsNode fuse off, so its own
 * binary would ignore ELECTRON_RUN_AS_NODE (it still works unpackaged, the fallback).
 */
export function bridgeNode(pathVar: string | undefined = process.env.PATH): string {
  if (!process.versions.electron) return process.execPath;
  for (const dir of [...(pathVar ?? '').split(path.delimiter), '/usr/local/bin', '/usr/bin']) {
    if (!path.isAbsolute(dir)) continue;
    try {
      fs.accessSync(path.join(dir, 'node'), fs.constants.X_OK);
      return path.join(dir, 'node');
    } catch {
      // not here
    }
  }
  return process.execPath;
}

export function startAppProcess(opts: AppProcessOptions, deps: AppProcessDeps): AppProcess {
  const innerPort = deps.innerPort ?? INNER_PORT;
  const built = deps.sandbox.buildCommand({
    command: appShellCommand(deps.nodePath ?? bridgeNode(), deps.bridgeScript, opts.socketPath, opts.command),
    cwd: opts.root,
    level: opts.level,
    // What dev servers read: the port and host to use, no browser to open, no interactive prompts.
    env: { PORT: String(innerPort), HOST: '127.0.0.1', BROWSER: 'none', CI: '1', ...opts.env },
    extraBinds: [{ path: path.dirname(opts.socketPath), writable: true }],
  });
  const child: ChildProcess = spawn(built.file, built.args, {
    cwd: built.cwd,
    env: built.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  let running = true;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const sweep = built.sweep ? setInterval(() => {
    try {
      built.sweep?.();
    } catch {
      // retried next time, and once more when the app ends
    }
  }, SWEEP_EVERY_MS) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    const decoder = new StringDecoder('utf8');
    stream?.on('data', (chunk: Buffer) => opts.onOutput(decoder.write(chunk)));
  }
  let spawnError: Error | null = null;
  child.on('error', (err) => {
    spawnError = err;
  });
  // Unsandboxed, a background process the app left behind may hold the pipes open.
  child.once('exit', () => {
    setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, 500).unref();
  });
  child.once('close', (code, signal) => {
    running = false;
    clearInterval(sweep);
    try {
      built.cleanup();
    } catch {
      // the guard reports what it could not move through onAudit; nothing else to do here
    }
    if (spawnError) opts.onOutput(`${built.file} could not start: ${spawnError.message}\n`);
    opts.onExit(code, signal);
  });

  return {
    pid: child.pid,
    level: built.level,
    isRunning: () => running,
    stop: async (graceMs = STOP_GRACE_MS) => {
      if (!running || child.pid === undefined) return exited;
      const pid = child.pid;
      deps.sandbox.signalTree(pid, 'SIGTERM');
      const killTimer = setTimeout(() => deps.sandbox.signalTree(pid, 'SIGKILL'), graceMs);
      // Whatever escaped the tree may hold the pipes open: do not wait on them forever.
      const pipeTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, graceMs + 1_000);
      await exited;
      clearTimeout(killTimer);
      clearTimeout(pipeTimer);
    },
  };
}
