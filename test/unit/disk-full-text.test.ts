import { describe, expect, it } from 'vitest';
import { describeError, diskFullText } from '../../renderer/src/lib/error-text.js';

describe('DISK_FULL text', () => {
  it('names the disk and the space to free from the details', () => {
    const text = diskFullText({ path: '/srv/macs/macs.db', neededBytes: 5 * 1024 * 1024, freeBytes: 0 });
    expect(text).toBe('The disk holding /srv/macs/macs.db is full: free at least 5 MB (0.0 MB left) and try again. What was written so far is kept.');
  });
  it('still says something useful without details', () => {
    expect(diskFullText(undefined)).toBe('The disk is full: free some space and try again. What was written so far is kept.');
  });
  it('is what errorText shows for the code', () => {
    expect(describeError({ code: 'DISK_FULL', message: 'x', details: { path: '/d/a.txt', size: 100 } }).text).toContain('The disk holding /d/a.txt is full: free at least 1 MB');
  });
});

describe('output limit texts', () => {
  it('a FILE_TOO_LARGE warning on a task says the file was cut at the per-file limit', () => {
    expect(describeError({ code: 'FILE_TOO_LARGE', message: 'big.txt was cut at 20 MB', details: { paths: ['big.txt'], maxFileBytes: 20 * 1024 * 1024 } }).text).toMatch(/per-file limit; it was cut there/);
    expect(describeError({ code: 'FILE_TOO_LARGE', message: 'x', details: { path: 'a', size: 1, maxBytes: 0 } }).text).toBe('The file is too large to open here.');
  });
});
