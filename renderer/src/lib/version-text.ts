// Sentences about versions that ask before acting (restore, undo the last turn) and tell what
// a restore did to the conversation ("Turns 3–4 were undone by restoring version 2"). Pure:
// the Versions tab and the chat render them, the unit tests pin them.
import type { ProjectVersion } from '../../../shared/index.js';

const newest = (rows: readonly ProjectVersion[]) => rows.reduce((n, v) => Math.max(n, v.number), 0);

/** "version 3", or what version 0 means (the files before the first version). */
const versionName = (n: number) => (n === 0 ? 'how they were before version 1' : `version ${n}`);

/** What Undo last turn would undo, the same way the engine picks it: the newest turn's version that is not undone. */
export function undoTurnVersion(rows: readonly ProjectVersion[]): ProjectVersion | null {
  return [...rows].sort((a, b) => b.number - a.number).find((v) => v.kind === 'turn' && !v.undone) ?? null;
}

/** "Bring the files back to version 2 as a new version 5? Nothing is lost: you can restore version 4 again." */
export function restoreQuestion(rows: readonly ProjectVersion[], target: ProjectVersion): string {
  const current = rows.find((v) => v.current);
  const keep = current ? ` Nothing is lost: you can restore version ${current.number} again.` : ' Nothing is lost: every version stays in the list.';
  return `Bring the files back to version ${target.number} as a new version ${newest(rows) + 1}?${keep}`;
}

/** "Undo the last turn (version 4)? The files go back to version 3 as a new version 5. Nothing is lost: …"; null when there is no turn to undo. */
export function undoTurnQuestion(rows: readonly ProjectVersion[]): string | null {
  const turn = undoTurnVersion(rows);
  if (!turn) return null;
  const current = rows.find((v) => v.current) ?? turn;
  return `Undo the last turn (version ${turn.number})? The files go back to ${versionName(turn.number - 1)} as a new version ${newest(rows) + 1}. Nothing is lost: you can restore version ${current.number} again.`;
}

/** "3", "3–4", "2, 4–5": consecutive turn numbers as ranges. */
function ranges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/**
 * Under the conversation after a restore: "Turns 3–4 were undone by restoring version 2."
 * `turnNumbers` maps a turn's task id to its number in the conversation. The version restored
 * is read from the newest restore's message ("Restore version 2"); null when no turn is undone.
 * The chat puts it after the last turn sent before the restore: at the bottom until a new turn.
 */
export function undoneNotice(rows: readonly ProjectVersion[] | null, turnNumbers: ReadonlyMap<string, number>): { text: string; at: number } | null {
  if (!rows) return null;
  const undone = rows.flatMap((v) => (v.undone && v.taskId && turnNumbers.has(v.taskId) ? [turnNumbers.get(v.taskId)!] : []));
  if (undone.length === 0) return null;
  const restore = [...rows].sort((a, b) => b.number - a.number).find((v) => v.kind === 'restore');
  const target = restore ? /^Restore version (\d+)$/.exec(restore.message)?.[1] : undefined;
  const by = target ? ` by restoring version ${target}` : restore ? ' by a restore' : '';
  const many = undone.length > 1;
  // `at`: when the restore happened, so the chat shows the notice where it falls among the turns.
  const at = restore?.createdAt ?? Math.max(...rows.map((v) => v.createdAt));
  return { text: `Turn${many ? 's' : ''} ${ranges(undone)} ${many ? 'were' : 'was'} undone${by}.`, at };
}
