import { describe, expect, it } from 'vitest';
import { mapOllamaError } from '../../electron/core/llm/index.js';
import { normalizeOllamaHost } from '../../electron/core/settings/index.js';

const host = 'http://127.0.0.1:11434';

describe('mapOllamaError', () => {
  it.each([
    [{ status_code: 404, message: 'model "x:1b" not found, try pulling it first' }, 'MODEL_NOT_FOUND'],
    [{ status_code: 500, message: 'model requires more system memory (21.3 GiB) than is available (7.9 GiB)' }, 'MODEL_OUT_OF_MEMORY'],
    [{ status_code: 500, message: 'llama runner process has terminated' }, 'MODEL_CRASHED'],
    [Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'OLLAMA_UNREACHABLE'],
    [new Error('Did not receive done or success response in stream.'), 'OLLAMA_UNREACHABLE'],
  ])('%o → %s', (err, code) => {
    expect(mapOllamaError(err, { host, model: 'x:1b' }).code).toBe(code);
  });

  it('calls a network failure after the first token a dropped stream', () => {
    const err = new Error('Did not receive done or success response in stream.');
    expect(mapOllamaError(err, { host, streamStarted: true }).code).toBe('STREAM_DROPPED');
  });

  it('names the host and the fix', () => {
    const e = mapOllamaError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), { host });
    expect(e.message).toContain(host);
    expect(e.message).toContain('OLLAMA_HOST');
  });
});

describe('normalizeOllamaHost', () => {
  it.each([
    ['localhost:11434', 'http://localhost:11434'],
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['http://gpu-box:11434/', 'http://gpu-box:11434'],
    ['https://ollama.internal', 'https://ollama.internal'],
    [' 127.0.0.1:9999 ', 'http://127.0.0.1:9999'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeOllamaHost(input)).toBe(expected);
  });
  it('treats empty as unset', () => expect(normalizeOllamaHost('  ')).toBeUndefined());
});
