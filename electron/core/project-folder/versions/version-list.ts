// The parts of a project's history that do not depend on where it is kept: the commit
// message of each kind of version (with MACS-* trailers the user's `git log` shows),
// reading them back, and numbering, `undone` and `current` over the versions in order.
// Pure: no I/O, so the rules are unit-tested on their own.
import type { ProjectVersion, VersionKind } from '../../../../shared/project.js';

/** git's limit for a readable subject line (`git log --oneline`, GitHub). */
export const SUBJECT_MAX = 72;
export const HAND_EDIT_MESSAGE = 'Edits made by hand';

/** One version before numbering: what the backend read from git or from its copies. */
export interface RawVersion {
  id: string;
  kind: VersionKind;
  taskId: string | null;
  message: string;
  createdAt: number;
  filesChanged: number;
  /** A restore: the id of the version it brought back ('' = the files before version 1). */
  restoreOf: string | null;
  /** The turn's build checks passed (MACS-Working trailer). */
  working?: boolean;
}

export interface TurnInfo {
  taskId: string;
  prompt: string;
  model: string;
  outcome?: string;
  /** The build's tests (and web check scenarios) passed: the version is marked working. */
  working?: boolean;
}

// Control characters other than tab and newline would break `git log` parsing (and terminals).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

function oneLine(value: string): string {
  return value.replace(CONTROL, ' ').replace(/[\r\n\t]+/g, ' ').trim();
}

/** The prompt's first line, cut at a word boundary to SUBJECT_MAX characters (with "…"). */
export function subjectOf(text: string): string {
  const first = oneLine(text.split('\n').find((line) => line.trim() !== '') ?? '') || 'Turn';
  if (first.length <= SUBJECT_MAX) return first;
  const cut = first.slice(0, SUBJECT_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > SUBJECT_MAX / 2 ? cut.slice(0, space) : cut}…`;
}

function trailers(entries: Array<[string, string | null | undefined]>): string {
  return entries
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && oneLine(entry[1]) !== '')
    .map(([key, value]) => `MACS-${key}: ${oneLine(value)}`)
    .join('\n');
}

/** A turn's commit message: the prompt's first line, the whole prompt when it is longer, then the trailers. */
export function turnMessage(turn: TurnInfo, projectId: string): string {
  const prompt = turn.prompt.replace(CONTROL, ' ').replace(/\r\n?/g, '\n').trim();
  const subject = subjectOf(prompt);
  const body = prompt === subject ? '' : `${prompt}\n\n`;
  const tail = trailers([
    ['Kind', 'turn'],
    ['Turn', turn.taskId],
    ['Project', projectId],
    ['Model', turn.model],
    ['Outcome', turn.outcome],
    ['Working', turn.working ? 'yes' : undefined],
  ]);
  return `${subject}\n\n${body}${tail}\n`;
}

export function handEditMessage(projectId: string): string {
  return `${HAND_EDIT_MESSAGE}\n\n${trailers([['Kind', 'hand-edit'], ['Project', projectId]])}\n`;
}

export function initialMessage(projectId: string, subject: string): string {
  return `${subject}\n\n${trailers([['Kind', 'initial'], ['Project', projectId]])}\n`;
}

/** targetNumber 0: the files before version 1 (an undo of the first turn). */
export function restoreLabel(targetNumber: number): string {
  return targetNumber === 0 ? 'Restore the files before version 1' : `Restore version ${targetNumber}`;
}

export function restoreMessage(targetNumber: number, targetId: string, projectId: string): string {
  return `${restoreLabel(targetNumber)}\n\n${trailers([['Kind', 'restore'], ['Restore-Of', targetId || 'none'], ['Project', projectId]])}\n`;
}

/** A commit message read back: kind, turn and restore target from the trailers; the prompt or subject as the message. */
export function parseMessage(raw: string): Pick<RawVersion, 'kind' | 'taskId' | 'message' | 'restoreOf' | 'working'> {
  const paragraphs = raw.replace(/\r\n?/g, '\n').trim().split(/\n{2,}/);
  const last = paragraphs[paragraphs.length - 1] ?? '';
  const found = new Map<string, string>();
  const lines = last.split('\n');
  const isTrailerBlock = paragraphs.length > 1 && lines.every((line) => /^MACS-[A-Za-z-]+: /.test(line));
  if (isTrailerBlock) {
    for (const line of lines) {
      const colon = line.indexOf(': ');
      found.set(line.slice(5, colon), line.slice(colon + 2).trim());
    }
    paragraphs.pop();
  }
  const subject = paragraphs[0] ?? '';
  const body = paragraphs.slice(1).join('\n\n');
  const kindText = found.get('Kind');
  // A commit without MACS trailers was made with the user's own git tools: their edit.
  const kind: VersionKind = kindText === 'turn' || kindText === 'restore' || kindText === 'initial' || kindText === 'hand-edit' ? kindText : 'hand-edit';
  const restoreOf = kind === 'restore' ? (found.get('Restore-Of') === 'none' ? '' : (found.get('Restore-Of') ?? null)) : null;
  const working = kind === 'turn' && found.get('Working') === 'yes' ? { working: true } : {};
  return { kind, taskId: kind === 'turn' ? (found.get('Turn') ?? null) : null, message: kind === 'turn' && body ? body : subject, restoreOf, ...working };
}

/**
 * Number the versions 1..n (oldest first), mark the newest `current`, and mark `undone`
 * the versions a restore went back past: a restore to version T made as version R marks
 * T+1 … R-1 undone and clears the mark on 1 … T (a later restore can bring them back).
 */
export function numberVersions(raw: RawVersion[]): ProjectVersion[] {
  const numberOf = new Map(raw.map((version, i) => [version.id, i + 1]));
  const undone = new Array<boolean>(raw.length).fill(false);
  raw.forEach((version, i) => {
    if (version.kind !== 'restore' || version.restoreOf === null) return;
    const target = version.restoreOf === '' ? 0 : numberOf.get(version.restoreOf);
    if (target === undefined || target > i) return; // a target that is not an earlier version: nothing to mark
    for (let n = 1; n <= i; n++) undone[n - 1] = n > target;
  });
  return raw.map((version, i) => ({
    id: version.id,
    number: i + 1,
    kind: version.kind,
    taskId: version.taskId,
    message: version.message,
    createdAt: version.createdAt,
    filesChanged: version.filesChanged,
    undone: undone[i]!,
    current: i === raw.length - 1,
    ...(version.working ? { working: true } : {}),
  }));
}

/** The version `undoLastTurn` goes back to: the one before the newest turn that is not undone (0: before version 1). */
export function undoTarget(versions: ProjectVersion[]): { turn: ProjectVersion; targetNumber: number } | null {
  const turn = [...versions].reverse().find((version) => version.kind === 'turn' && !version.undone);
  return turn ? { turn, targetNumber: turn.number - 1 } : null;
}
