// The guarded workspace: the only way the engine reads or writes project files.
// Every path goes through resolveInsideRoot (normalisation + realpath containment).
import { createHash } from 'node:crypto';
import { mkdir, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import { atomicWrite, mapWriteError, nodeWriteFs, TEMP_MARKER, type WriteFs } from './atomic-write.js';
import { isInsideRoot, resolveInsideRoot } from './guard.js';
import { decodeText, looksBinary } from './text.js';
import { openRegularFile } from './regular-file.js';

export const DEFAULT_MAX_READ_BYTES = 5 * 1024 * 1024;
/** Directories that are never listed: git internals and dependency trees. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

export interface WorkspaceOptions {
  /** Test seam for the write syscalls (see WriteFs). */
  fs?: WriteFs;
}

export interface WrittenFile { path: string; size: number; sha256: string }
export interface ReadResult { path: string; size: number; binary: boolean; content: string | null }
export interface ListedFile { path: string; size: number }

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export class Workspace {
  private constructor(readonly root: string, private readonly writeFs: WriteFs) {}

  /** Create the root if needed (mkdir -p) and pin it to its realpath. */
  static async open(root: string, options: WorkspaceOptions = {}): Promise<Workspace> {
    await mkdir(root, { recursive: true });
    return new Workspace(await realpath(root), options.fs ?? nodeWriteFs);
  }

  /** The guard: absolute real path for `relPath`, or MacsError PATH_OUTSIDE_WORKSPACE. */
  async resolveInside(relPath: string): Promise<string> {
    return (await resolveInsideRoot(this.root, relPath)).absPath;
  }

  /**
   * Atomic write (temp file + rename in the target's directory). Through a symlink
   * that resolves inside, the link's target is replaced and the link kept; one that
   * resolves outside is refused before anything is created.
   */
  async writeFile(relPath: string, content: string | Uint8Array): Promise<WrittenFile> {
    const resolved = await resolveInsideRoot(this.root, relPath);
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const dir = path.dirname(resolved.absPath);
    try {
      await mkdir(dir, { recursive: true });
      // Re-check after mkdir: narrows the window in which a directory could have been
      // swapped for an outward symlink between the guard and the rename.
      const realDir = await realpath(dir);
      if (!isInsideRoot(this.root, realDir)) {
        throw new MacsError('PATH_OUTSIDE_WORKSPACE', `Refused "${resolved.relPath}": its directory resolves outside the workspace`, {
          path: resolved.relPath,
          reason: 'its directory resolves outside the workspace',
        });
      }
      await atomicWrite(path.join(realDir, path.basename(resolved.absPath)), data, this.writeFs);
    } catch (err) {
      throw mapWriteError(err, resolved.relPath, data.byteLength, resolved.absPath);
    }
    return { path: resolved.relPath, size: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
  }

  /** Read a file; binary files (NUL or invalid UTF-8 in the first 8 KB) come back with content null. */
  async readFile(relPath: string, maxBytes: number = DEFAULT_MAX_READ_BYTES): Promise<ReadResult> {
    const resolved = await resolveInsideRoot(this.root, relPath);
    let opened;
    try {
      // Only regular files: a FIFO or device would block a libuv thread (see regular-file.ts).
      opened = await openRegularFile(resolved.absPath, { shownPath: resolved.relPath });
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new MacsError('FILE_NOT_FOUND', `"${resolved.relPath}" does not exist in the workspace.`, { path: resolved.relPath });
      }
      // A directory is "no such file" to a caller asking for a file (as before); pipes, sockets and devices are refused by name.
      if (err instanceof MacsError && err.details?.kind === 'a directory') {
        throw new MacsError('FILE_NOT_FOUND', `"${resolved.relPath}" is a directory, not a file.`, { path: resolved.relPath });
      }
      throw err;
    }
    const { handle, info } = opened;
    try {
      if (info.size > maxBytes) {
        throw new MacsError('FILE_TOO_LARGE', `"${resolved.relPath}" is ${info.size} bytes, more than the ${maxBytes}-byte limit.`, {
          path: resolved.relPath,
          size: info.size,
          maxBytes,
        });
      }
      const bytes = await handle.readFile();
      const binary = looksBinary(bytes);
      return { path: resolved.relPath, size: bytes.byteLength, binary, content: binary ? null : decodeText(bytes) };
    } finally {
      await handle.close();
    }
  }

  /**
   * Every file, recursively, as sorted POSIX relative paths. Skips .git and
   * node_modules at any depth and our own in-flight temp files. Symlinked files are
   * listed when they resolve inside the root (readFile accepts them); symlinked
   * directories are never descended (cycles, and they would duplicate content).
   */
  async listFiles(): Promise<ListedFile[]> {
    const out: ListedFile[] = [];
    const walk = async (absDir: string, relDir: string): Promise<void> => {
      const entries = await readdir(absDir, { withFileTypes: true });
      for (const entry of entries) {
        if (SKIPPED_DIRS.has(entry.name) || entry.name.includes(TEMP_MARKER)) continue;
        const abs = path.join(absDir, entry.name);
        const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          await walk(abs, rel);
        } else if (entry.isFile()) {
          out.push({ path: rel, size: (await stat(abs)).size });
        } else if (entry.isSymbolicLink()) {
          const target = await realpath(abs).catch(() => null);
          if (target === null || !isInsideRoot(this.root, target)) continue;
          const info = await stat(target);
          if (info.isFile()) out.push({ path: rel, size: info.size });
        }
      }
    };
    await walk(this.root, '');
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
