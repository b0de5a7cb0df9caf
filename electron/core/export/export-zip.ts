// Workspace → zip, streamed: JSZip builds the container; each file is read when its
// turn comes (small ones read ahead), hashed and deflated on the way through (see
// entry-source.ts); output goes to `<dest>.partial`, renamed into place only when complete.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
import { MacsError } from '../../../shared/errors.js';
import { collectExportFiles, type SkippedExportFile } from './collect.js';
import { DeflatedEntry, type EntryContent, type EntryHooks, type EntrySource } from './entry-source.js';
import { buildManifest, FALLBACK_MANIFEST_NAME, MANIFEST_NAME, type ManifestEntry } from './manifest.js';
import { ReadAhead } from './read-ahead.js';

export interface ExportProgress { filesDone: number; fileCount: number; percent: number; done: boolean }

export interface ExportOptions {
  root: string;
  destPath: string;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
  /** More for manifest.json: the task, its pipeline steps, its final status. */
  manifestExtra?: Record<string, unknown>;
}

export interface ExportResult {
  destPath: string;
  /** Project files in the zip (the manifest not counted). */
  fileCount: number;
  /** Size of the zip file on disk. */
  bytes: number;
  manifest: ManifestEntry[];
  /** Entry name of the manifest: manifest.json, or macs-manifest.json if the project has its own. */
  manifestPath: string;
  /** Left out on purpose (symlinks leaving the project, FIFOs, sockets, devices); also in manifest.json. */
  skipped: SkippedExportFile[];
}

const PROGRESS_INTERVAL_MS = 100; // at most ~10 updates per second
const DEFLATE_LEVEL = 6; // zlib's default balance of size and speed, same as `zip -6`
/** S_IFREG: without the file-type bits some unzip tools do not treat the entry as a regular file. */
const REGULAR_FILE = 0o100000;
// JSZip writes neither ZIP64 records nor more than 16-bit entry counts.
const MAX_ENTRIES = 0xffff;
const MAX_ZIP_BYTES = 0xffffffff;

/**
 * JSZip emits many tiny chunks (a local header, a data descriptor per entry); written
 * one by one that is tens of thousands of write calls. Batch them into ~1 MB writes.
 */
function coalesce(targetBytes = 1024 * 1024): Transform {
  let chunks: Buffer[] = [];
  let length = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      length += chunk.byteLength;
      if (length >= targetBytes) {
        this.push(Buffer.concat(chunks, length));
        chunks = [];
        length = 0;
      }
      callback();
    },
    flush(callback) {
      if (length > 0) this.push(Buffer.concat(chunks, length));
      callback();
    },
  });
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

const DOS_EPOCH = Date.UTC(1980, 0, 1);

/**
 * JSZip writes the DOS time from UTC fields; zip readers take it as local time. DOS
 * dates start in 1980 (reproducible builds often stamp files 1970): clamp.
 */
function dosLocal(date: Date): Date {
  return new Date(Math.max(DOS_EPOCH, date.getTime() - date.getTimezoneOffset() * 60_000));
}

function cancelled(destPath: string): MacsError {
  return new MacsError('EXPORT_FAILED', 'The export was cancelled.', { aborted: true, destPath });
}

