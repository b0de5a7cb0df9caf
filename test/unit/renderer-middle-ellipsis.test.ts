import { describe, expect, it } from 'vitest';
import { ELLIPSIS, middleEllipsis, splitForMiddleEllipsis } from '../../renderer/src/lib/middle-ellipsis.js';

describe('middleEllipsis', () => {
  it('keeps short names whole', () => {
    expect(middleEllipsis('App.tsx', 20)).toBe('App.tsx');
    expect(middleEllipsis('', 5)).toBe('');
  });

  it('cuts the middle and keeps the end, so siblings stay apart', () => {
    const a = middleEllipsis('AnExtremelyLongComponentNameWidget.tsx', 20);
    const b = middleEllipsis('AnExtremelyLongComponentNameWidget.test.tsx', 24);
    expect([...a].length).toBe(20);
    expect([...b].length).toBe(24);
    expect(a).toMatch(/^AnExtrem.*….*Widget\.tsx$/);
    expect(b).toMatch(/^AnExtr.*….*Widget\.test\.tsx$/);
    expect(a).not.toBe(b);
  });

  it('never exceeds the budget, even for tiny budgets', () => {
    const name = 'some-really-long-file-name-for-testing.config.json';
    for (let max = 0; max < name.length + 2; max++) expect([...middleEllipsis(name, max)].length).toBeLessThanOrEqual(Math.max(max, 0));
    expect(middleEllipsis(name, 1)).toBe(ELLIPSIS);
  });

  it('does not split a surrogate pair', () => {
    const out = middleEllipsis('😀😀😀😀😀😀😀😀😀😀😀😀😀😀.txt', 8);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('splitForMiddleEllipsis', () => {
  it('puts the stem end and the whole extension in the tail', () => {
    expect(splitForMiddleEllipsis('AnExtremelyLongWidget.test.tsx')).toEqual({ head: 'AnExtremelyLong', tail: 'Widget.test.tsx' });
    expect(splitForMiddleEllipsis('AnExtremelyLongWidget.tsx')).toEqual({ head: 'AnExtremelyLong', tail: 'Widget.tsx' });
  });
  it('leaves short names and dotfiles all head', () => {
    expect(splitForMiddleEllipsis('index.ts')).toEqual({ head: 'index.ts', tail: '' });
    expect(splitForMiddleEllipsis('.gitignore')).toEqual({ head: '.gitignore', tail: '' });
  });
  it('does not treat a dotted stem as a long extension', () => {
    const { head, tail } = splitForMiddleEllipsis('my.very.long.module.named.thing.ts');
    expect(head + tail).toBe('my.very.long.module.named.thing.ts');
    expect(tail.endsWith('.thing.ts')).toBe(true);
    expect(head.length).toBeGreaterThan(0);
  });
});
