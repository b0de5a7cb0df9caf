// How `macs project` prints projects for people (--json prints the API's JSON instead).
import type { ProjectView, ReceiptView, VersionEventView, VersionView } from '../server/rest/project-view.js';
import type { TaskSummary } from '../server/rest/task-view.js';
import { fields, humanAge, humanBytes, humanDuration, localTime, table, truncate } from './format.js';

/** GET /v1/projects/{id} as the API answers it. */
export interface ApiProjectDetail {
  project: ProjectView;
  turns: TaskSummary[];
  versions: VersionView[];
  versions_backend: string;
  versions_notice: string | null;
  files: { path: string; size: number }[] | null;
  files_truncated: boolean;
}

/** Files listed by `macs project show` before "… and N more". */
const FILES_SHOWN = 40;

function marks(p: ProjectView): string {
  const m = [p.pinned ? 'pinned' : '', p.paused ? 'paused' : '', p.folder_missing ? 'folder missing' : ''].filter(Boolean);
  return m.length ? `  (${m.join(', ')})` : '';
}

export function projectListLines(projects: ProjectView[]): string[] {
  const now = Date.now();
  return table(
    ['ID', 'STATE', 'KIND', 'TURNS', 'LANGUAGE', 'ACTIVE', 'NAME'],
    projects.map((p) => [p.project_id, p.state, p.kind, String(p.turn_count), p.language ?? '—', humanAge(p.updated_at, now), `${truncate(p.name, 48)}${marks(p)}`]),
  );
}

function projectLines(p: ProjectView): string[] {
  return fields([
    ['project', p.project_id],
    ['name', `${p.name}${marks(p)}`],
    ['state', p.state],
    ['kind', p.kind === 'folder' ? 'folder (opened; MACS never deletes it)' : 'generated (a git repository, one commit per turn)'],
    ['folder', p.root],
    ['language', p.language ?? '—'],
    ['turns', String(p.turn_count)],
    ['created', localTime(p.created_at)],
    ['active', `${localTime(p.updated_at)}  (${humanAge(p.updated_at)})`],
  ]);
}

function versionLines(versions: VersionView[]): string[] {
  if (versions.length === 0) return ['(no versions yet)'];
  return table(
    ['V', '', 'KIND', 'FILES', 'WHEN', 'MESSAGE'],
    versions.map((v) => [`v${v.number}`, v.current ? 'current' : v.undone ? 'undone' : '', v.kind, String(v.files_changed), localTime(v.created_at), truncate(v.message, 60)]),
  );
}

function turnLines(turns: TaskSummary[]): string[] {
  if (turns.length === 0) return ['(no turns yet)'];
  return table(
    ['TURN', 'TASK', 'STATUS', 'KIND', 'TIME', 'PROMPT'],
    turns.map((t, i) => [String(i + 1), t.task_id, t.status, t.kind, humanDuration(t.durations_ms.total), truncate(t.title, 56)]),
  );
}

export function projectDetailLines(d: ApiProjectDetail): string[] {
  const lines = [...projectLines(d.project), '', '── turns ──', ...turnLines(d.turns), '', `── versions (${d.versions_backend}) ──`, ...versionLines(d.versions)];
  if (d.versions_notice) lines.push(`note: ${d.versions_notice}`);
  lines.push('');
  if (d.files === null) {
    lines.push('── files ──', '(the folder is missing: locate it in the app, or forget the project)');
    return lines;
  }
  lines.push(`── files (${d.files.length}${d.files_truncated ? '+' : ''}) ──`);
  if (d.files.length === 0) lines.push('(no files yet)');
  else lines.push(...table(['PATH', 'SIZE'], d.files.slice(0, FILES_SHOWN).map((f) => [f.path, humanBytes(f.size)])));
  if (d.files.length > FILES_SHOWN) lines.push(`… and ${d.files.length - FILES_SHOWN} more (--json lists them all)`);
  return lines;
}

/** While a turn runs: what its prompt held (and, once the model answered, the model's own count). */
export function receiptLine(r: ReceiptView): string {
  if (r.prompt_eval_count !== null) return `context: the model counted ${r.prompt_eval_count} prompt tokens (estimated ${r.estimated_tokens})`;
  const parts = [`${r.files.length} file(s)`, `${r.turns.length} earlier turn(s)`];
  if (r.mapped > 0) parts.push(`${r.mapped} more by path only`);
  const left = r.left_out.length > 0 ? `; left out for room: ${r.left_out.length} (${truncate(r.left_out.map((l) => l.ref).join(', '), 60)})` : '';
  return `context: ${parts.join(', ')} · ~${r.estimated_tokens} of ${r.budget_tokens} tokens${left}`;
}

export function versionEventLine(v: VersionEventView): string {
  return v.kind === 'hand-edit' ? `✓ version v${v.number}: your edits since the last turn (${v.files_changed} file(s))` : `✓ version v${v.number} (${v.files_changed} file(s) changed)`;
}
