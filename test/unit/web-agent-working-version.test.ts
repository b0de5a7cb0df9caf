// A turn whose build checks passed is marked "working" in its version: a MACS-Working trailer
// the user's `git log` shows, read back into ProjectVersion.working.
import { describe, expect, it } from 'vitest';
import { numberVersions, parseMessage, turnMessage } from '../../electron/core/project-folder/versions/version-list.js';

describe('working versions', () => {
  it('writes the trailer only for a working turn and reads it back', () => {
    const working = turnMessage({ taskId: 't1', prompt: 'Make a todo app', model: 'm', outcome: 'succeeded', working: true }, 'p1');
    expect(working).toContain('MACS-Working: yes');
    expect(parseMessage(working)).toMatchObject({ kind: 'turn', taskId: 't1', working: true });
    const plain = turnMessage({ taskId: 't2', prompt: 'Make it blue', model: 'm', outcome: 'failed' }, 'p1');
    expect(plain).not.toContain('MACS-Working');
    expect(parseMessage(plain).working).toBeUndefined();
    // Someone's own commit saying so is not a MACS turn: not working.
    expect(parseMessage('Fix\n\nMACS-Working: yes').working).toBeUndefined();
  });

  it('numbers versions with the flag where it holds', () => {
    const raw = [
      { id: 'a', kind: 'turn' as const, taskId: 't1', message: 'one', createdAt: 1, filesChanged: 1, restoreOf: null, working: true },
      { id: 'b', kind: 'turn' as const, taskId: 't2', message: 'two', createdAt: 2, filesChanged: 1, restoreOf: null },
    ];
    const [v1, v2] = numberVersions(raw);
    expect(v1.working).toBe(true);
    expect(v2.working).toBeUndefined();
  });
});
