// What went wrong with a watch, in words a user can act on. @parcel/watcher reports
// plain Errors whose text comes from strerror(), which is misleading for inotify:
// ENOSPC from inotify_add_watch means "watch limit reached", not a full disk, and
// EMFILE from inotify_init means "too many inotify instances", not open files.
import { readFileSync } from 'node:fs';
import { MacsError } from '../../../../shared/errors.js';

/** details.reason of every watcher error, for the renderer to choose its text. */
export type WatchErrorReason = 'workspace-gone' | 'not-a-folder' | 'watch-limit' | 'watcher-unavailable' | 'watch-failed';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/**
 * The limit in force, for the message; null off Linux or when unreadable. Since
 * Linux 5.11 the limit is kept per user namespace (containers, sandboxes) under
 * /proc/sys/user; the fs.inotify sysctl is the host-wide value users know to raise.
 */
function linuxLimit(name: 'max_user_watches' | 'max_user_instances'): number | null {
  if (process.platform !== 'linux') return null;
  const perNamespace = name === 'max_user_watches' ? 'max_inotify_watches' : 'max_inotify_instances';
  for (const file of [`/proc/sys/user/${perNamespace}`, `/proc/sys/fs/inotify/${name}`]) {
    try {
      const value = Number(readFileSync(file, 'utf8').trim());
      if (Number.isFinite(value)) return value;
    } catch {
      // older kernel: try the next file
    }
  }
  return null;
}

export function workspaceGone(root: string): MacsError {
  return new MacsError('FILE_NOT_FOUND', `The workspace folder ${root} was deleted or moved; the file tree no longer follows it.`, {
    root,
    reason: 'workspace-gone' satisfies WatchErrorReason,
  });
}

export function watcherUnavailable(cause: unknown): MacsError {
  return new MacsError('NOT_SUPPORTED', `The native file watcher cannot load on this machine, so the file tree will not update by itself: ${messageOf(cause)}`, {
    reason: 'watcher-unavailable' satisfies WatchErrorReason,
    platform: `${process.platform}-${process.arch}`,
  });
}

/** inotify's ENOSPC: the per-user count of watched folders is used up (the disk is not full). */
export function watchLimitReached(root: string, cause: string): MacsError {
  const limit = linuxLimit('max_user_watches');
  return new MacsError(
    'NOT_SUPPORTED',
    `The system's limit on watched folders was reached${limit ? ` (${limit})` : ''}, so changes in ${root} are not all seen. ` +
      'Raise it (sudo sysctl fs.inotify.max_user_watches=524288) or open a smaller folder. The disk is not full.',
    { root, reason: 'watch-limit' satisfies WatchErrorReason, limit: 'max_user_watches', ...(limit ? { current: limit } : {}), cause },
  );
}

/** Map anything the native watcher threw or reported for `root`. */
export function toWatchError(err: unknown, root: string): MacsError {
  if (err instanceof MacsError) return err;
  const message = messageOf(err);
  const code = errnoCode(err);
  if (code === 'ENOSPC' || /no space left on device/i.test(message)) return watchLimitReached(root, message);
  if (/inotify/i.test(message) && /too many open files/i.test(message)) {
    const limit = linuxLimit('max_user_instances');
    return new MacsError(
      'NOT_SUPPORTED',
      `Too many file watchers are running for this user${limit ? ` (fs.inotify.max_user_instances = ${limit})` : ''}; ${root} is not watched. ` +
        'Close other watching tools or raise the limit (sudo sysctl fs.inotify.max_user_instances=1024).',
      { root, reason: 'watch-limit' satisfies WatchErrorReason, limit: 'max_user_instances', ...(limit ? { current: limit } : {}), cause: message },
    );
  }
  if (code === 'ENOENT' || /does not exist|no such file/i.test(message)) return workspaceGone(root);
  return new MacsError('INTERNAL', `The file watcher for ${root} failed: ${message}`, {
    root,
    reason: 'watch-failed' satisfies WatchErrorReason,
    ...(code ? { errno: code } : {}),
  });
}
