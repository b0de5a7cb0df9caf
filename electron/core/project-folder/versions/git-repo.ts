// The generated project's own git repository (<root>/.git): made by MACS, read by the
// user's git tools. Every call goes through the snapshot module's git runner (no hooks,
// MACS's identity, no inherited GIT_* redirection); the repository's own config pins
// what could change bytes or ask for things (autocrlf, signing), so it works on a machine
// with no git config at all.
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { firstLine, readObjects, runGit, type GitCall, type GitResult } from '../snapshots/git.js';
import { errnoCode } from '../snapshots/durable-write.js';

/** Never committed, with or without a .gitignore: dependencies and caches a turn's build makes. */
export const HEAVY_FOLDERS = ['node_modules/', '.venv/', 'venv/', '__pycache__/', '.pytest_cache/', '.mypy_cache/', '.tox/'];
// The workspace writer's temp files (a write in flight) are not part of any version.
const EXCLUDES = ['# MACS: never part of a version', ...HEAVY_FOLDERS, '*.macs-tmp-*'];
// Highest-precedence attributes: bytes go in and come out exactly as on disk, whatever a
// .gitattributes in the project asks for (eol conversion, filters).
const ATTRIBUTES = '# MACS: versions keep files byte for byte\n* -text -filter -ident\n';
const REPO_CONFIG: Array<[string, string]> = [
  ['core.autocrlf', 'false'],
  ['core.safecrlf', 'false'],
  ['core.fileMode', 'true'],
  ['commit.gpgSign', 'false'],
  ['tag.gpgSign', 'false'],
];

export const ZERO_OID = '0'.repeat(40);

export function gitDirOf(root: string): string {
  return path.join(root, '.git');
}

/** `git <args>` in the project's repository, with the work tree at `root`. */
export function repoGit(root: string, args: string[], call: GitCall = {}): Promise<GitResult> {
  return runGit(gitDirOf(root), args, { cwd: root, ...call });
}

/** What is at <root>/.git: a repository folder, nothing, or something else (a file: a worktree or submodule link). */
export async function gitDirState(root: string): Promise<'dir' | 'missing' | 'other'> {
  try {
    return (await lstat(gitDirOf(root))).isDirectory() ? 'dir' : 'other';
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return 'missing';
    throw err;
  }
}

let gitInstalled: Promise<boolean> | null = null;

/** Whether the git binary runs at all (checked once per process). */
export function gitAvailable(): Promise<boolean> {
  gitInstalled ??= runGit(undefined, ['--version']).then(
    () => true,
    () => false,
  );
  return gitInstalled;
}

export async function initRepo(root: string): Promise<void> {
  // symbolic-ref rather than --initial-branch: the same branch name whatever the git version or the user's init.defaultBranch.
  await runGit(undefined, ['init', '-q', root], { cwd: root });
  await repoGit(root, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  for (const [key, value] of REPO_CONFIG) await repoGit(root, ['config', key, value]);
  await ensureRepoRules(root);
}

/** info/exclude and info/attributes hold MACS's rules (added once, the user's own lines kept). */
export async function ensureRepoRules(root: string): Promise<void> {
  const info = path.join(gitDirOf(root), 'info');
  await mkdir(info, { recursive: true });
  const excludeFile = path.join(info, 'exclude');
  const current = await readFile(excludeFile, 'utf8').catch(() => '');
  const have = new Set(current.split('\n').map((line) => line.trim()));
  const missing = EXCLUDES.filter((line) => !have.has(line));
  if (missing.some((line) => !line.startsWith('#'))) {
    await writeFile(excludeFile, `${current}${current && !current.endsWith('\n') ? '\n' : ''}${missing.join('\n')}\n`);
  }
  const attributesFile = path.join(info, 'attributes');
  const attributes = await readFile(attributesFile, 'utf8').catch(() => '');
  if (!attributes.includes('* -text -filter -ident')) await writeFile(attributesFile, `${attributes}${ATTRIBUTES}`);
}

/** The commit HEAD points at, or null on an unborn branch (no commit yet). */
export async function headCommit(root: string): Promise<string | null> {
  const found = await repoGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okCodes: [1] });
  return found.code === 0 ? firstLine(found) : null;
}

/**
 * Why the repository cannot be trusted with the project's versions, or null when it can:
 * HEAD and the chain of commits readable, and every blob of the newest version present.
 */
