// What MACS remembers about a project's history in its data dir, one JSON file per
// project: which backend keeps the versions (so a repository that was deleted or broke
// is noticed instead of silently replaced by a fresh one), and, for the copies backend,
// the versions themselves. Folder projects keep their restore records here too.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MacsError } from '../../../../shared/errors.js';
import { VersionKindSchema } from '../../../../shared/project.js';
import { errnoCode, writeDurably } from '../snapshots/durable-write.js';

const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** [path, sha256, size, mode] of every file of a version. */
const FileRowSchema = z.tuple([z.string(), z.string().regex(/^[0-9a-f]{64}$/), z.number().int().nonnegative(), z.number().int().nonnegative()]);
export type FileRow = z.infer<typeof FileRowSchema>;

const CopyVersionSchema = z.object({
  id: z.string(),
  kind: VersionKindSchema,
  taskId: z.string().nullable(),
  message: z.string(),
  createdAt: z.number(),
  restoreOf: z.string().nullable(),
  filesChanged: z.number().int(),
  files: z.array(FileRowSchema),
});
export type CopyVersion = z.infer<typeof CopyVersionSchema>;

const FolderRestoreSchema = z.object({
  /** The snapshot of the files the restore was about to change (undoing it takes the restore back). */
  snapshotId: z.string(),
  /** The version restored ('' = before the first). */
  targetId: z.string(),
  targetNumber: z.number().int().nonnegative(),
  createdAt: z.number(),
});
export type FolderRestore = z.infer<typeof FolderRestoreSchema>;

const StateSchema = z.object({
  version: z.literal(1),
  backend: z.enum(['git', 'snapshots', 'folder-snapshots']),
  /** Why the copies backend took over (shown to the user). */
  reason: z.string().optional(),
  versions: z.array(CopyVersionSchema).optional(),
  restores: z.array(FolderRestoreSchema).optional(),
});
export type HistoryState = z.infer<typeof StateSchema>;

function versionsDir(dataDir: string): string {
  return path.join(dataDir, 'project-versions');
}

/** The copies backend's blob store root (its own, so the undo snapshots' pruning never touches it). */
export function versionBlobsBase(dataDir: string): string {
  return versionsDir(dataDir);
}

function stateFile(dataDir: string, projectId: string): string {
  if (!PROJECT_ID.test(projectId)) throw new MacsError('INVALID_INPUT', `"${projectId}" cannot name a project's history.`, { projectId });
  return path.join(versionsDir(dataDir), 'projects', `${projectId}.json`);
}

export async function readState(dataDir: string, projectId: string): Promise<HistoryState | null> {
  const file = stateFile(dataDir, projectId);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
  let parsed: ReturnType<typeof StateSchema.safeParse>;
  try {
    parsed = StateSchema.safeParse(JSON.parse(text));
  } catch (err) {
    throw new MacsError('INTERNAL', `The project's version record ${file} is unreadable: ${err instanceof Error ? err.message : String(err)}`, { file });
  }
  if (!parsed.success) throw new MacsError('INTERNAL', `The project's version record ${file} is unreadable: ${parsed.error.message}`, { file });
  return parsed.data;
}

export async function writeState(dataDir: string, projectId: string, state: HistoryState): Promise<void> {
  const file = stateFile(dataDir, projectId);
  await mkdir(path.dirname(file), { recursive: true });
  await writeDurably(file, Buffer.from(JSON.stringify(state), 'utf8'), 0o644);
}

/** Forget a deleted project's history record (its git repository goes with its folder; copies stay shared). */
export async function forgetProjectHistory(dataDir: string, projectId: string): Promise<void> {
  await rm(stateFile(dataDir, projectId), { force: true });
}

/**
 * The undo snapshots that opened folders' restores keep (the restore's own snapshot):
 * pruning the undo snapshots must count them as live, or the restore versions vanish.
 */
export async function restoreSnapshotIds(dataDir: string): Promise<string[]> {
  const dir = path.join(versionsDir(dataDir), 'projects');
  const names = await readdir(dir).catch(() => [] as string[]);
  const ids: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const state = await readState(dataDir, name.slice(0, -'.json'.length)).catch(() => null);
    for (const restore of state?.restores ?? []) ids.push(restore.snapshotId);
  }
  return ids;
}
