// What a snapshot remembers about a task's files, and its on-disk JSON form. The copy
// backend stores it as <dataDir>/snapshots/tasks/<taskId>.json; the git backend stores
// the same JSON as `.macs-snapshot.json` in the snapshot commit and leaves a small
// pointer file at that place instead, so one folder lists every task with a snapshot.
import { z } from 'zod';
import { MacsError } from '../../../../shared/errors.js';

export type SnapshotBackend = 'git' | 'copy';

/** The state a file was in when the task first touched it. */
export interface BeforeState {
  sha256: string;
  size: number;
  /** Permission bits (st_mode & 0o7777): an executable comes back executable. */
  mode: number;
  /** Where the bytes are kept: the git blob id, or the sha256 itself for the copy backend. */
  blob: string;
}

/** What the user accepted in review: the file's state at that moment (null: accepted its deletion). */
export interface AcceptedState {
  sha256: string | null;
  mode: number | null;
}

export interface FileRecord {
  /** null: the path did not exist before the task. */
  before: BeforeState | null;
  accepted: AcceptedState | null;
}

export interface SnapshotManifest {
  backend: SnapshotBackend;
  taskId: string;
  /** Realpath of the workspace root; every path in `files` is relative to it (POSIX). */
  root: string;
  files: Map<string, FileRecord>;
  /** Directories that did not exist when a new file below them was recorded (removed on undo if empty). */
  newDirs: Set<string>;
  createdAt: string;
}

export function emptyManifest(backend: SnapshotBackend, taskId: string, root: string): SnapshotManifest {
  return { backend, taskId, root, files: new Map(), newDirs: new Set(), createdAt: new Date().toISOString() };
}

// On disk each file is `{before: sha256 | null, beforeSize?, beforeMode?, beforeBlob?, accepted?}`.
// beforeBlob is written only when it differs from the sha256 (git). `files` is an object
// keyed by path, but it is validated entry by entry rather than with z.record: zod drops a
// "__proto__" key, and that is a legal file name.
const FileJsonSchema = z.object({
  before: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  beforeSize: z.number().int().nonnegative().optional(),
  beforeMode: z.number().int().nonnegative().optional(),
  beforeBlob: z.string().regex(/^[0-9a-f]{40,64}$/).optional(),
  accepted: z.object({ sha256: z.string().nullable(), mode: z.number().int().nullable() }).optional(),
});

const ManifestJsonSchema = z.object({
  version: z.literal(1),
  backend: z.enum(['git', 'copy']),
  taskId: z.string(),
  root: z.string(),
  createdAt: z.string(),
  files: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'files must be an object'),
  newDirs: z.array(z.string()),
});

/** The git backend's entry in the tasks folder: where the snapshot ref lives. */
const GitPointerSchema = z.object({
  version: z.literal(1),
  backend: z.literal('git'),
  taskId: z.string(),
  root: z.string(),
  gitDir: z.string(),
  ref: z.string(),
  pointer: z.literal(true),
});
export type GitPointer = z.infer<typeof GitPointerSchema>;

export function serializeManifest(manifest: SnapshotManifest): string {
  const files = Object.fromEntries(
    [...manifest.files].map(([filePath, record]) => {
      const before = record.before;
      const json: z.infer<typeof FileJsonSchema> = { before: before?.sha256 ?? null };
      if (before) {
        json.beforeSize = before.size;
        json.beforeMode = before.mode;
        if (before.blob !== before.sha256) json.beforeBlob = before.blob;
      }
      if (record.accepted) json.accepted = record.accepted;
      return [filePath, json];
    }),
  );
  const { backend, taskId, root, createdAt } = manifest;
  return JSON.stringify({ version: 1, backend, taskId, root, createdAt, files, newDirs: [...manifest.newDirs] }, null, 1);
}

function corrupt(where: string, why: string): MacsError {
  return new MacsError('INTERNAL', `The undo snapshot ${where} is unreadable: ${why}`, { where, reason: why });
}

export function parseManifest(text: string, where: string): SnapshotManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw corrupt(where, err instanceof Error ? err.message : String(err));
  }
  const top = ManifestJsonSchema.safeParse(raw);
  if (!top.success) throw corrupt(where, top.error.message);
  const files = new Map<string, FileRecord>();
  // Object.entries on the raw JSON object keeps every own key, "__proto__" included.
  for (const [filePath, value] of Object.entries(top.data.files)) {
    const entry = FileJsonSchema.safeParse(value);
    if (!entry.success) throw corrupt(where, `entry "${filePath}": ${entry.error.message}`);
    const { before, beforeSize, beforeMode, beforeBlob, accepted } = entry.data;
    files.set(filePath, {
      before: before === null ? null : { sha256: before, size: beforeSize ?? 0, mode: beforeMode ?? 0o644, blob: beforeBlob ?? before },
      accepted: accepted ?? null,
    });
  }
  const { backend, taskId, root, createdAt, newDirs } = top.data;
  return { backend, taskId, root, createdAt, files, newDirs: new Set(newDirs) };
}

export type TaskFile = { kind: 'manifest'; manifest: SnapshotManifest } | { kind: 'git-pointer'; pointer: GitPointer };

/** Read a tasks/<id>.json: a copy backend's manifest or a git backend's pointer. */
export function parseTaskFile(text: string, where: string): TaskFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw corrupt(where, err instanceof Error ? err.message : String(err));
  }
  const pointer = GitPointerSchema.safeParse(raw);
  if (pointer.success) return { kind: 'git-pointer', pointer: pointer.data };
  return { kind: 'manifest', manifest: parseManifest(text, where) };
}

export function serializeGitPointer(pointer: Omit<GitPointer, 'version' | 'backend' | 'pointer'>): string {
  return JSON.stringify({ version: 1, backend: 'git', pointer: true, ...pointer }, null, 1);
}
