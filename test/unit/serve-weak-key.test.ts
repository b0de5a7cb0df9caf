// A MACS_API_KEY chosen by hand protects every task and is the HMAC key of every stream
// token: a short one, once a stream token leaks, can be guessed offline. `macs serve` says so.
import { describe, expect, it } from 'vitest';
import { weakApiKeyWarning } from '../../electron/cli/serve-command.js';

describe('weakApiKeyWarning', () => {
  it('warns about a short MACS_API_KEY, naming the length needed and how to make one', () => {
    const warning = weakApiKeyWarning({ apiKey: 'secret123', source: 'env' });
    expect(warning).toContain('MACS_API_KEY');
    expect(warning).toContain('9 characters');
    expect(warning).toContain('openssl rand');
  });

  it('also warns about a short key written into the key file by hand; quiet for long keys (the generated one is 37 characters)', () => {
    expect(weakApiKeyWarning({ apiKey: 'short', source: 'file' })).toContain('api-key');
    expect(weakApiKeyWarning({ apiKey: 'x'.repeat(24), source: 'env' })).toBeNull();
    expect(weakApiKeyWarning({ apiKey: `macs_${'x'.repeat(32)}`, source: 'file' })).toBeNull();
  });
});