export async function repoDamage(root: string): Promise<string | null> {
  // Exit 1: a detached HEAD (the user checked out a commit), which is not damage; 128: unreadable.
  const symbolic = await repoGit(root, ['symbolic-ref', '--quiet', 'HEAD'], { okCodes: [1, 128] });
  if (symbolic.code === 128) return 'HEAD is unreadable';
  const head = await repoGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okCodes: [1, 128] });
  if (head.code === 128) return 'the repository is unreadable';
  if (head.code === 1) {
    if (symbolic.code !== 0) return 'HEAD does not name a commit';
    // Unborn branch: fine when the ref is simply absent, damaged when its file holds garbage
    // or it is packed (git gc) and names a commit that is gone.
    const branch = firstLine(symbolic);
    const raw = await readFile(path.join(gitDirOf(root), branch), 'utf8').catch(() => null);
    const packed = await readFile(path.join(gitDirOf(root), 'packed-refs'), 'utf8').catch(() => '');
    const inPacked = packed.split('\n').some((line) => line.trimEnd().endsWith(` ${branch}`));
    return raw !== null || inPacked ? `${branch} does not name a commit` : null;
  }
  const chain = await repoGit(root, ['rev-list', '--first-parent', 'HEAD'], { okCodes: [128] });
  if (chain.code !== 0) return 'a commit in the history is missing';
  const tree = await repoGit(root, ['ls-tree', '-r', '-z', 'HEAD'], { okCodes: [128] });
  if (tree.code !== 0) return 'the newest version\'s file list is missing';
  const blobs = parseLsTree(tree.stdout).map((entry) => entry.oid);
  if ((await missingObjects(root, blobs)).length > 0) return 'files of the newest version are missing';
  return null;
}

/**
 * The commit HEAD names (null: none yet) and the paths that differ from it in the index or
 * the work tree, ignored files aside: one `git status`. A submodule's own uncommitted edits
 * are left out, as `git add` would not stage them.
 */
export async function workTreeStatus(root: string): Promise<{ head: string | null; paths: string[] }> {
  const out = await repoGit(root, ['status', '--porcelain=v2', '-z', '--branch', '--no-ahead-behind', '--untracked-files=all', '--no-renames', '--ignore-submodules=dirty']);
  let head: string | null = null;
  const paths: string[] = [];
  const records = out.stdout.toString('utf8').split('\0');
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.startsWith('# branch.oid ')) {
      const oid = record.slice('# branch.oid '.length).trim();
      head = oid === '(initial)' ? null : oid;
      continue;
    }
    // "<kind> <fields…> <path>": the path follows a fixed number of fields per kind, and may hold spaces.
    const fields = { '1': 8, '2': 9, u: 10, '?': 1, '!': 1 }[record[0] ?? ''];
    if (fields === undefined || record[1] !== ' ') continue;
    let at = 0;
    for (let n = 0; n < fields; n++) at = record.indexOf(' ', at) + 1;
    paths.push(record.slice(at));
    if (record[0] === '2') paths.push(records[++i] ?? ''); // a rename's old path follows as its own record
  }
  return { head, paths: paths.filter((p) => p !== '') };
}

interface TreeFile {
  path: string;
  mode: string;
  oid: string;
  size: number;
}

/** `ls-tree -r -z [-l]` output: blobs only (a gitlink has no bytes here). */
function parseLsTree(out: Buffer): TreeFile[] {
  const files: TreeFile[] = [];
  for (const record of out.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid, size] = record.slice(0, tab).split(/\s+/);
    if (type !== 'blob') continue;
    files.push({ path: record.slice(tab + 1), mode: mode!, oid: oid!, size: Number(size ?? 0) });
  }
  return files;
}

export async function listTree(root: string, treeish: string): Promise<TreeFile[]> {
  return parseLsTree((await repoGit(root, ['ls-tree', '-r', '-z', '-l', treeish])).stdout);
}

/** Object ids not in the object database (one `cat-file --batch-check` for all). */
export async function missingObjects(root: string, oids: string[]): Promise<string[]> {
  if (oids.length === 0) return [];
  const unique = [...new Set(oids)];
  const out = (await repoGit(root, ['cat-file', '--batch-check'], { input: unique.map((oid) => `${oid}\n`).join('') })).stdout.toString('utf8');
  return out
    .split('\n')
    .filter((line) => line.endsWith(' missing'))
    .map((line) => line.split(' ')[0]!);
}

/** Blob bytes by id (one `cat-file --batch`); a missing one is absent from the map. */
export async function readBlobs(root: string, oids: string[]): Promise<Map<string, Buffer>> {
  const objects = await readObjects(gitDirOf(root), oids, { cwd: root });
  return new Map([...objects].map(([oid, object]) => [oid, object.data]));
}
