// How projects look on the REST API: snake_case and ISO times, like tasks (task-view.ts).
import type { FileChange, Project, ProjectVersion, VersionFileDiff } from '../../../shared/index.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function projectView(p: Project) {
  return {
    project_id: p.id,
    name: p.name,
    /** generated: a folder MACS made (a git repository, one commit per turn); folder: one the user opened. */
    kind: p.kind,
    root: p.root,
    language: p.language,
    state: p.state,
    pinned: p.pinned,
    paused: p.paused,
    turn_count: p.turnCount,
    last_task_id: p.lastTaskId,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
    folder_missing: p.folderMissing,
  };
}
export type ProjectView = ReturnType<typeof projectView>;

export function versionView(v: ProjectVersion) {
  return {
    version_id: v.id,
    number: v.number,
    kind: v.kind,
    task_id: v.taskId,
    message: v.message,
    created_at: iso(v.createdAt),
    files_changed: v.filesChanged,
    undone: v.undone,
    current: v.current,
  };
}
export type VersionView = ReturnType<typeof versionView>;

export function versionFileView(f: VersionFileDiff, diff: string | null) {
  return { path: f.path, status: f.status, binary: f.binary, before: f.before, after: f.after, diff };
}

export function changeView(c: FileChange, diff: string | null) {
  return {
    path: c.path,
    status: c.status,
    accepted: c.accepted,
    before: c.before,
    after: c.after,
    /** Unified diff text (null: binary, unchanged, or too large to show). */
    diff,
  };
}
