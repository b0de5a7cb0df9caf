// Opening only regular files. A FIFO planted in a workspace blocks open(2) until a writer
// appears: five such reads hold every libuv worker thread and stall the whole server (file
// reads, zlib, DNS all queue behind them). A device can stream forever. So every read of
// workspace content opens with O_NONBLOCK (a FIFO opens at once instead of waiting), then
// fstat()s the descriptor it got (no lstat-then-open race: the check is on what was opened)
// and refuses anything that is not a regular file.
import { constants as fsConstants, fstatSync, openSync, closeSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { MacsError } from '../../../../shared/errors.js';

/** Flags for every read of workspace content. O_NONBLOCK does not exist on Windows (nor do FIFOs in the file system): 0 there. */
export const READ_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** What a non-regular file is, in words a user knows. */
function describeFileType(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function notRegular(shownPath: string, kind: string): MacsError {
  return new MacsError('NOT_A_REGULAR_FILE', `"${shownPath}" is ${kind}, not a regular file; MACS reads only regular files.`, { path: shownPath, kind });
}

export interface OpenRegularOptions {
  /** The path as the user should see it in an error (default: absPath). */
  shownPath?: string;
}

/**
 * Open `absPath` for reading if and only if it is a regular file. Throws NOT_A_REGULAR_FILE
 * for a FIFO, socket, device or directory; other errors (ENOENT...) pass through unchanged.
 */
export async function openRegularFile(absPath: string, options: OpenRegularOptions = {}): Promise<{ handle: FileHandle; info: Stats }> {
  const shown = options.shownPath ?? absPath;
  let handle: FileHandle;
  try {
    handle = await open(absPath, READ_FLAGS);
  } catch (err) {
    const code = errnoCode(err);
    // ENXIO: a Unix socket (open(2) cannot open one); EISDIR: a directory on some systems.
    if (code === 'ENXIO') throw notRegular(shown, 'a socket or a device with nothing behind it');
    if (code === 'EISDIR') throw notRegular(shown, 'a directory');
    throw err;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(shown, describeFileType(info));
    return { handle, info };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Read a whole regular file (refusing anything else, see openRegularFile). */
export async function readRegularFile(absPath: string, options: OpenRegularOptions & { maxBytes?: number } = {}): Promise<Buffer> {
  const { handle, info } = await openRegularFile(absPath, options);
  try {
    if (options.maxBytes !== undefined && info.size > options.maxBytes) {
      const shown = options.shownPath ?? absPath;
      throw new MacsError('FILE_TOO_LARGE', `"${shown}" is ${info.size} bytes, more than the ${options.maxBytes}-byte limit.`, { path: shown, size: info.size, maxBytes: options.maxBytes });
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Text of a regular file, or '' when it is missing or not a regular file (.gitignore and friends). */
export async function readOptionalRegularText(absPath: string): Promise<string> {
  try {
    return (await readRegularFile(absPath)).toString('utf8');
  } catch {
    return '';
  }
}

/** Synchronous twin of readRegularFile, for the few readers that are synchronous. */
export function readRegularFileSync(absPath: string, options: OpenRegularOptions = {}): Buffer {
  const shown = options.shownPath ?? absPath;
  let fd: number;
  try {
    fd = openSync(absPath, READ_FLAGS);
  } catch (err) {
    if (errnoCode(err) === 'ENXIO') throw notRegular(shown, 'a socket or a device with nothing behind it');
    throw err;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw notRegular(shown, describeFileType(info));
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
