// listWorkspace: everything the file tree needs about a project folder in one call.
// Walk (folders in parallel, gitignore rules applied on the way down so ignored
// folders are never entered) with sizes read alongside, then tree order.
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import { readOptionalRegularText } from '../guard/index.js';
import { FileSizer } from './file-sizes.js';
import { IgnoreStack } from './ignore-rules.js';
import { toTreeOrder } from './tree-order.js';
import type { ListWorkspaceOptions, WorkspaceListing } from './types.js';
import { RootUnreadableError, walkWorkspace } from './walk.js';

/** Enough for any real project with node_modules hidden; a cap so a mistaken `~` does not walk a whole disk. */
export const DEFAULT_MAX_ENTRIES = 200_000;

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function rootError(root: string, err: unknown): MacsError {
  const code = errnoCode(err);
  if (code === 'ENOENT') return new MacsError('FILE_NOT_FOUND', `The folder ${root} does not exist.`, { path: root });
  if (code === 'ENOTDIR') return new MacsError('INVALID_INPUT', `${root} is a file, not a folder.`, { path: root, reason: 'not-a-folder' });
  if (code === 'EACCES' || code === 'EPERM') {
    return new MacsError('INVALID_INPUT', `No permission to read the folder ${root}.`, { path: root, reason: 'permission-denied' });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new MacsError('INTERNAL', `Could not read the folder ${root}: ${message}`, { path: root, ...(code ? { errno: code } : {}) });
}

/** .git/info/exclude: the repository's private ignore list, below every .gitignore in precedence. */
async function readInfoExclude(prefix: string): Promise<string> {
  // Missing, or `.git` is a file (worktree, submodule): no exclude list to apply.
  return readOptionalRegularText(`${prefix}.git/info/exclude`);
}

export async function listWorkspace(root: string, opts: ListWorkspaceOptions = {}): Promise<WorkspaceListing> {
  const started = performance.now();
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new MacsError('INVALID_INPUT', 'maxEntries must be a positive whole number.', { maxEntries });
  }
  opts.signal?.throwIfAborted();
  const absRoot = path.resolve(root);
  // Entry paths are joined onto this; a filesystem root ("/", "C:\") already ends in a separator.
  const prefix = /[\\/]$/.test(absRoot) ? absRoot : `${absRoot}/`;

  const rules = IgnoreStack.empty().withRules('', await readInfoExclude(prefix));
  const sizer = new FileSizer(prefix, opts.signal);
  const walked = await walkWorkspace(prefix, {
    showIgnored: opts.showIgnored === true,
    maxEntries,
    rules,
    maxDepth: opts.maxDepth,
    signal: opts.signal,
    onUnsizedFiles: (files) => sizer.add(files),
  }).catch((err: unknown) => {
    throw err instanceof RootUnreadableError ? rootError(absRoot, err.cause) : err;
  });
  await sizer.finish();
  const entries = toTreeOrder(walked.childrenOf);
  return {
    entries,
    truncated: walked.truncated,
    ignoredCount: walked.ignoredCount,
    unreadable: walked.unreadable.sort(),
    tookMs: Math.round(performance.now() - started),
  };
}
