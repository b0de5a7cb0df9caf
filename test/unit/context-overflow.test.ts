import { describe, expect, it } from 'vitest';
import { contextOverflow } from '../../electron/core/llm/index.js';
import { describeRemoteTruncation, remoteTruncation } from '../../electron/core/llm/context-overflow.js';

describe('contextOverflow (what the done chunk says about num_ctx)', () => {
  it.each([
    [{ doneReason: 'stop', promptTokens: 300, evalTokens: 200 }, 1024, undefined, null],
    // "shift": false and a full window (Ollama ≥ 0.12.6)
    [{ doneReason: 'length', promptTokens: 300, evalTokens: 724 }, 1024, undefined, 'cut-off'],
    // the caller's own num_predict cap is not an overflow
    [{ doneReason: 'length', promptTokens: 300, evalTokens: 100 }, 1024, 100, null],
    // the context shifted and the answer went on (default before 0.12.6, and whenever shift is on)
    [{ doneReason: 'stop', promptTokens: 300, evalTokens: 900 }, 1024, undefined, 'shifted'],
    // the Go runners report exactly num_ctx for a prompt they cut in the middle
    [{ doneReason: 'stop', promptTokens: 1024, evalTokens: 10 }, 1024, undefined, 'prompt-truncated'],
  ] as const)('%o at num_ctx %i (num_predict %s) → %s', (done, numCtx, numPredict, expected) => {
    expect(contextOverflow(done, numCtx, numPredict)).toBe(expected);
  });
});

describe('remoteTruncation: another server cut the prompt silently', () => {
  it('flags a large prompt the server says it read much less of', () => {
    expect(remoteTruncation(10_000, 4_096)).toEqual({ sent: 10_000 });
    expect(describeRemoteTruncation('lmstudio', 4096, 10_000)).toMatch(/^lmstudio reports reading 4096 prompt tokens of about 10000 sent/);
  });
  it('leaves estimates near the report, small prompts and servers that report no usage alone', () => {
    expect(remoteTruncation(10_000, 7_000)).toBeNull(); // within our estimate's error
    expect(remoteTruncation(900, 100)).toBeNull(); // too small to judge
    expect(remoteTruncation(10_000, 0)).toBeNull(); // no usage chunk: nothing said
  });
});
