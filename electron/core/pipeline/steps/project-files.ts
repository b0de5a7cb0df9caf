import fs from 'node:fs';
import path from 'node:path';
import { filterCandidates } from '../../retrieval/index.js';
export { fenceLanguage, renderFile } from '../../files/index.js';
import { isAtomicWriteTemp, listWorkspace, type Workspace } from '../../project-folder/index.js';


/** Files larger than this are summarised by path only: they are rarely hand-written code. */
const MAX_CONTEXT_FILE_BYTES = 64 * 1024;

export interface ProjectFile {
  path: string;
  content: string;
  /** When the file last changed (ms); 0 when it could not be read. */
  changedAt?: number;
}

/** A build in a large existing folder sees this many of its files at most (the context budget trims further). */
const MAX_PROJECT_FILES = 400;

/** Files read at once: a 400-file project is read in a few dozen milliseconds, not one file after another. */
const READ_PARALLEL = 32;

/**
 * The project's files, as the tree shows them: the parallel, .gitignore-aware listing (ignored
 * folders such as node_modules are never entered; ignored files are not the project's source),
 * without symlinks (their target is not the project's to send) or half-written temp files.
 */
export async function listSourceFiles(workspace: Workspace): Promise<Array<{ path: string; size: number }>> {
  const listing = await listWorkspace(workspace.root, {}).catch(() => null);
  if (!listing) return [];
  return listing.entries
    .filter((e) => e.kind === 'file' && !e.symlink && !isAtomicWriteTemp(e.path))
    .map((e) => ({ path: e.path, size: e.size }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The project's text files (skipping binaries, very large files, lock files and build output),
 * the longest unchanged first (then by path): the order every prompt shows them in. Ollama
 * reuses its cache for the prefix a prompt shares with the one before, so a file a fix round
 * changed moves to the end and the files before it stay cached, round after round; a new file
 * (the README the docs step writes) joins at the end instead of shifting the others.
 */
export async function readProjectFiles(workspace: Workspace, scope?: { include?: string[]; exclude?: string[] }): Promise<ProjectFile[]> {
  const all = await listSourceFiles(workspace);
  // TaskV1.1 repo.include / repo.exclude narrow what the model sees of an existing repository.
  const keep = new Set(filterCandidates(all.map((f) => f.path), { include: scope?.include, exclude: scope?.exclude }).slice(0, MAX_PROJECT_FILES));
  const listed = all.filter((f) => keep.has(f.path) && f.size <= MAX_CONTEXT_FILE_BYTES);
  const out: ProjectFile[] = [];
  for (let i = 0; i < listed.length; i += READ_PARALLEL) {
    const batch = await Promise.all(listed.slice(i, i + READ_PARALLEL).map((f) => readOne(workspace, f.path)));
    for (const f of batch) if (f) out.push(f);
  }
  return out.sort((a, b) => (a.changedAt ?? 0) - (b.changedAt ?? 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function readOne(workspace: Workspace, rel: string): Promise<ProjectFile | null> {
  const read = await workspace.readFile(rel).catch(() => null);
  if (!read || read.binary || read.content === null) return null;
  // Only the order depends on it (no symlinks are listed): a sync stat is a few µs, an async one a thread-pool round trip.
  let changedAt = 0;
  try {
    changedAt = fs.statSync(path.join(workspace.root, rel)).mtimeMs;
  } catch {
    // gone since it was read: shown first, as before
  }
  return { path: rel, content: read.content, changedAt };
}

export function isDocsPath(path: string): boolean {
  return /(^|\/)(README|CHANGELOG|CONTRIBUTING)(\.[a-z]+)?$/i.test(path) || /^docs\//i.test(path);
}

export function isTestPath(path: string): boolean {
  return /(^|\/)(tests?|__tests__|spec)\//i.test(path) || /(^|\/)test_[^/]*\.py$|_test\.(py|go)$|\.(test|spec)\.[cm]?[jt]sx?$/i.test(path);
}
