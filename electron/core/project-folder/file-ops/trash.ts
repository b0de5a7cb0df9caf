// MACS's own trash: a deleted file or folder moves to <dataDir>/trash/<id>/item with a
// note of where it came from, so Undo (and "restore" later) puts it back exactly. The OS
// trash would need a desktop session (the engine also runs headless behind `macs serve`).
import crypto from 'node:crypto';
import { cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import { entryExists, prepareParent, requireEntry, resolveEntry } from './entries.js';

/** Trashed items older than this are removed for good the next time something is trashed. */
export const TRASH_KEEP_MS = 30 * 24 * 60 * 60 * 1000;
const ID_PATTERN = /^[a-z0-9]{1,16}-[a-f0-9]{8}$/;

export interface TrashNote {
  root: string;
  path: string;
  deletedAt: number;
  isFolder: boolean;
}

export interface TrashedEntry { path: string; trashId: string }

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** rename, or copy then remove when the trash is on another file system than the project. */
async function moveAcross(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if (errnoCode(err) !== 'EXDEV') throw err;
    await cp(from, to, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
    await rm(from, { recursive: true, force: true });
  }
}

export class ProjectTrash {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'trash');
  }

  /** Move the entry to the trash; returns the id that restores it. */
  async trash(root: string, relPath: string, now = Date.now()): Promise<TrashedEntry> {
    const entry = await requireEntry(root, relPath);
    const trashId = `${now.toString(36)}-${crypto.randomBytes(4).toString('hex')}`;
    const slot = path.join(this.dir, trashId);
    await mkdir(slot, { recursive: true });
    const note: TrashNote = { root, path: entry.relPath, deletedAt: now, isFolder: entry.isFolder };
    await writeFile(path.join(slot, 'entry.json'), JSON.stringify(note));
    try {
      await moveAcross(entry.absPath, path.join(slot, 'item'));
    } catch (err) {
      await rm(slot, { recursive: true, force: true });
      throw err;
    }
    void this.prune(now).catch(() => undefined);
    return { path: entry.relPath, trashId };
  }

  /** Where a trashed item came from (to check its project before restoring). */
  async note(trashId: string): Promise<TrashNote> {
    const missing = new MacsError('TRASH_ITEM_NOT_FOUND', 'That deleted file is not in the trash any more (restored already, or removed after 30 days).', { trashId });
    if (!ID_PATTERN.test(trashId)) throw missing;
    try {
      return JSON.parse(await readFile(path.join(this.dir, trashId, 'entry.json'), 'utf8')) as TrashNote;
    } catch {
      throw missing;
    }
  }

  /** Put a trashed item back where it was; refused if something new is at that path now. */
  async restore(trashId: string): Promise<TrashNote> {
    const note = await this.note(trashId);
    const entry = await resolveEntry(note.root, note.path);
    if (await entryExists(entry.absPath)) {
      throw new MacsError('PATH_EXISTS', `"${note.path}" exists again; rename or delete it first to restore the deleted one.`, { path: note.path, trashId });
    }
    const target = await prepareParent(note.root, entry);
    await moveAcross(path.join(this.dir, trashId, 'item'), target);
    await rm(path.join(this.dir, trashId), { recursive: true, force: true });
    return note;
  }

  private async prune(now: number): Promise<void> {
    for (const id of await readdir(this.dir)) {
      const info = await stat(path.join(this.dir, id)).catch(() => null);
      if (info && now - info.mtimeMs > TRASH_KEEP_MS) await rm(path.join(this.dir, id), { recursive: true, force: true });
    }
  }
}
