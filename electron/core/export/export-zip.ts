// Workspace → zip, streamed: JSZip builds the container, each file is read lazily
// (one open fd at a time) and hashed on the way through, output goes to
// `<dest>.partial` and is renamed into place only when complete.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
import { MacsError } from '../../../shared/errors.js';
import { collectExportFiles } from './collect.js';
import { LazyFileStream } from './lazy-file-stream.js';
import { buildManifest, FALLBACK_MANIFEST_NAME, lateManifestStream, MANIFEST_NAME, type ManifestEntry } from './manifest.js';
import { NODE_DEFLATE, type NodeDeflateOptions } from './node-deflate.js';
import { ReadAhead } from './read-ahead.js';

export interface ExportProgress { filesDone: number; fileCount: number; percent: number; done: boolean }

export interface ExportOptions {
  root: string;
  destPath: string;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
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
}

const PROGRESS_INTERVAL_MS = 100; // at most ~10 updates per second
/** S_IFREG: without the file-type bits some unzip tools do not treat the entry as a regular file. */
const REGULAR_FILE = 0o100000;
const DEFLATE_LEVEL = 6; // zlib's default: the usual size/speed balance, same as `zip -6`

/**
 * JSZip emits many tiny chunks (a local header, a data descriptor per entry); written
 * one by one that is tens of thousands of write syscalls. Batch them into ~1 MB writes.
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

/** JSZip writes the DOS time from UTC fields; zip readers take it as local time. */
function dosLocal(date: Date): Date {
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
}

export async function exportWorkspaceZip(opts: ExportOptions): Promise<ExportResult> {
  const { root, destPath, onProgress, signal } = opts;
  const partialPath = `${destPath}.partial`;
  if (signal?.aborted) throw new MacsError('EXPORT_FAILED', 'The export was cancelled.', { aborted: true, destPath });

  const files = await collectExportFiles(root);
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const manifestPath = files.some((f) => f.path === MANIFEST_NAME) ? FALLBACK_MANIFEST_NAME : MANIFEST_NAME;
  const manifest: ManifestEntry[] = [];
  const createdAt = new Date();

  let bytesDone = 0;
  let lastProgressAt = 0;
  const report = (force: boolean): void => {
    if (!onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgressAt < PROGRESS_INTERVAL_MS) return;
    lastProgressAt = now;
    const ratio = totalBytes > 0 ? bytesDone / totalBytes : files.length > 0 ? manifest.length / files.length : 1;
    onProgress({ filesDone: manifest.length, fileCount: files.length, percent: Math.min(99, Math.floor(ratio * 100)), done: false });
  };

  // The file JSZip is currently reading, so a failed/aborted export can close its fd.
  let active: LazyFileStream | null = null;
  const readAhead = new ReadAhead(files, { deflateLevel: process.env.NOPRE ? undefined : DEFLATE_LEVEL });
  const predeflated = new WeakMap<Uint8Array, Buffer>();
  const takeAhead = async (index: number): Promise<Buffer> => {
    const { content, deflated } = await readAhead.take(index);
    if (deflated) predeflated.set(content, deflated);
    return content;
  };
  const zip = new JSZip();
  files.forEach((file, index) => {
    const source: LazyFileStream = new LazyFileStream(file.absPath, file.size, {
      signal,
      readAll: readAhead.covers(index) ? () => takeAhead(index) : undefined,
      onBytes: (n) => {
        active = source;
        bytesDone += n;
        report(false);
      },
      onEnd: ({ size, sha256 }) => {
        active = null;
        manifest.push({ path: file.path, size, sha256 });
        report(false);
      },
    });
    zip.file(file.path, source, {
      binary: true,
      createFolders: false,
      date: dosLocal(file.mtime),
      unixPermissions: REGULAR_FILE | file.mode,
    });
  });
  zip.file(
    manifestPath,
    lateManifestStream(() => {
      if (manifest.length !== files.length) throw new Error(`manifest built before all files were read (${manifest.length}/${files.length})`);
      return `${JSON.stringify(buildManifest(manifest, createdAt), null, 2)}\n`;
    }),
    { binary: true, createFolders: false, date: dosLocal(createdAt), unixPermissions: REGULAR_FILE | 0o644 },
  );

  await mkdir(path.dirname(destPath), { recursive: true });
  const zipStream = zip.generateNodeStream({
    type: 'nodebuffer',
    streamFiles: true, // data descriptors after each entry: nothing is held back to learn sizes first
    platform: 'UNIX',
    // See node-deflate.ts for why this is not JSZip's own 'DEFLATE'.
    compression: NODE_DEFLATE as 'DEFLATE',
    compressionOptions: { level: DEFLATE_LEVEL, predeflated } satisfies NodeDeflateOptions as { level: number },
  });
  // JSZip may still emit after pipeline() has given up on the stream; never let that be uncaught.
  zipStream.on('error', () => undefined);

  readAhead.start();
  try {
    await pipeline(zipStream, coalesce(), createWriteStream(partialPath), signal ? { signal } : {});
    await rename(partialPath, destPath);
  } catch (err) {
    readAhead.stop();
    (active as LazyFileStream | null)?.destroy(new Error('export stopped'));
    await unlink(partialPath).catch(() => undefined);
    const cause = err instanceof Error ? err.message : String(err);
    if (signal?.aborted) throw new MacsError('EXPORT_FAILED', 'The export was cancelled.', { aborted: true, destPath });
    const code = errnoCode(err);
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new MacsError('DISK_FULL', `Not enough disk space to write the export ${destPath}.`, { destPath, errno: code, cause });
    }
    throw new MacsError('EXPORT_FAILED', `Exporting to ${destPath} failed: ${cause}`, { destPath, cause, ...(code ? { errno: code } : {}) });
  }

  const bytes = (await stat(destPath)).size;
  const sorted = buildManifest(manifest, createdAt).files;
  onProgress?.({ filesDone: files.length, fileCount: files.length, percent: 100, done: true });
  return { destPath, fileCount: files.length, bytes, manifest: sorted, manifestPath };
}
