import fs from 'node:fs';
import path from 'node:path';
import type { Project, ProjectModelOptions, ProjectVersion, Task, TaskEventDraft } from '../../../shared/index.js';
import { MacsError, TERMINAL_STATUSES } from '../../../shared/index.js';
import type { Db } from '../db/index.js';
import { clearStaleGitLocks, forgetProjectHistory, listWorkspace, stageTurnWrites, openProjectHistory, openTaskSnapshot, type FolderService, type ProjectHistory, type TaskSnapshot } from '../project-folder/index.js';
import type { TaskStore } from '../tasks/index.js';
import { mainLanguage } from './language.js';
import { ProjectStore, newProjectId } from './project-store.js';
import { buildChecksPassed } from '../pipeline/index.js';

export interface ProjectServiceOptions {
  db: Db;
  dataDir: string;
  tasks: TaskStore;
  folders: FolderService;
  /** A project changed (null: deleted): clients follow it on the `project.updated` topic. */
  publish: (projectId: string, project: Project | null) => void;
}

/** What a running turn needs from its project: the undo snapshot its writes go through, and the version it ends with. */
export interface TurnScope {
  project: Project;
  snapshot: TaskSnapshot;
  beforeWrite: (rel: string) => Promise<void>;
  /** After the turn (whatever its outcome): its changes become a version. */
  finish(): Promise<void>;
}

/**
 * Projects between the queue and the disk: a generated project's folder under
 * `<data dir>/projects/<id>/`, an opened folder's project, their turns in order, their
 * versions, and what deleting or forgetting one does to its files (only what the user said).
 */
export class ProjectService {
  readonly store: ProjectStore;
  /** Git lock files older than this were left by a process killed before this engine started. */
  private readonly startedAt = Date.now();

  constructor(private readonly o: ProjectServiceOptions) {
    this.store = new ProjectStore(o.db);
  }

  /** Where MACS makes a generated project's folder. */
  generatedRoot(projectId: string): string {
    return path.join(this.o.dataDir, 'projects', projectId);
  }

  /** A new, empty generated project; its folder is made now so the tree and terminal have somewhere to look. */
  createGenerated(name: string): Project {
    const id = newProjectId();
    const root = this.generatedRoot(id);
    fs.mkdirSync(root, { recursive: true });
    const project = this.store.create({ id, name, kind: 'generated', root });
    this.changed(project.id);
    return project;
  }

  /** The project of a folder the user opens (checked: a real folder, not a system one). */
  async openFolder(input: string): Promise<Project> {
    const info = await this.o.folders.check(input);
    const project = this.store.forFolder(info.root, info.name);
    this.changed(project.id);
    return project;
  }

  require(projectId: string): Project {
    return this.store.require(projectId);
  }

  /** The project of a folder however it is spelled (a trailing slash, a `..` detour, a symlink to it), or null. */
  idOfFolder(input: string): string | null {
    const direct = this.store.idOfRoot(input);
    if (direct) return direct;
    try {
      return this.store.idOfRoot(fs.realpathSync(input));
    } catch {
      return null; // gone or unreadable: not the root of any project that can run
    }
  }

  /** The project a new turn joins: it must exist and its folder must be there. */
  requireForTurn(projectId: string): Project {
    return this.requirePresent(projectId);
  }

  /** Plain-text search (no pattern syntax); `limit` counts matches, so an old project is found past newer ones. */
  list(query?: string, limit?: number): Project[] {
    const q = query?.trim().toLowerCase();
    if (!q) return this.store.list(limit);
    const found = this.store.list().filter((p) => p.name.toLowerCase().includes(q) || p.root.toLowerCase().includes(q));
    return limit === undefined ? found : found.slice(0, limit);
  }

  turns(projectId: string): Task[] {
    this.store.require(projectId);
    return this.o.tasks.listProjectTasks(projectId);
  }

  update(projectId: string, patch: { name?: string; pinned?: boolean; modelOptions?: ProjectModelOptions }): Project {
    if (patch.name !== undefined) this.store.rename(projectId, patch.name);
    if (patch.pinned !== undefined) this.store.setPinned(projectId, patch.pinned);
    // Read when a turn starts: a change applies from the next turn on (a running one keeps what it began with).
    if (patch.modelOptions !== undefined) this.store.setModelOptions(projectId, patch.modelOptions);
    return this.changed(projectId) ?? this.store.require(projectId);
  }

