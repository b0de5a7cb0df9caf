// A generated project's versions as commits on its branch, one per turn, each turn's
// hand edits before it as their own commit, a restore as a new commit whose tree is the
// old version's: history is only ever added to, never rewritten or reset.
//
// Commits are made with plumbing (add -A, write-tree, commit-tree, update-ref with the
// old value checked), so no hook, signing or user identity is involved. The index is
// the repository's own: the repository is MACS's, and keeping its index in step keeps
// `git status` clean for the user's tools (and lets git skip re-reading unchanged files).
//
// Every turn starts by committing hand edits, and usually there are none: one `git status`
// says so. A version's diff, number and commit object are made side by side, so a turn's
// version costs four git processes in a row, not seven.
import { MacsError } from '../../../../shared/errors.js';
import type { ProjectVersion, VersionFileDiff } from '../../../../shared/project.js';
import { firstLine } from '../snapshots/git.js';
import { headCommit, listTree, missingObjects, readBlobs, repoGit, workTreeStatus, ZERO_OID } from './git-repo.js';
import { fileDiff } from './file-diff.js';
import { rememberSound } from './repo-health.js';
import type { HistoryBackend, ProjectHistory, TurnInfo, VersionFile } from './types.js';
import {
  handEditMessage,
  initialMessage,
  numberVersions,
  parseMessage,
  restoreMessage,
  turnMessage,
  undoTarget,
  type RawVersion,
} from './version-list.js';

export class GitProjectHistory implements ProjectHistory {
  readonly backend: HistoryBackend = 'git';
  readonly notice = null;

  constructor(
    private readonly root: string,
    private readonly projectId: string,
  ) {}

  /** A repository just made for a folder that already has files: they become version 1. */
  async commitInitial(): Promise<ProjectVersion | null> {
    return this.commitWorkTree(initialMessage(this.projectId, 'The files when the project\'s history began'), 'changed');
  }

  commitHandEdits(): Promise<ProjectVersion | null> {
    return this.commitWorkTree(handEditMessage(this.projectId), 'unchanged');
  }

  commitTurn(turn: TurnInfo): Promise<ProjectVersion | null> {
    return this.commitWorkTree(turnMessage(turn, this.projectId), 'changed');
  }

  async list(): Promise<ProjectVersion[]> {
    return numberVersions(await this.readLog(true));
  }

