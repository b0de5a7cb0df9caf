// Which shell a terminal runs, and with what environment, per isolation level.
import os from 'node:os';
import path from 'node:path';
import type { IsolationLevel } from '../../../shared/index.js';

/**
 * Sandboxed: a plain bash without the user's dotfiles (they live outside the sandbox and
 * could re-enable what the policy forbids) and a prompt that says where you are.
 * Unrestricted: the user's own shell as a login shell on macOS (GUI apps do not inherit
 * the login PATH there, Terminal.app does the same), interactive elsewhere.
 */
export function shellCommand(level: IsolationLevel, userShell?: string[]): string[] {
  if (level !== 'unrestricted') return ['bash', '--noprofile', '--norc', '-i'];
  if (userShell && userShell.length > 0) return userShell;
  if (process.platform === 'win32') return ['powershell.exe'];
  const shell = process.env.SHELL || '/bin/bash';
  return process.platform === 'darwin' ? [shell, '-l'] : [shell];
}

/** Prompt colour per level: the same green / amber / red as the badges in the UI. */
const PROMPT_COLOR: Record<IsolationLevel, string> = {
  'read-only': '36',
  'workspace-write': '32',
  'workspace-write+net': '33',
  unrestricted: '31',
};

/** Variables a terminal adds on top of the sandbox's environment. */
export function shellEnv(level: IsolationLevel): Record<string, string> {
  const env: Record<string, string> = { TERM: 'xterm-256color', COLORTERM: 'truecolor', TERM_PROGRAM: 'MACS' };
  if (level !== 'unrestricted') {
    // \[ \] mark the colour codes as zero-width so line editing keeps its columns.
    env.PS1 = `\\[\\e[${PROMPT_COLOR[level]}m\\][sandbox ${level}]\\[\\e[0m\\] \\[\\e[1m\\]\\W\\[\\e[0m\\] \\$ `;
  }
  return env;
}

/** The tab title: the shell's name, e.g. "bash". */
export function shellTitle(command: string[]): string {
  return path.basename(command[0] ?? 'shell').replace(/\.exe$/i, '');
}

/** "~/…" for paths under the home directory, to keep headers short. */
export function displayPath(p: string): string {
  const home = os.homedir();
  return home && (p === home || p.startsWith(home + path.sep)) ? `~${p.slice(home.length)}` : p;
}
