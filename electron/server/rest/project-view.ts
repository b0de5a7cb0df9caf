// How projects look on the REST API: snake_case and ISO times, like tasks (task-view.ts).
import type { ContextReceipt, FileChange, Project, ProjectVersion, TaskEvent, VersionFileDiff } from '../../../shared/index.js';

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

/** A turn's context receipt (SSE `receipt`): what was sent to the model, and what was left out for lack of room. */
export function receiptView(r: ContextReceipt) {
  return {
    files: r.files,
    turns: r.turns.map((t) => ({ task_id: t.taskId, tokens: t.tokens })),
    left_out: r.leftOut,
    mapped: r.mapped,
    budget_tokens: r.budgetTokens,
    estimated_tokens: r.estimatedTokens,
    prompt_eval_count: r.promptEvalCount,
  };
}
export type ReceiptView = ReturnType<typeof receiptView>;

/** A version a turn made (SSE `version`), or the user's hand edits kept as one before it wrote. */
export function versionEventView(d: Extract<TaskEvent, { type: 'version' }>['data']) {
  return { version_id: d.versionId, number: d.number, kind: d.kind, files_changed: d.filesChanged };
}
export type VersionEventView = ReturnType<typeof versionEventView>;
