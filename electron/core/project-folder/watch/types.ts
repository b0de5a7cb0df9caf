// The watcher's public shapes.
import type { MacsError } from '../../../../shared/errors.js';

/** Net changes since the previous batch; paths relative to the workspace root, POSIX separators. */
export interface WatchBatch {
  created: string[];
  updated: string[];
  deleted: string[];
}

export interface WatchWorkspaceOptions {
  /** Events within this window after the first one are delivered together. Default 40 ms. */
  debounceMs?: number;
  /**
   * Drop paths the caller does not want (true = drop). `.git` internals and
   * node_modules are dropped before this is asked; gitignored paths are not, since
   * the tree shows them when "show ignored" is on.
   */
  ignore?: (relPath: string) => boolean;
  /**
   * Problems after the watch started: the folder deleted, the system's watch limit
   * reached for a new subfolder, a native watcher error. Without it they are logged
   * to stderr; they never throw.
   */
  onError?: (err: MacsError) => void;
}

export interface WorkspaceWatcher {
  /** Stop watching. No batch is delivered after this resolves; changes still pending are dropped. */
  close(): Promise<void>;
}
