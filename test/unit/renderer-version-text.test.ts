// The Versions tab's questions (restore, undo the last turn) and the chat's notice of undone turns.
import { describe, expect, it } from 'vitest';
import type { ProjectVersion } from '../../shared/index.js';
import { restoreQuestion, undoneNotice, undoTurnQuestion, undoTurnVersion } from '../../renderer/src/lib/version-text.js';

const v = (number: number, over: Partial<ProjectVersion> = {}): ProjectVersion => ({
  id: `c${number}`,
  number,
  kind: 'turn',
  taskId: `t${number}`,
  message: `turn ${number}`,
  createdAt: number * 1000,
  filesChanged: 1,
  undone: false,
  current: false,
  ...over,
});
const turns = new Map([1, 2, 3, 4, 5].map((n) => [`t${n}`, n]));

describe('version questions', () => {
  it('names the version restored, the new version and the one that can be restored again', () => {
    const rows = [v(1), v(2), v(3), v(4, { current: true })];
    expect(restoreQuestion(rows, rows[1]!)).toBe('Bring the files back to version 2 as a new version 5? Nothing is lost: you can restore version 4 again.');
  });

  it('undoes the newest turn not already undone, back to the version before it', () => {
    const rows = [v(1), v(2), v(3, { undone: true }), v(4, { undone: true }), v(5, { kind: 'restore', taskId: null, message: 'Restore version 2', current: true })];
    expect(undoTurnVersion(rows)?.number).toBe(2);
    expect(undoTurnQuestion(rows)).toBe('Undo the last turn (version 2)? The files go back to version 1 as a new version 6. Nothing is lost: you can restore version 5 again.');
    expect(undoTurnQuestion([v(1, { current: true })])).toBe(
      'Undo the last turn (version 1)? The files go back to how they were before version 1 as a new version 2. Nothing is lost: you can restore version 1 again.',
    );
    expect(undoTurnQuestion([v(1, { kind: 'initial', taskId: null, current: true })])).toBeNull();
  });
});

describe('undone notice', () => {
  it('says which turns a restore undid, as ranges, and which version it restored', () => {
    const rows = [v(1), v(2), v(3, { undone: true }), v(4, { undone: true }), v(5, { kind: 'restore', taskId: null, message: 'Restore version 2', current: true })];
    expect(undoneNotice(rows, turns)).toEqual({ text: 'Turns 3–4 were undone by restoring version 2.', at: 5000 });
  });

  it('one turn, gaps, and a restore whose message names no version', () => {
    const rows = [v(1), v(2, { undone: true }), v(3), v(4, { undone: true }), v(5, { undone: true }), v(6, { kind: 'restore', taskId: null, message: 'Restore the files before version 1' })];
    expect(undoneNotice(rows, turns)?.text).toBe('Turns 2, 4–5 were undone by a restore.');
    expect(undoneNotice([v(1), v(2, { undone: true }), v(3, { kind: 'restore', taskId: null, message: 'Restore version 1' })], turns)?.text).toBe('Turn 2 was undone by restoring version 1.');
  });

  it('has nothing to say when no turn is undone, or before the versions load', () => {
    expect(undoneNotice([v(1), v(2, { current: true })], turns)).toBeNull();
    expect(undoneNotice(null, turns)).toBeNull();
  });
});
