import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/index.js';
import { resolveRepoPath } from '../../electron/server/rest/repo-path.js';

describe('resolveRepoPath (TaskV1.1 input.repo.path)', () => {
  it('./workspace is a new project; absolute paths stay; relative ones resolve against MACS_WORKSPACE_ROOT, else home', () => {
    for (const p of ['./workspace', 'workspace', './workspace/', ' ./workspace ']) expect(resolveRepoPath(p, {}), p).toBeUndefined();
    expect(resolveRepoPath(undefined, {})).toBeUndefined();
    expect(resolveRepoPath('/srv/app', { MACS_WORKSPACE_ROOT: '/data' })).toBe('/srv/app');
    expect(resolveRepoPath('./apps/site', { MACS_WORKSPACE_ROOT: '/data/repos' })).toBe('/data/repos/apps/site');
    expect(resolveRepoPath('./workspace/app', { MACS_WORKSPACE_ROOT: '/data/repos' })).toBe('/data/repos/workspace/app');
    expect(resolveRepoPath('apps/site', {})).toBe(path.join(os.homedir(), 'apps/site'));
    expect(resolveRepoPath('~/code/app', { MACS_WORKSPACE_ROOT: '/data' })).toBe(path.join(os.homedir(), 'code/app'));
    // Never the server's working directory.
    expect(resolveRepoPath('src', {})).not.toBe(path.resolve('src'));
  });

  it('a relative MACS_WORKSPACE_ROOT is refused, naming input.repo.path', () => {
    let caught: unknown;
    try {
      resolveRepoPath('apps/site', { MACS_WORKSPACE_ROOT: 'repos' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MacsError);
    expect((caught as MacsError).details).toMatchObject({ fields: [{ path: 'input.repo.path', message: expect.stringContaining('not an absolute path') }] });
  });
});
