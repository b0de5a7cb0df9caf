import { describe, expect, it } from 'vitest';
import { CaseCollisions } from '../../electron/core/tasks/case-collisions.js';

describe('CaseCollisions', () => {
  it('reports a second spelling of a file or folder once, never the same spelling', () => {
    const c = new CaseCollisions();
    expect(c.check('src/App.tsx')).toBeNull();
    expect(c.check('src/App.tsx')).toBeNull();
    expect(c.check('src/app.tsx')).toEqual({ spelling: 'src/app.tsx', earlier: 'src/App.tsx' });
    expect(c.check('src/APP.tsx')).toBeNull(); // that pair was reported
    expect(c.check('SRC/index.ts')).toEqual({ spelling: 'SRC', earlier: 'src' });
    expect(c.check('lib/a.ts')).toBeNull();
  });

  it('treats composed and decomposed accents as the same name (macOS does)', () => {
    const c = new CaseCollisions();
    expect(c.check('caf\u00e9.md')).toBeNull();
    expect(c.check('cafe\u0301.md')).toEqual({ spelling: 'cafe\u0301.md', earlier: 'caf\u00e9.md' });
  });
});
