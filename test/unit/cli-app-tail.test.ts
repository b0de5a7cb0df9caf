// `macs app logs --follow` reads the run's last 50 lines again and again: only what is new is printed.
import { describe, expect, it } from 'vitest';
import { newTailLines } from '../../electron/cli/app-output.js';

describe('newTailLines', () => {
  it('prints the lines past the stretch the two tails share', () => {
    expect(newTailLines(['a', 'b', 'c'], ['b', 'c', 'd', 'e'])).toEqual(['d', 'e']);
    expect(newTailLines(['a', 'b', 'c'], ['a', 'b', 'c'])).toEqual([]);
    expect(newTailLines([], ['x', 'y'])).toEqual(['x', 'y']);
  });

  it('prints the whole tail when nothing is shared (more new lines than the tail keeps)', () => {
    expect(newTailLines(['a', 'b'], ['q', 'r', 's'])).toEqual(['q', 'r', 's']);
  });

  it('takes the longest overlap, so a repeated line is not printed twice', () => {
    expect(newTailLines(['x', 'y', 'x', 'y'], ['x', 'y', 'z'])).toEqual(['z']);
  });
});
