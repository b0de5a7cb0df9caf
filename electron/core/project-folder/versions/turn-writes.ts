// The files a turn wrote belong to its version, whatever the project's .gitignore says.
// A model that writes a .gitignore of `*` (or one ignoring its own new files) otherwise made
// every later turn of the project versionless: `git add --all` skips ignored files, so the
// turn's commit was empty, and "Undo last turn" undid an earlier turn instead.
// Files a turn did not write (build outputs, caches) still follow .gitignore.
import { isAtomicWriteTemp } from '../guard/atomic-write.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HEAVY_FOLDERS, gitDirState, repoGit } from './git-repo.js';

const NEVER = (rel: string) => isAtomicWriteTemp(rel) || HEAVY_FOLDERS.some((folder) => `/${rel}`.includes(`/${folder}`));

/** Stage `paths` (relative, as the turn wrote them) even when ignored; gone or never-versioned ones are left to `add --all`. */
export async function stageTurnWrites(root: string, paths: Iterable<string>): Promise<void> {
  const present = [...new Set(paths)].filter((rel) => !NEVER(rel) && existsSync(path.join(root, rel)));
  if (present.length === 0 || (await gitDirState(root)) !== 'dir') return;
  await repoGit(root, ['--literal-pathspecs', 'add', '--force', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: present.map((rel) => `${rel}\0`).join('') });
}
