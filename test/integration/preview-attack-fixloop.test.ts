// Adversarial review of issue 14's fix cap ("auto-fix attempts are capped per fingerprint"):
// the book keeps the 50 most recent errors, so an app that prints 50 other errors pushed an
// error out and, when it came back, its fix attempts started from 0 again: an endless loop.
import { describe, expect, it } from 'vitest';
import { FingerprintBook, FINGERPRINTS_KEPT } from '../../electron/core/preview/fingerprints.js';
import type { RunErrorReport } from '../../electron/core/preview/index.js';

const project = { root: '/w', has: () => false };
const report = (message: string): RunErrorReport => ({ source: 'server', message, stack: null, where: null, at: Date.now() });
/** Distinct words (numbers are normalised away in fingerprints). */
const word = (n: number): string => Array.from(n.toString(26)).map((c) => String.fromCharCode(97 + parseInt(c, 26))).join('');

describe('preview attacks: the fix cap under an error flood', () => {
  it('an error pushed out by a flood of others keeps its fix attempts when it comes back', () => {
    const book = new FingerprintBook(project);
    const target = book.add(report('TypeError: cannot read the cart'));
    book.noteFixAttempt(target.id);
    book.noteFixAttempt(target.id);
    for (let i = 0; i < FINGERPRINTS_KEPT + 5; i++) book.add(report(`Error: flood ${word(i + 100)}`));
    expect(book.get(target.id)).toBeNull();
    const back = book.add(report('TypeError: cannot read the cart'));
    expect(back.id).toBe(target.id);
    expect(back.fixAttempts).toBe(2);
  });
});
