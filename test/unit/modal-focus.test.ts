// The modal focus trap's arithmetic: Tab from the last control of a dialog comes back to its
// first, Shift+Tab from the first goes to its last, and focus from outside enters at an end.
import { describe, expect, it } from 'vitest';
import { trapIndex } from '../../renderer/src/lib/modal-focus.js';

describe('trapIndex', () => {
  it('moves forward and wraps from the last control to the first', () => {
    expect(trapIndex(3, 0, false)).toBe(1);
    expect(trapIndex(3, 2, false)).toBe(0);
  });
  it('moves backward and wraps from the first control to the last', () => {
    expect(trapIndex(3, 1, true)).toBe(0);
    expect(trapIndex(3, 0, true)).toBe(2);
  });
  it('enters from outside at the first control (Tab) or the last (Shift+Tab)', () => {
    expect(trapIndex(4, -1, false)).toBe(0);
    expect(trapIndex(4, -1, true)).toBe(3);
  });
  it('has nowhere to go in a dialog without controls', () => {
    expect(trapIndex(0, -1, false)).toBe(-1);
  });
});
