// The Versions tab's questions (restore, undo the last turn) and the chat's notice of undone turns.
import { describe, expect, it } from 'vitest';
import type { ProjectVersion } from '../../shared/index.js';
import { restoreQuestion, undoTurnQuestion, undoTurnVersion } from '../../renderer/src/lib/version-text.js';

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