  setPaused(projectId: string, paused: boolean): Project {
    this.store.setPaused(projectId, paused);
    return this.changed(projectId) ?? this.store.require(projectId);
  }

  /** An opened folder that moved: its project follows it (checked like an open). Generated projects stay where MACS made them. */
  async locate(projectId: string, input: string): Promise<Project> {
    const project = this.store.require(projectId);
    if (project.kind !== 'folder') throw new MacsError('NOT_SUPPORTED', `${project.name} is a project MACS made; its folder cannot move.`, { projectId });
    const info = await this.o.folders.check(input);
    const other = this.store.idOfRoot(info.root);
    if (other && other !== projectId) throw new MacsError('INVALID_INPUT', `${info.root} is already the folder of another project.`, { projectId, root: info.root });
    this.requireIdle(project, 'move its folder');
    this.o.db.prepare('UPDATE projects SET root = ? WHERE id = ?').run(info.root, projectId);
    this.o.db.prepare('UPDATE tasks SET workspace_path = ? WHERE project_id = ?').run(info.root, projectId);
    await this.o.folders.release(project.root);
    return this.changed(projectId) ?? this.store.require(projectId);
  }

  /**
   * Delete a project and its conversation. A generated project's files go only when asked;
   * an opened folder is never deleted (the project is forgotten, the folder stays as it is).
   */
  async delete(projectId: string, deleteFiles: boolean): Promise<{ deleted: boolean; filesDeleted: boolean }> {
    const project = this.store.require(projectId);
    if (deleteFiles && project.kind === 'folder') {
      throw new MacsError('NOT_SUPPORTED', `${project.root} is your folder: MACS never deletes it. Forget the project instead (the folder stays).`, { projectId });
    }
    // The check and the removal with no await between: a turn queued meanwhile is either seen (PROJECT_BUSY) or refused (PROJECT_NOT_FOUND).
    this.requireIdle(project, 'delete it');
    this.store.remove(projectId);
    await this.o.folders.release(project.root);
    await forgetProjectHistory(this.o.dataDir, projectId); // its version copies and state go with it
    let filesDeleted = false;
    if (deleteFiles && project.kind === 'generated' && this.isInsideDataDir(project.root)) {
      fs.rmSync(project.root, { recursive: true, force: true });
      filesDeleted = true;
    }
    this.o.publish(projectId, null);
    return { deleted: true, filesDeleted };
  }

  /** The project's history: git commits (generated) or the turns' snapshots (opened folders). */
  async history(project: Project): Promise<ProjectHistory> {
    // A kill -9 mid-commit leaves .git/index.lock: without this, every later turn of the project failed on it.
    if (project.kind === 'generated') await clearStaleGitLocks(project.root, this.startedAt);
    return openProjectHistory({ root: project.root, kind: project.kind, dataDir: this.o.dataDir, projectId: project.id, turns: this.o.tasks.listProjectTasks(project.id) });
  }

  async versions(projectId: string) {
    const project = this.requirePresent(projectId);
    const history = await this.history(project);
    return { versions: await history.list(), backend: history.backend, notice: history.notice };
  }

  async versionDiff(projectId: string, versionId: string) {
    return { files: await (await this.history(this.requirePresent(projectId))).diff(versionId) };
  }

  /** Restore (or undo the last turn) as a new version; refused while a turn runs or waits (it would race its writes). */
  async restore(projectId: string, versionId: string | 'undo-last-turn'): Promise<ProjectVersion> {
    const project = this.requirePresent(projectId);
    this.requireIdle(project, versionId === 'undo-last-turn' ? 'undo its last turn' : 'restore a version');
    const history = await this.history(project);
    const version = versionId === 'undo-last-turn' ? await history.undoLastTurn() : await history.restore(versionId);
    this.store.touch(projectId);
    this.changed(projectId);
    return version;
  }

