// The history rules that do not depend on git: commit messages and their trailers,
// numbering, and which versions a restore marks undone.
import { describe, expect, it } from 'vitest';
import { numberVersions, parseMessage, subjectOf, turnMessage, undoTarget, restoreMessage, type RawVersion } from '../../electron/core/project-folder/versions/version-list.js';

const raw = (id: string, kind: RawVersion['kind'], restoreOf: string | null = null): RawVersion => ({
  id,
  kind,
  taskId: kind === 'turn' ? `task-${id}` : null,
  message: id,
  createdAt: 0,
  filesChanged: 1,
  restoreOf,
});

describe('commit messages', () => {
  it('keeps the subject within 72 characters and the whole prompt in the body, trailers last', () => {
    const prompt = 'word '.repeat(30).trim() + '\n\nsecond paragraph';
    const message = turnMessage({ taskId: 't1', prompt, model: 'qwen', outcome: 'SUCCEEDED' }, 'p1');
    const [subject] = message.split('\n');
    expect(subject!.length).toBeLessThanOrEqual(72);
    expect(subject!.endsWith('…')).toBe(true);
    expect(message).toContain('MACS-Turn: t1\nMACS-Project: p1\nMACS-Model: qwen\nMACS-Outcome: SUCCEEDED\n');
    expect(parseMessage(message)).toEqual({ kind: 'turn', taskId: 't1', message: prompt, restoreOf: null });
  });

  it('a short prompt is only the subject; control characters and newlines never reach a trailer', () => {
    const message = turnMessage({ taskId: 't\n2', prompt: 'Add a flag', model: 'm\u0000x' }, 'p');
    expect(message).toBe('Add a flag\n\nMACS-Kind: turn\nMACS-Turn: t 2\nMACS-Project: p\nMACS-Model: m x\n');
    expect(subjectOf('   \n  first line  \nsecond')).toBe('first line');
  });

  it('reads a commit made with the user\'s own tools as their edit, and a restore\'s target', () => {
    expect(parseMessage('Fix typo\n\nbody\n')).toEqual({ kind: 'hand-edit', taskId: null, message: 'Fix typo', restoreOf: null });
    expect(parseMessage(restoreMessage(2, 'abc', 'p'))).toEqual({ kind: 'restore', taskId: null, message: 'Restore version 2', restoreOf: 'abc' });
    expect(parseMessage(restoreMessage(0, '', 'p')).restoreOf).toBe('');
  });
});

describe('numberVersions', () => {
  it('numbers oldest first, the newest is current, a restore marks the versions it went back past', () => {
    const versions = numberVersions([raw('a', 'turn'), raw('b', 'turn'), raw('c', 'hand-edit'), raw('d', 'restore', 'a')]);
    expect(versions.map((v) => [v.number, v.undone, v.current])).toEqual([
      [1, false, false],
      [2, true, false],
      [3, true, false],
      [4, false, true],
    ]);
  });

  it('restoring an undone version clears its mark and marks the restore that undid it', () => {
    const versions = numberVersions([raw('a', 'turn'), raw('b', 'turn'), raw('r1', 'restore', 'a'), raw('r2', 'restore', 'b')]);
    expect(versions.map((v) => v.undone)).toEqual([false, false, true, false]);
    expect(numberVersions([raw('a', 'turn'), raw('r', 'restore', '')]).map((v) => v.undone)).toEqual([true, false]);
  });

  it('undoTarget: the version before the newest turn that is not undone', () => {
    const versions = numberVersions([raw('a', 'turn'), raw('b', 'turn'), raw('c', 'turn'), raw('r', 'restore', 'b'), raw('h', 'hand-edit')]);
    expect(undoTarget(versions)).toMatchObject({ turn: { id: 'b' }, targetNumber: 1 });
    expect(undoTarget(numberVersions([raw('h', 'hand-edit')]))).toBeNull();
  });
});
