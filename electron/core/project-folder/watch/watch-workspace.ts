// watchWorkspace: changes under a workspace folder, in debounced batches of relative
// paths. Built on @parcel/watcher: one native recursive watch (inotify, FSEvents,
// ReadDirectoryChangesW) that scales to large trees, with its own event thread, so
// a burst of thousands of events costs the JS side one callback per burst.
import { isAtomicWriteTemp } from '../guard/atomic-write.js';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type ParcelWatcher from '@parcel/watcher';
import { MacsError } from '../../../../shared/errors.js';
import { EventCoalescer } from './coalesce.js';
import { addNewFolderContents } from './new-folders.js';
import type { WatchBatch, WatchWorkspaceOptions, WorkspaceWatcher } from './types.js';
import { toWatchError, watcherUnavailable, watchLimitReached, workspaceGone } from './watch-errors.js';
import { inotifyLimitReached } from './watch-limit-probe.js';

export const DEFAULT_DEBOUNCE_MS = 40;

/**
 * Given to the native watcher so it never places watches inside these folders:
 * node_modules alone can hold more folders than inotify's default watch limit.
 * Both the folder and everything below: inotify skips an ignored folder, but
 * FSEvents watches the whole tree and filters each event's own path.
 */
const NATIVE_IGNORE_GLOBS = ['**/.git', '**/.git/**', '**/node_modules', '**/node_modules/**'];

/** The same rule in JS, for backends that report an ignored folder's events anyway. */
function isDefaultIgnored(relPath: string): boolean {
  return /(^|\/)(\.git|node_modules)(\/|$)/.test(relPath) || isAtomicWriteTemp(relPath);
}

type ParcelApi = typeof ParcelWatcher;
let parcel: Promise<ParcelApi> | null = null;

/**
 * Loaded on first use, not at import: where no prebuilt binary fits the platform the
 * engine still starts, and watching fails with NOT_SUPPORTED instead.
 */
function loadParcel(): Promise<ParcelApi> {
  parcel ??= import('@parcel/watcher').then(
    (mod) => (mod as { default?: ParcelApi }).default ?? (mod as unknown as ParcelApi),
    (err: unknown) => {
      parcel = null;
      throw watcherUnavailable(err);
    },
  );
  return parcel;
}

async function resolveRoot(root: string): Promise<string> {
  const absolute = path.resolve(root);
  // realpath: FSEvents reports real paths (/private/var/... for /var/...), and events
  // are made relative by prefix, so the root must be spelled the same way.
  const real = await realpath(absolute).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MacsError('FILE_NOT_FOUND', `The folder ${absolute} does not exist.`, { root: absolute, reason: 'workspace-gone' });
    }
    throw toWatchError(err, absolute);
  });
  const info = await stat(real);
  if (!info.isDirectory()) {
    throw new MacsError('INVALID_INPUT', `${absolute} is a file, not a folder.`, { root: absolute, reason: 'not-a-folder' });
  }
  return real;
}

function reportTo(onError: WatchWorkspaceOptions['onError']): (err: MacsError) => void {
  return (err) => {
    try {
      if (onError) return onError(err);
    } catch (thrown) {
      console.error('[watcher] the onError callback threw:', thrown);
    }
    console.error(`[watcher] ${err.code}: ${err.message}`);
  };
}

/**
 * Start watching `root`. Resolves once the watch is in place (changes from then on are
 * seen); rejects with a MacsError when it cannot start (missing folder, not a folder,
 * watch limit, no native watcher). Later problems go to `opts.onError`.
 */
