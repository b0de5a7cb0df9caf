// Lock files a git process left in a generated project's repository when it was killed
// (kill -9 of the engine mid-commit, a crash, a power cut). git refuses every later index
// or ref update while one is there ("Unable to create .git/index.lock: File exists"), so
// every later turn, restore and undo of the project would fail until someone deleted it.
//
// Only locks made before this engine started are removed: every git process this engine
// runs starts after that, so such a lock cannot be one of its own commits in flight. The
// repository is MACS's (a generated project); an opened folder's repository is the user's
// and never touched.
import { lstat, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';

const TOP_LEVEL_LOCKS = ['index.lock', 'HEAD.lock', 'config.lock', 'packed-refs.lock'];

/** Remove lock files in <root>/.git older than `startedAt` (ms); the paths removed, relative to .git. */
export async function clearStaleGitLocks(root: string, startedAt: number): Promise<string[]> {
  const gitDir = path.join(root, '.git');
  const heads = path.join('refs', 'heads');
  const branchLocks = await readdir(path.join(gitDir, heads)).then(
    (names) => names.filter((name) => name.endsWith('.lock')).map((name) => path.join(heads, name)),
    () => [],
  );
  const removed: string[] = [];
  for (const rel of [...TOP_LEVEL_LOCKS, ...branchLocks]) {
    const file = path.join(gitDir, rel);
    const stat = await lstat(file).catch(() => null);
    if (!stat?.isFile() || stat.mtimeMs >= startedAt) continue;
    await unlink(file).then(
      () => removed.push(rel),
      () => undefined, // gone already, or not ours to remove: git's own message says the rest
    );
  }
  return removed;
}
