// Validating a folder the user opens as a workspace (drag and drop, File → Open
// Folder, a path typed in the browser host). The renderer is untrusted and a typed
// path can be anything, so the engine checks: absolute, exists, is a folder after
// following links, can be listed, and is not a system folder before or after links.
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { MacsError } from '../../../../shared/errors.js';
import { pathFor, systemFolderRefusal, type FolderContext, type Platform } from './system-folders.js';

export type FolderRefusalCode = 'INVALID_PATH' | 'NOT_ABSOLUTE' | 'NOT_FOUND' | 'NOT_A_DIRECTORY' | 'NOT_READABLE' | 'SYSTEM_FOLDER' | 'HOME_FOLDER';

export type WorkspaceFolderCheck = { ok: true; realPath: string } | { ok: false; code: FolderRefusalCode; reason: string };

/** The file-system calls the check makes; injected in tests to play other platforms and errors. */
export interface WorkspaceFolderFs {
  realpath(p: string): Promise<string>;
  stat(p: string): Promise<{ isDirectory(): boolean }>;
  /** Resolves when the folder can be read and listed. */
  canList(p: string): Promise<void>;
}

export const nodeWorkspaceFolderFs: WorkspaceFolderFs = {
  realpath: (p) => realpath(p),
  stat: (p) => stat(p),
  canList: (p) => access(p, constants.R_OK | constants.X_OK),
};

export interface CheckWorkspaceFolderOptions {
  home: string;
  platform: Platform;
  reserved?: FolderContext['reserved'];
  fs?: WorkspaceFolderFs;
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function refuse(code: FolderRefusalCode, reason: string): WorkspaceFolderCheck {
  return { ok: false, code, reason };
}

function unreachable(shown: string, err: unknown): WorkspaceFolderCheck {
  const code = errnoCode(err);
  if (code === 'ENOENT' || code === 'ENOTDIR') return refuse('NOT_FOUND', `${shown} does not exist.`);
  if (code === 'ELOOP') return refuse('NOT_FOUND', `${shown} is a loop of symbolic links.`);
  if (code === 'EACCES' || code === 'EPERM') return refuse('NOT_READABLE', `${shown} cannot be opened: permission denied.`);
  return refuse('NOT_READABLE', `${shown} cannot be opened (${code ?? (err instanceof Error ? err.message : String(err))}).`);
}

export async function checkWorkspaceFolder(input: string, opts: CheckWorkspaceFolderOptions): Promise<WorkspaceFolderCheck> {
  const fs = opts.fs ?? nodeWorkspaceFolderFs;
  const p = pathFor(opts.platform);
  if (typeof input !== 'string' || input.trim() === '' || input.includes('\0')) return refuse('INVALID_PATH', 'Give the full path of a project folder.');
  const raw = input.trim();
  if (!p.isAbsolute(raw) || (opts.platform === 'win32' && !/^([a-zA-Z]:[\\/]|\\\\)/.test(raw))) {
    return refuse('NOT_ABSOLUTE', `"${raw}" is not a full path; give the full path of a project folder.`);
  }
  const lexical = p.resolve(raw);

  // Home may itself be a link (/home → /usr/home): compare against both spellings.
  const realHome = await fs.realpath(opts.home).catch(() => opts.home);
  const contexts: FolderContext[] = [{ home: opts.home, platform: opts.platform, reserved: opts.reserved }];
  if (realHome !== opts.home) contexts.push({ home: realHome, platform: opts.platform, reserved: opts.reserved });
  const refusal = (target: string) => contexts.map((ctx) => systemFolderRefusal(target, ctx)).find((r) => r !== null) ?? null;

  const asTyped = refusal(lexical);
  if (asTyped) return refuse(asTyped.code, asTyped.reason);

  let real: string;
  try {
    real = await fs.realpath(lexical);
  } catch (err) {
    return unreachable(lexical, err);
  }
  const resolved = refusal(real);
  if (resolved) return refuse(resolved.code, `${lexical} is a link to ${real}: ${resolved.reason}`);

  try {
    if (!(await fs.stat(real)).isDirectory()) return refuse('NOT_A_DIRECTORY', `${lexical} is a file, not a folder; open the folder that contains your project.`);
    await fs.canList(real);
  } catch (err) {
    return unreachable(lexical, err);
  }
  return { ok: true, realPath: real };
}

/**
 * The refusal as the error that crosses the contract. FILE_NOT_FOUND exists; the rest
 * are INVALID_INPUT until shared/errors.ts has a WORKSPACE_FOLDER_REFUSED code.
 * `details.refusal` carries the precise reason code either way.
 */
export function workspaceFolderError(check: Extract<WorkspaceFolderCheck, { ok: false }>, path: string): MacsError {
  const code = check.code === 'NOT_FOUND' ? 'FILE_NOT_FOUND' : 'INVALID_INPUT';
  return new MacsError(code, check.reason, { path, refusal: check.code });
}