export async function exportWorkspaceZip(opts: ExportOptions): Promise<ExportResult> {
  const { root, destPath, onProgress, signal } = opts;
  const partialPath = `${destPath}.partial`;
  if (signal?.aborted) throw cancelled(destPath);

  let files;
  const skipped: SkippedExportFile[] = [];
  try {
    files = await collectExportFiles(root, skipped);
  } catch (err) {
    throw new MacsError('EXPORT_FAILED', `Could not list the files of ${root}: ${err instanceof Error ? err.message : String(err)}`, { root, errno: errnoCode(err) });
  }
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  if (files.length + 1 > MAX_ENTRIES || totalBytes > MAX_ZIP_BYTES * 0.99) {
    throw new MacsError('EXPORT_FAILED', `The project is too large to export as a plain zip (${files.length} files, ${totalBytes} bytes; the limits are ${MAX_ENTRIES - 1} files and about 4 GB).`, {
      fileCount: files.length,
      totalBytes,
    });
  }
  const manifestPath = files.some((f) => f.path === MANIFEST_NAME) ? FALLBACK_MANIFEST_NAME : MANIFEST_NAME;
  const manifest: ManifestEntry[] = [];
  const createdAt = new Date();

  let bytesDone = 0;
  let lastProgressAt = 0;
  const report = (): void => {
    const now = Date.now();
    if (!onProgress || now - lastProgressAt < PROGRESS_INTERVAL_MS) return;
    lastProgressAt = now;
    const ratio = totalBytes > 0 ? bytesDone / totalBytes : files.length > 0 ? manifest.length / files.length : 1;
    onProgress({ filesDone: manifest.length, fileCount: files.length, percent: Math.min(99, Math.floor(ratio * 100)), done: false });
  };

  // The entry JSZip is reading now, so a failed or cancelled export can close its file.
  let active: EntrySource | null = null;
  const readAhead = new ReadAhead(files);
  const zip = new JSZip();
  const addEntry = (name: string, content: EntryContent, date: Date, mode: number, onEnd: EntryHooks['onEnd']): void => {
    const hooks: EntryHooks = {
      level: DEFLATE_LEVEL,
      signal,
      onStart: (source) => (active = source),
      onBytes: (n) => {
        bytesDone += n;
        report();
      },
      onEnd: (result) => {
        active = null;
        onEnd(result);
      },
    };
    // A DeflatedEntry is not one of JSZip's declared input types; it is one JSZip
    // understands internally (see entry-source.ts).
    zip.file(name, new DeflatedEntry(content, hooks) as unknown as Uint8Array, {
      binary: true,
      createFolders: false,
      date: dosLocal(date),
      unixPermissions: REGULAR_FILE | mode,
    });
  };

  files.forEach((file, index) => {
    const content: EntryContent = readAhead.covers(index)
      ? { whole: () => readAhead.take(index) }
      : { absPath: file.absPath, expectedSize: file.size };
    addEntry(file.path, content, file.mtime, file.mode, ({ size, sha256 }) => {
      manifest.push({ path: file.path, size, sha256 });
      report();
    });
  });
  // Added last, and JSZip writes entries in order, so every file is hashed by the time it is read.
  const renderManifest = async () => {
    if (manifest.length !== files.length) throw new Error(`manifest built before all files were read (${manifest.length}/${files.length})`);
    return Buffer.from(`${JSON.stringify(buildManifest(manifest, createdAt, withSkipped(opts.manifestExtra, skipped)), null, 2)}\n`, 'utf8');
  };
  addEntry(manifestPath, { whole: renderManifest }, createdAt, 0o644, () => undefined);

  const zipStream = zip.generateNodeStream({
    type: 'nodebuffer',
    streamFiles: true, // sizes and CRC go in a data descriptor after each entry: nothing is held back
    platform: 'UNIX',
    compression: 'DEFLATE', // must match DeflatedEntry's method so JSZip copies our bytes as they are
  });
  // JSZip may still emit after pipeline() has given up on the stream; never let that be uncaught.
  zipStream.on('error', () => undefined);

  readAhead.start();
  try {
    await mkdir(path.dirname(destPath), { recursive: true });
    await pipeline(zipStream, coalesce(), createWriteStream(partialPath), signal ? { signal } : {});
    await rename(partialPath, destPath);
  } catch (err) {
    readAhead.stop();
    (active as EntrySource | null)?.dispose();
    await unlink(partialPath).catch(() => undefined);
    if (signal?.aborted) throw cancelled(destPath);
    const cause = err instanceof Error ? err.message : String(err);
    const code = errnoCode(err);
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new MacsError('DISK_FULL', `Not enough disk space to write the export ${destPath}.`, { destPath, errno: code, cause });
    }
    throw new MacsError('EXPORT_FAILED', `Exporting to ${destPath} failed: ${cause}`, { destPath, cause, ...(code ? { errno: code } : {}) });
  }

  const bytes = (await stat(destPath)).size;
  onProgress?.({ filesDone: files.length, fileCount: files.length, percent: 100, done: true });
  return { destPath, fileCount: files.length, bytes, manifest: buildManifest(manifest, createdAt, opts.manifestExtra).files, manifestPath, skipped };
}

/** manifest.json names what was left out (links out of the project, FIFOs…), only when something was. */
function withSkipped(extra: Record<string, unknown> | undefined, skipped: SkippedExportFile[]): Record<string, unknown> | undefined {
  return skipped.length ? { ...extra, skipped } : extra;
}
