import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../electron/core/preview/proxy/isolation.js';

describe('the preview CSP', () => {
  it('names MACS’s origins as the only ancestors, leaving out IPv6 literals CSP cannot express', () => {
    const csp = contentSecurityPolicy(4000, ['http://127.0.0.1:7777', 'http://localhost:7777', 'http://[::1]:7777']);
    const ancestors = csp.split('; ').find((d) => d.startsWith('frame-ancestors'));
    expect(ancestors).toBe("frame-ancestors http://127.0.0.1:7777 http://localhost:7777 'self'");
    expect(csp).toContain('connect-src \'self\' ws://127.0.0.1:4000 ws://localhost:4000');
    expect(csp).not.toMatch(/allow-top-navigation|allow-popups/);
  });
});