  async diff(versionId: string): Promise<VersionFileDiff[]> {
    const version = await this.find(versionId);
    // First parent only, as listed; the root commit is compared with the empty tree.
    const out = (await repoGit(this.root, ['diff-tree', '-r', '-z', '--no-renames', '--root', '--no-commit-id', version.id])).stdout.toString('utf8');
    const fields = out.split('\0');
    const changes: Array<{ path: string; status: VersionFileDiff['status']; before: string | null; after: string | null }> = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      // ":<old mode> <new mode> <old oid> <new oid> <status>" then the path.
      const [, , oldOid, newOid, letter] = fields[i]!.slice(1).split(' ');
      const status = letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : 'modified';
      changes.push({ path: fields[i + 1]!, status, before: status === 'added' ? null : oldOid!, after: status === 'deleted' ? null : newOid! });
    }
    const blobs = await readBlobs(this.root, changes.flatMap((c) => [c.before, c.after].filter((oid): oid is string => oid !== null)));
    const bytes = (oid: string | null) => (oid ? (blobs.get(oid) ?? null) : null);
    return changes.map((change) => fileDiff(change.path, change.status, bytes(change.before), bytes(change.after)));
  }

  async restore(versionId: string): Promise<ProjectVersion> {
    const target = await this.find(versionId);
    return this.restoreTo(target.id, target.number);
  }

  async undoLastTurn(): Promise<ProjectVersion> {
    await this.commitHandEdits();
    const versions = await this.list();
    const found = undoTarget(versions);
    if (!found) throw new MacsError('VERSION_NOT_FOUND', 'There is no turn to undo: no version was made by a turn that is not already undone.');
    const target = versions[found.targetNumber - 1];
    return this.restoreTo(target?.id ?? '', found.targetNumber);
  }

  async filesAt(versionId?: string): Promise<VersionFile[]> {
    const commit = versionId === undefined ? await headCommit(this.root) : (await this.find(versionId)).id;
    if (!commit) return [];
    const files = await listTree(this.root, commit);
    return files.map((file) => ({
      path: file.path,
      size: file.size,
      mode: file.mode === '100755' ? 0o755 : 0o644,
      read: async () => {
        const data = (await readBlobs(this.root, [file.oid])).get(file.oid);
        if (!data) throw new MacsError('VERSION_NOT_FOUND', `"${file.path}" of this version is missing from the project's repository.`, { path: file.path });
        return data;
      },
    }));
  }

  /**
   * Bring back the tree of `commit` ('' = no files) as a new commit. Hand edits are
   * committed first; every blob is checked before a file is touched; then one
   * `read-tree --reset -u` updates the index and the work tree together (files the
   * target lacks are removed, ignored files are left alone).
   */
  private async restoreTo(commit: string, targetNumber: number): Promise<ProjectVersion> {
    await this.commitHandEdits();
    const head = await headCommit(this.root);
    if (head !== null && head === commit) return this.newest(head, (await repoGit(this.root, ['log', '-1', '--format=%B', head])).stdout.toString('utf8'));
    const treeish = commit ? `${commit}^{tree}` : await this.emptyTree();
    if (commit) {
      const files = await listTree(this.root, commit).catch(() => {
        throw notFound(targetNumber, 'its file list');
      });
      const missing = await missingObjects(this.root, files.map((file) => file.oid));
      if (missing.length > 0) throw notFound(targetNumber, `${missing.length} of its files`);
    }
    await repoGit(this.root, ['read-tree', '--reset', '-u', treeish]);
    return (await this.commitIndex(restoreMessage(targetNumber, commit, this.projectId), head, true))!;
  }

  private async emptyTree(): Promise<string> {
    return firstLine(await repoGit(this.root, ['mktree'], { input: '' }));
  }

  /**
   * Stage everything git does not ignore and commit it when it differs from HEAD. `likely`
   * says whether changes are expected: a turn's usually are (everything is staged at once,
   * HEAD read meanwhile); hand edits usually are not (one `git status` answers, and only
   * the paths it names are staged).
   */
  private async commitWorkTree(message: string, likely: 'changed' | 'unchanged'): Promise<ProjectVersion | null> {
    let head: string | null;
    if (likely === 'changed') {
      [, head] = await Promise.all([repoGit(this.root, ['add', '--all', '--', '.']), headCommit(this.root)]);
    } else {
      const status = await workTreeStatus(this.root);
      if (status.paths.length === 0) return null;
      head = status.head;
      // If a path went away since status named it, the whole folder is staged instead.
      const input = status.paths.map((p) => `${p}\0`).join('');
      await repoGit(this.root, ['--literal-pathspecs', 'add', '--all', '--pathspec-from-file=-', '--pathspec-file-nul'], { input }).catch(() =>
        repoGit(this.root, ['add', '--all', '--', '.']),
      );
    }
    if (head === null) return this.commitIndex(message, null, false); // the first version: rare, the plain way
    const tree = firstLine(await repoGit(this.root, ['write-tree']));
    const [changed, count, made] = await Promise.all([
      repoGit(this.root, ['diff-tree', '-r', '-z', '--no-renames', '--name-only', head, tree]),
      repoGit(this.root, ['rev-list', '--first-parent', '--count', head]),
      repoGit(this.root, ['commit-tree', '--no-gpg-sign', tree, '-p', head, '-F', '-'], { input: message }),
    ]);
    const filesChanged = changed.stdout.toString('utf8').split('\0').filter((name) => name !== '').length;
    // What status saw made no difference to the tree (a file written back as it was): no version, the commit object stays unreferenced.
    if (filesChanged === 0) return null;
    const commit = firstLine(made);
    await this.moveHead(commit, head, message);
    const { kind, taskId, message: text, working } = parseMessage(message);
    return { id: commit, number: Number(firstLine(count)) + 1, kind, taskId, message: text, createdAt: Date.now(), filesChanged, undone: false, current: true, ...(working ? { working } : {}) };
  }

  /** Compare-and-swap on the branch HEAD names: a commit made meanwhile by someone else is never overwritten. */
  private async moveHead(commit: string, head: string | null, message: string): Promise<void> {
    await repoGit(this.root, ['update-ref', '-m', `macs: ${message.split('\n', 1)[0]}`, 'HEAD', commit, head ?? ZERO_OID]);
    // The repository is as sound as MACS just left it: the next open need not check it all again.
    await rememberSound(this.root);
  }

  private async commitIndex(message: string, head: string | null, evenIfSame: boolean): Promise<ProjectVersion | null> {
    const tree = firstLine(await repoGit(this.root, ['write-tree']));
    const headTree = head ? firstLine(await repoGit(this.root, ['rev-parse', `${head}^{tree}`])) : await this.emptyTree();
    if (tree === headTree && !evenIfSame) return null;
    const commit = firstLine(await repoGit(this.root, ['commit-tree', '--no-gpg-sign', tree, ...(head ? ['-p', head] : []), '-F', '-'], { input: message }));
    await this.moveHead(commit, head, message);
    return this.newest(commit, message);
  }

  /** The version just committed, without reading the whole log: it is current and, being newest, not undone. */
  private async newest(commit: string, message: string): Promise<ProjectVersion> {
    const [count, changed] = await Promise.all([
      repoGit(this.root, ['rev-list', '--first-parent', '--count', commit]),
      repoGit(this.root, ['diff-tree', '-r', '-z', '--root', '--no-commit-id', '--no-renames', '--name-only', commit]),
    ]);
    const filesChanged = changed.stdout.toString('utf8').split('\0').filter((name) => name !== '').length;
    const { kind, taskId, message: text } = parseMessage(message);
    return { id: commit, number: Number(firstLine(count)), kind, taskId, message: text, createdAt: Date.now(), filesChanged, undone: false, current: true };
  }

  /** A version by id, numbered (filesChanged and undone are not read: callers need the commit and its number). */
  private async find(versionId: string): Promise<ProjectVersion> {
    const version = numberVersions(await this.readLog(false)).find((v) => v.id === versionId);
    if (!version) throw new MacsError('VERSION_NOT_FOUND', `The project has no version ${versionId}.`, { versionId });
    return version;
  }

  /**
   * The branch's first-parent chain, oldest first, with (withFiles) the number of files each
   * commit changed. Ids, times and counts come from output that holds no user text; messages
   * (which may hold any byte but NUL, e.g. from the user's own commits) come NUL-delimited.
   */
  private async readLog(withFiles = true): Promise<RawVersion[]> {
    if (!(await headCommit(this.root))) return [];
    const chain = ['--first-parent', '--reverse', '--no-renames'];
    const [heads, bodies] = await Promise.all([
      repoGit(this.root, ['log', ...chain, '--format=%x01%H %ct', ...(withFiles ? ['--shortstat'] : []), 'HEAD']),
      repoGit(this.root, ['log', ...chain, '-z', '--format=%H%x00%B', 'HEAD']),
    ]);
    const messages = new Map<string, string>();
    const parts = bodies.stdout.toString('utf8').split('\0');
    for (let k = 0; k + 1 < parts.length; k += 2) messages.set(parts[k]!.replace(/^\n+/, ''), parts[k + 1]!);
    return heads.stdout
      .toString('utf8')
      .split('\x01')
      .filter((record) => record.trim().length > 0)
      .map((record) => {
        const [head = '', ...stat] = record.split('\n');
        const [id = '', time = '0'] = head.split(' ');
        const filesChanged = Number(/(\d+) files? changed/.exec(stat.join('\n'))?.[1] ?? 0);
        return { id, createdAt: Number(time) * 1000, filesChanged, ...parseMessage(messages.get(id) ?? '') };
      });
  }
}

function notFound(targetNumber: number, what: string): MacsError {
  return new MacsError('VERSION_NOT_FOUND', `Version ${targetNumber} cannot be restored: ${what} are missing from the project's repository; no file was changed.`, {
    number: targetNumber,
  });
}
