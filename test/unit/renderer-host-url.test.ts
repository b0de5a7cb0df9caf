// Issue 18 §3: the Settings host field says at once why a URL cannot work, and the
// "Reachable now" line (the saved host's status) is never shown under another or an invalid URL.
import { describe, expect, it } from 'vitest';
import { hostStatusLine, hostUrlProblem } from '../../renderer/src/lib/host-url.js';
import { hostProblem } from '../../renderer/src/components/ExtraHostsField.js';

describe('hostUrlProblem', () => {
  it('accepts http and https URLs of a host', () => {
    for (const ok of ['http://127.0.0.1:11434', 'https://gpu.lan:11434/', 'http://[::1]:11434', '  http://localhost:11434  ']) expect(hostUrlProblem(ok)).toBeNull();
  });

  it('says why a typed value is not usable', () => {
    expect(hostUrlProblem('')).toMatch(/Enter the URL/);
    expect(hostUrlProblem('localhost:11434')).toBe('Start with http:// or https://, e.g. http://localhost:11434.');
    expect(hostUrlProblem('127.0.0.1:11434')).toMatch(/^Start with http/);
    expect(hostUrlProblem('http://local host:11434')).toMatch(/no spaces/);
    expect(hostUrlProblem('ftp://box:11434')).toMatch(/not ftp/);
    expect(hostUrlProblem('http://:11434')).not.toBeNull();
    expect(hostUrlProblem('http://u:p@box:11434')).toMatch(/passwords/);
    expect(hostUrlProblem('http://box:11434/?x=1')).toMatch(/query/);
    expect(hostUrlProblem('http://box:99999')).not.toBeNull();
  });

  it('the extra hosts use the same checks', () => {
    expect(hostProblem('box:11434', [], 'http://127.0.0.1:11434')).toMatch(/^Start with http/);
  });
});

describe('hostStatusLine', () => {
  const saved = { host: 'http://127.0.0.1:11434', reachable: true, version: '0.12.0' };
  it('says reachable only for the host that was checked', () => {
    expect(hostStatusLine('http://127.0.0.1:11434/', saved)).toMatch(/Reachable now \(Ollama 0\.12\.0\)/);
    expect(hostStatusLine('http://10.0.0.5:11434', saved)).not.toMatch(/Reachable/);
    expect(hostStatusLine('http://127.0.0.1:1143', saved)).not.toMatch(/Reachable/);
    expect(hostStatusLine('http://127.0.0.1:11434', { ...saved, reachable: false })).toMatch(/Not reachable at/);
  });
});