  /**
   * A turn starts writing: hand edits since the last version are kept as their own version
   * (so a restore never loses them), then every file's state before the turn writes it is
   * snapshotted (changes, revert, undo of the turn).
   */
  async beginTurn(task: Task, emit: (d: TaskEventDraft) => void): Promise<TurnScope | null> {
    if (!task.projectId) return null;
    const project = this.requirePresent(task.projectId);
    fs.mkdirSync(project.root, { recursive: true });
    // Side by side: opening the undo snapshot only reads, and the hand-edit version only writes inside .git.
    const [handEdits, snapshot] = await Promise.all([
      this.history(project).then((history) => history.commitHandEdits().then((version) => ({ history, version }))),
      openTaskSnapshot({ root: project.root, taskId: task.id, dataDir: this.o.dataDir }),
    ]);
    const { history, version: handEdit } = handEdits;
    if (handEdit) emit({ type: 'version', data: { versionId: handEdit.id, number: handEdit.number, kind: handEdit.kind, filesChanged: handEdit.filesChanged } });
    this.changed(project.id);
    const written = new Set<string>();
    return {
      project,
      snapshot,
      beforeWrite: (rel) => {
        written.add(rel);
        return snapshot.recordBeforeWrite(rel);
      },
      finish: async () => {
        const after = this.o.tasks.getTask(task.id) ?? task;
        // What the turn wrote is in its version even if a .gitignore (maybe its own) ignores it.
        if (history.backend === 'git') await stageTurnWrites(project.root, written).catch(() => undefined);
        // A build whose tests (and web check scenarios) passed makes a "working" version (a MACS-Working trailer).
        const working = buildChecksPassed(this.o.db, task.id);
        const version = await history.commitTurn({ taskId: task.id, prompt: task.prompt, model: task.model, outcome: after.status, working });
        if (version) emit({ type: 'version', data: { versionId: version.id, number: version.number, kind: version.kind, filesChanged: version.filesChanged } });
        await this.refreshLanguage(project);
        this.store.touch(project.id);
        this.changed(project.id);
      },
    };
  }

  /** A task row changed: its project's badge, turn count and activity follow. */
  taskChanged(task: Task): void {
    if (!task.projectId) return;
    this.store.touch(task.projectId, task.finishedAt ?? task.startedAt ?? task.createdAt);
    this.changed(task.projectId);
  }

  private async refreshLanguage(project: Project): Promise<void> {
    const listing = await listWorkspace(project.root, { showIgnored: false, maxEntries: 5000 }).catch(() => null);
    if (listing) this.store.setLanguage(project.id, mainLanguage(listing.entries.filter((e) => e.kind === 'file').map((e) => e.path)));
  }

  private requirePresent(projectId: string): Project {
    const project = this.store.require(projectId);
    if (project.folderMissing) {
      // A generated project's folder cannot be located elsewhere (locate is for opened folders).
      const next = project.kind === 'folder' ? 'Locate it, or forget the project.' : 'Put it back, or delete the project.';
      throw new MacsError('FOLDER_MISSING', `The folder of ${project.name} (${project.root}) is gone or cannot be read. ${next}`, { projectId, root: project.root });
    }
    return project;
  }

  private requireIdle(project: Project, what: string): void {
    const busy = this.store.unfinishedTurns(project.id);
    if (busy.length > 0) {
      const running = busy.map((id) => this.o.tasks.getTask(id)).filter((t) => t && !TERMINAL_STATUSES.includes(t.status));
      throw new MacsError(
        'PROJECT_BUSY',
        `${project.name} has ${running.length === 1 ? 'a turn' : `${running.length} turns`} running or waiting; cancel ${running.length === 1 ? 'it' : 'them'} or wait until ${running.length === 1 ? 'it ends' : 'they end'} to ${what}.`,
        { projectId: project.id, taskIds: busy },
      );
    }
  }

  private isInsideDataDir(root: string): boolean {
    const rel = path.relative(path.join(this.o.dataDir, 'projects'), root);
    const legacy = path.relative(path.join(this.o.dataDir, 'workspaces'), root);
    return (!!rel && !rel.startsWith('..') && !path.isAbsolute(rel)) || (!!legacy && !legacy.startsWith('..') && !path.isAbsolute(legacy));
  }

  /** Publishes the project as it is now and returns it (null: it is gone). */
  private changed(projectId: string): Project | null {
    const project = this.store.get(projectId);
    this.o.publish(projectId, project);
    return project;
  }
}
