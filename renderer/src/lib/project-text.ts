// Words and orderings for projects: the sidebar's filter and order, state labels, the
// context receipt's one line. Pure, so the sidebar and the chat stay cheap to render.
import type { ContextReceipt, Project, ProjectState, ProjectVersion } from '../../../shared/index.js';
import { formatTokens } from './context-text.js';

export const STATE_LABEL: Record<ProjectState, string> = {
  NEW: 'New',
  PLANNING: 'Planning',
  CODING: 'Coding',
  TESTING: 'Testing',
  DEBUGGING: 'Debugging',
  READY: 'Ready',
  FAILED: 'Failed',
};

/** States in which a turn is at work (the badge pulses). */
export const BUSY_STATES: ReadonlySet<ProjectState> = new Set(['PLANNING', 'CODING', 'TESTING', 'DEBUGGING']);

/** Pinned first, then the most recent activity (the engine's order, kept for live updates). */
export function sortProjects(list: Project[]): Project[] {
  return list.sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

/**
 * The sidebar's search: every word must match the name, the language or, for an opened
 * folder, its path (case-insensitive). A generated project's path is MACS's own (an id
 * under the data dir): matching it would only find noise.
 */
export function filterProjects(list: readonly Project[], query: string): readonly Project[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return list;
  return list.filter((p) => {
    const hay = `${p.name}\n${p.kind === 'folder' ? p.root : ''}\n${p.language ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "Sent 12 files, 3 earlier turns · 5,120 tokens (model counted 5,301) · left out: 4 files". */
export function receiptLine(r: ContextReceipt): string {
  const sent = [plural(r.files.length, 'file'), ...(r.turns.length > 0 ? [plural(r.turns.length, 'earlier turn')] : [])].join(', ');
  let line = `Sent ${sent} · ${r.estimatedTokens.toLocaleString('en-US')} tokens`;
  if (r.promptEvalCount !== null) line += ` (model counted ${r.promptEvalCount.toLocaleString('en-US')})`;
  const files = r.leftOut.filter((l) => l.kind === 'file').length;
  const turns = r.leftOut.length - files;
  const out = [...(files > 0 ? [plural(files, 'file')] : []), ...(turns > 0 ? [plural(turns, 'turn')] : [])];
  if (out.length > 0) line += ` · left out: ${out.join(', ')}`;
  if (r.mapped > 0) line += ` · ${plural(r.mapped, 'file')} named in the map`;
  return line;
}

export function receiptBudget(r: ContextReceipt): string {
  return `of ${formatTokens(r.budgetTokens)} budget`;
}

/** Turns made undone by a restore: the tasks of versions marked undone. */
export function undoneTurns(versions: readonly ProjectVersion[] | null): ReadonlySet<string> {
  const out = new Set<string>();
  for (const v of versions ?? []) if (v.undone && v.taskId) out.add(v.taskId);
  return out;
}

export const VERSION_KIND_LABEL: Record<ProjectVersion['kind'], string> = {
  turn: 'turn',
  'hand-edit': 'hand edits',
  restore: 'restore',
  initial: 'initial',
};

/** Continue the selected project, or start a new one: never "a new task" while a project is selected. */
export function composerPlaceholder(projectName: string | null, build: boolean): string {
  if (projectName !== null) {
    // A long name (the first prompt, say) would fill a narrow composer: its start is enough.
    // (cut without a mark of its own: the placeholder's "…" follows it)
    // (≤ ~76 characters in all: two lines of the narrowest composer, panes.css)
    const name = !projectName ? 'this project' : projectName.length > 24 ? projectName.slice(0, 22).trimEnd() : projectName;
    return build ? `Ask for a change in ${name}… (planned, written, tested, fixed)` : `Ask for a change in ${name}…`;
  }
  return build ? 'Describe a new project to build: planned, written, tested, fixed' : 'Describe a new project, e.g. “a Python CLI that converts CSV to JSON”';
}
