// Linux: has the inotify watch limit been reached? @parcel/watcher (2.6) fails only
// at subscribe time; a folder created later that it cannot watch is skipped without
// a word, and its changes are silently missed. Node's fs.watch uses inotify too and
// does report ENOSPC, so after new folders appear, one short-lived watch tells
// whether the native watcher could have added theirs. The limit is per user, shared
// by every process (editors, dev servers), so it can run out at any time.
import { watch } from 'node:fs';

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** True only when adding one inotify watch on `absDir` fails with ENOSPC. Always false off Linux. */
export function inotifyLimitReached(absDir: string): boolean {
  if (process.platform !== 'linux') return false;
  try {
    watch(absDir, { persistent: false }).close();
    return false;
  } catch (err) {
    return errnoCode(err) === 'ENOSPC';
  }
}
