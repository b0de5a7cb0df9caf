import { describe, expect, it } from 'vitest';
import { applyEdits, formatEditFailuresForRetry, parseEditBlocks } from '../../electron/core/edits/index.js';

describe('formatEditFailuresForRetry', () => {
  it('is empty when nothing failed', () => {
    expect(formatEditFailuresForRetry([])).toBe('');
  });

  it('explains each failure with the block, and the closest lines for a miss', () => {
    const answer = [
      'File: src/app.js',
      '<<<<<<< SEARCH',
      'app.listen(300);',
      '=======',
      'app.listen(port);',
      '>>>>>>> REPLACE',
      'File: src/dup.js',
      '<<<<<<< SEARCH',
      'x++;',
      '=======',
      'x += 2;',
      '>>>>>>> REPLACE',
      'File: src/gone.js',
      '<<<<<<< SEARCH',
      'a',
      '=======',
      'b',
      '>>>>>>> REPLACE',
    ].join('\n');
    const { blocks } = parseEditBlocks(answer);
    const read = (p: string) => ({ 'src/app.js': 'const app = make();\napp.listen(3000);\n', 'src/dup.js': 'x++;\ny();\nx++;\n' })[p];
    const { failures } = applyEdits(read, blocks);
    const text = formatEditFailuresForRetry(failures);

    expect(text).toMatch(/^3 SEARCH\/REPLACE blocks could not be applied\. Nothing was changed in src\/app\.js, src\/dup\.js, src\/gone\.js/);
    expect(text).toContain('## Block 1 (src/app.js): the SEARCH text does not match any lines of src/app.js.');
    expect(text).toContain('File: src/app.js\n<<<<<<< SEARCH\napp.listen(300);\n=======\napp.listen(port);\n>>>>>>> REPLACE');
    expect(text).toMatch(/The most similar lines in src\/app\.js are lines 2–2 \(\d+% similar\):\n```\napp\.listen\(3000\);\n```/);
    expect(text).toContain('## Block 2 (src/dup.js): the SEARCH text occurs 2 times (at lines 1, 3)');
    expect(text).toContain('## Block 3 (src/gone.js): src/gone.js does not exist.');
  });

  it('quotes closest lines that contain backticks with a longer fence', () => {
    const { failures } = applyEdits(() => 'Run ```npm test``` first\n', [{ path: 'README.md', search: 'Run ```npm tests``` first', replace: 'x', index: 0, line: 1 }]);
    expect(formatEditFailuresForRetry(failures)).toContain('\n````\nRun ```npm test``` first\n````\n');
  });
});