export async function watchWorkspace(
  root: string,
  onBatch: (batch: WatchBatch) => void,
  opts: WatchWorkspaceOptions = {},
): Promise<WorkspaceWatcher> {
  const debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  if (!Number.isFinite(debounceMs) || debounceMs < 0) {
    throw new MacsError('INVALID_INPUT', 'debounceMs must be a number of milliseconds, 0 or more.', { debounceMs });
  }
  const report = reportTo(opts.onError);
  const realRoot = await resolveRoot(root);
  const rootPrefix = realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep;
  const native = await loadParcel();

  const pending = new EventCoalescer();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  /** The root is gone: the last batch and the error are on their way; nothing more is taken in. */
  let ending = false;
  let closing: Promise<void> | null = null;
  let subscription: ParcelWatcher.AsyncSubscription | null = null;

  // Hoisted, because the native callback can end the watch (root deleted) at any time.
  function close(): Promise<void> {
    closed = true;
    if (timer) clearTimeout(timer);
    timer = null;
    if (!subscription) return Promise.resolve(); // still subscribing: dropped once that settles
    closing ??= subscription.unsubscribe().catch((err: unknown) => {
      // The folder may already be gone, taking the native watch with it; anything else is worth knowing.
      const mapped = toWatchError(err, realRoot);
      if (mapped.details?.reason !== 'workspace-gone') report(mapped);
    });
    return closing;
  }

  const skip = (relPath: string) => isDefaultIgnored(relPath) || opts.ignore?.(relPath) === true;
  // Batches go out one at a time, in order, even though completing one is async.
  let delivery: Promise<void> = Promise.resolve();

  let limitReported = false;

  const deliver = async (batch: WatchBatch) => {
    try {
      const newFolders = await addNewFolderContents(batch, rootPrefix, skip);
      // Once is enough: the user has to act (raise the limit or close something) either way.
      if (newFolders.length > 0 && !limitReported && inotifyLimitReached(rootPrefix + newFolders[newFolders.length - 1])) {
        limitReported = true;
        report(watchLimitReached(realRoot, 'a new folder could not be watched'));
      }
    } catch (err) {
      report(toWatchError(err, realRoot)); // the batch still goes out with what the native watcher saw
    }
    if (closed) return;
    try {
      onBatch(batch);
    } catch (err) {
      // A bug in the listener must not kill the watch or surface as an uncaught exception.
      report(new MacsError('INTERNAL', `The change listener threw: ${err instanceof Error ? err.message : String(err)}`, { root: realRoot }));
    }
  };

  const flush = () => {
    timer = null;
    const batch = pending.take();
    if (batch && !closed) delivery = delivery.then(() => deliver(batch));
  };

  const takeIn = (err: Error | null, events: ParcelWatcher.Event[] | undefined) => {
    if (closed || ending) return;
    if (err) report(toWatchError(err, realRoot));
    let rootDeleted = false;
    for (const event of events ?? []) {
      if (!event.path.startsWith(rootPrefix)) {
        // The root itself: its deletion ends the watch; anything else about it says nothing.
        if (event.path === realRoot && event.type === 'delete') rootDeleted = true;
        continue;
      }
      const relPath = event.path.slice(rootPrefix.length).split(path.sep).join('/');
      if (skip(relPath)) continue;
      pending.add(event.type, relPath);
    }
    if (rootDeleted) {
      if (timer) clearTimeout(timer);
      flush();
      ending = true;
      // After the last batch (the deletions), then stop.
      delivery = delivery.then(() => {
        if (!closed) report(workspaceGone(realRoot));
        return close();
      });
      return;
    }
    // A fixed window from the first event, not reset by later ones: under a steady
    // stream of writes (a build), batches keep coming every debounceMs.
    if (pending.size > 0 && !timer) timer = setTimeout(flush, debounceMs);
  };

  // Called from the native module's thread-safe callback: a throw here (say, from the
  // caller's ignore function) would be an uncaught exception, so it becomes a report.
  const onNative: ParcelWatcher.SubscribeCallback = (err, events) => {
    try {
      takeIn(err, events);
    } catch (thrown) {
      report(new MacsError('INTERNAL', `Handling file changes failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { root: realRoot }));
    }
  };

  try {
    subscription = await native.subscribe(realRoot, onNative, { ignore: NATIVE_IGNORE_GLOBS });
  } catch (err) {
    throw toWatchError(err, realRoot);
  }
  // The root went away while the watch was being set up.
  if (closed) await close();
  return { close };
}
