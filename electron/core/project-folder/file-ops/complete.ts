// Folder suggestions for the browser host's Open folder: the folders under what the user
// typed so far (no files), each marked with why it cannot be opened, as workspaces.open
// would say (system folders are listed so one can walk through them, but not opened).
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { systemFolderRefusal, type FolderContext } from '../checks/index.js';

export const MAX_SUGGESTIONS = 50;

export interface FolderSuggestion {
  path: string;
  name: string;
  /** Why workspaces.open refuses it (a system folder, the home folder itself); null: it can be opened. */
  refused: string | null;
}

export interface FolderCompletion {
  /** The folder whose children are listed. */
  parent: string;
  folders: FolderSuggestion[];
  truncated: boolean;
}

/**
 * `partial` is an absolute path being typed ("~" means home): ending in a separator lists
 * that folder's folders, otherwise the folders of its parent whose names start with the
 * last part (case-insensitive). Hidden folders only when the typed part starts with a dot.
 */
export async function completeFolder(partial: string, ctx: FolderContext): Promise<FolderCompletion> {
  let typed = partial.trim();
  if (typed === '~' || typed.startsWith('~/')) typed = ctx.home + typed.slice(1);
  if (!path.isAbsolute(typed)) return { parent: '', folders: [], truncated: false };
  const endsWithSep = typed.endsWith('/') || typed.endsWith(path.sep);
  const parent = endsWithSep ? path.resolve(typed) : path.dirname(path.resolve(typed));
  const prefix = endsWithSep ? '' : path.basename(typed).toLowerCase();
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  const names: string[] = [];
  for (const e of entries) {
    if (!e.name.toLowerCase().startsWith(prefix)) continue;
    if (e.name.startsWith('.') && !prefix.startsWith('.')) continue;
    const isFolder = e.isDirectory() || (e.isSymbolicLink() && (await stat(path.join(parent, e.name)).then((s) => s.isDirectory(), () => false)));
    if (isFolder) names.push(e.name);
  }
  names.sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true }));
  const folders = names.slice(0, MAX_SUGGESTIONS).map((name): FolderSuggestion => {
    const full = path.join(parent, name);
    return { path: full, name, refused: systemFolderRefusal(full, ctx)?.reason ?? null };
  });
  return { parent, folders, truncated: names.length > MAX_SUGGESTIONS };
}


