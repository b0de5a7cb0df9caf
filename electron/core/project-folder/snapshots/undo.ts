// "Undo task": every file the task touched back to its before state. Order matters when
// the task swapped a file for a directory (or the reverse): files the task created go
// first, then the empty directories it created, then the files that existed are written
// back. Every file is tried; failures are collected, never stop the others.
import { MacsError, type ErrorCode } from '../../../../shared/errors.js';
import type { Workspace } from '../guard/index.js';
import { mapLimit } from './concurrency.js';
import { readState, removeEmptyDirs, removeEntry, sameState, writeExactly } from './file-state.js';
import type { BeforeState, FileRecord } from './manifest.js';

const IO_PARALLELISM = 8;
/** Files whose saved bytes are fetched together (one git process per batch; bounds memory). */
const BLOB_BATCH = 128;

export type UndoKind = 'restored' | 'deleted' | 'recreated' | 'unchanged';
export type UndoPaths = Record<UndoKind, string[]> & { removedDirs: string[] };
export interface UndoFailure {
  path: string;
  code: ErrorCode;
  message: string;
}

export interface UndoInput {
  ws: Workspace;
  /** Sorted by path. */
  files: Array<[string, FileRecord]>;
  newDirs: Iterable<string>;
  /** The saved bytes for these before states, checked against their sha256. */
  fetch(wanted: Array<{ path: string; before: BeforeState }>): Promise<Map<string, Buffer>>;
}

export async function undoFiles(input: UndoInput): Promise<{ paths: UndoPaths; failures: UndoFailure[] }> {
  const { ws } = input;
  const paths: UndoPaths = { restored: [], deleted: [], recreated: [], unchanged: [], removedDirs: [] };
  const failures: UndoFailure[] = [];
  const fail = (filePath: string, err: unknown) =>
    failures.push({ path: filePath, code: err instanceof MacsError ? err.code : 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
  const attempt = (filePath: string, fn: () => Promise<void>) => fn().catch((err: unknown) => void fail(filePath, err));

  const created = input.files.filter(([, record]) => record.before === null);
  await mapLimit(created, IO_PARALLELISM, ([filePath]) =>
    attempt(filePath, async () => {
      const removed = await removeEntry(ws, filePath);
      paths[removed ? 'deleted' : 'unchanged'].push(filePath);
    }),
  );
  paths.removedDirs = await removeEmptyDirs(ws, input.newDirs);

  const existed = input.files.flatMap(([filePath, record]) => (record.before ? [{ path: filePath, before: record.before }] : []));
  for (let i = 0; i < existed.length; i += BLOB_BATCH) {
    // Only files that differ from their before state are fetched and written.
    const stale: Array<{ path: string; before: BeforeState; outcome: 'restored' | 'recreated' }> = [];
    await mapLimit(existed.slice(i, i + BLOB_BATCH), IO_PARALLELISM, ({ path: filePath, before }) =>
      attempt(filePath, async () => {
        const now = await readState(await ws.resolveInside(filePath));
        if (now.kind === 'file' && sameState(before, now.state)) paths.unchanged.push(filePath);
        else stale.push({ path: filePath, before, outcome: now.kind === 'file' ? 'restored' : 'recreated' });
      }),
    );
    if (stale.length === 0) continue;
    let blobs: Map<string, Buffer>;
    try {
      blobs = await input.fetch(stale);
    } catch (err) {
      for (const { path: filePath } of stale) fail(filePath, err);
      continue;
    }
    await mapLimit(stale, IO_PARALLELISM, ({ path: filePath, before, outcome }) =>
      attempt(filePath, async () => {
        await writeExactly(ws, filePath, blobs.get(filePath)!, before.mode);
        paths[outcome].push(filePath);
      }),
    );
  }
  for (const list of [paths.restored, paths.deleted, paths.recreated, paths.unchanged]) list.sort();
  return { paths, failures };
}
