// A command's output log on a full disk: the write fails with ENOSPC inside a child's
// 'data' handler, where a throw would be uncaught and end the server. /dev/full fails
// every write with ENOSPC, deterministically.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OutputSink } from '../../electron/core/sandbox/output-sink.js';

describe.skipIf(!fs.existsSync('/dev/full'))('OutputSink with its log on a full disk', () => {
  it('keeps streaming to the UI, stops logging, and says why once', () => {
    const shown: string[] = [];
    const sink = new OutputSink({ uiCapBytes: 1 << 20, maxBytes: 1 << 20, logPath: '/dev/full', onOutput: (text) => shown.push(text) });
    expect(() => sink.write('stdout', Buffer.from('line 1\n'))).not.toThrow();
    expect(() => sink.write('stdout', Buffer.from('line 2\n'))).not.toThrow();
    const all = shown.join('');
    expect(all).toContain('line 1\n');
    expect(all).toContain('line 2\n');
    expect(all.match(/the disk is full/g)).toHaveLength(1);
    expect(sink.logError).toMatch(/ENOSPC/);
    expect(() => sink.finish()).not.toThrow();
  });
});
