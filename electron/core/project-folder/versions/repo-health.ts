// A generated project's repository found sound, remembered while nothing it rests on has
// changed on disk. The full check (repoDamage: five git processes, and every blob of the
// newest version looked up) then runs once per repository and process, not at every turn.
//
// What it rests on, read with a few stats and no git process: HEAD (its text and inode),
// the ref it names, packed-refs, the pack folder, and the loose objects. A loose-object
// folder whose time changed is listed again: objects only added (a hand edit's blobs, the
// undo snapshot's) keep the verdict, one gone (deleted by hand, pruned) drops it. A repack
// or gc changes the pack folder, a checkout or reset HEAD or the ref. MACS's own commits
// leave the repository sound (write-tree and commit-tree refuse missing objects), so they
// refresh what is remembered instead of forcing the next full check.
//
// Not seen: an object file rewritten in place with other bytes. git then fails when it
// reads it, and the history's lazy check (index.ts) takes over.
//
// Synchronous on purpose: ~260 stats take 1–3 ms in a row, against 5–20 ms through a busy
// libuv pool; folders are only listed when their time changed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gitDirOf } from './git-repo.js';

interface Health {
  /** HEAD's text and the stats of HEAD, its ref, packed-refs and the pack and info folders. */
  refs: string;
  /** Loose-object folder ("ab") → its stat key and the object files in it. */
  folders: Map<string, { key: string; names: Set<string> }>;
}

const soundAt = new Map<string, Health>();

/** Whether the repository at `root` was found sound and nothing it rests on was changed or removed since. */
export async function knownSound(root: string): Promise<boolean> {
  const remembered = soundAt.get(root);
  if (!remembered) return false;
  const now = readHealth(root, remembered);
  if (!now || now.refs !== remembered.refs) return false;
  for (const [name, before] of remembered.folders) {
    const after = now.folders.get(name);
    if (!after) return false;
    for (const object of before.names) if (!after.names.has(object)) return false;
  }
  soundAt.set(root, now); // only added to: what is there now is what the next open compares with
  return true;
}

/** Remember the repository as sound as it is now (after a full check passed, or after MACS's own commit). */
export async function rememberSound(root: string, health?: Health | null): Promise<void> {
  const now = health === undefined ? readHealth(root, soundAt.get(root)) : health;
  if (now) soundAt.set(root, now);
  else soundAt.delete(root);
}

export function forgetSound(root: string): void {
  soundAt.delete(root);
}

/** What the verdict rests on now (folders whose stat did not change since `previous` are not listed again); null when HEAD cannot be read. */
export function readHealth(root: string, previous?: Health): Health | null {
  const gitDir = gitDirOf(root);
  const statKey = (rel: string) => {
    const s = statSync(path.join(gitDir, rel), { bigint: true, throwIfNoEntry: false });
    return s ? `${rel}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : `${rel}:-`;
  };
  try {
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8');
    const ref = /^ref: (refs\/\S+)\s*$/.exec(head)?.[1];
    const refs = [head.trim(), ...['HEAD', 'packed-refs', 'objects/pack', 'objects/info', ...(ref ? [ref] : [])].map(statKey)].join('\n');
    const folders: Health['folders'] = new Map();
    for (const name of readdirSync(path.join(gitDir, 'objects'))) {
      if (!/^[0-9a-f]{2}$/.test(name)) continue;
      const key = statKey(`objects/${name}`);
      const known = previous?.folders.get(name);
      folders.set(name, known?.key === key ? known : { key, names: new Set(readdirSync(path.join(gitDir, 'objects', name))) });
    }
    return { refs, folders };
  } catch {
    return null;
  }
}
