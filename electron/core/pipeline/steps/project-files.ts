import fs from 'node:fs';
import { filterCandidates } from '../../retrieval/index.js';
export { fenceLanguage, renderFile } from '../../files/index.js';
import type { Workspace } from '../../project-folder/index.js';

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

/**
 * The project's text files (skipping binaries, very large files, lock files and build output),
 * the longest unchanged first (then by path): the order every prompt shows them in. Ollama
 * reuses its cache for the prefix a prompt shares with the one before, so a file a fix round
 * changed moves to the end and the files before it stay cached, round after round; a new file
 * (the README the docs step writes) joins at the end instead of shifting the others.
 */
export async function readProjectFiles(workspace: Workspace, scope?: { include?: string[]; exclude?: string[] }): Promise<ProjectFile[]> {
  const all = await workspace.listFiles().catch(() => []);
  // TaskV1.1 repo.include / repo.exclude narrow what the model sees of an existing repository.
  const keep = new Set(filterCandidates(all.map((f) => f.path), { include: scope?.include, exclude: scope?.exclude }).slice(0, MAX_PROJECT_FILES));
  const listed = all.filter((f) => keep.has(f.path));
  const out: ProjectFile[] = [];
  for (const f of listed) {
    if (f.size > MAX_CONTEXT_FILE_BYTES) continue;
    const read = await workspace.readFile(f.path).catch(() => null);
    if (!read || read.binary || read.content === null) continue;
    const changedAt = await workspace
      .resolveInside(f.path)
      .then((abs) => fs.promises.stat(abs))
      .then((st) => st.mtimeMs)
      .catch(() => 0);
    out.push({ path: f.path, content: read.content, changedAt });
  }
  return out.sort((a, b) => (a.changedAt ?? 0) - (b.changedAt ?? 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function isDocsPath(path: string): boolean {
  return /(^|\/)(README|CHANGELOG|CONTRIBUTING)(\.[a-z]+)?$/i.test(path) || /^docs\//i.test(path);
}

export function isTestPath(path: string): boolean {
  return /(^|\/)(tests?|__tests__|spec)\//i.test(path) || /(^|\/)test_[^/]*\.py$|_test\.(py|go)$|\.(test|spec)\.[cm]?[jt]sx?$/i.test(path);
}
