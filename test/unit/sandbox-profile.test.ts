// The sandbox policy as text: the bubblewrap argument list, the macOS Seatbelt profile
// (which cannot run here, so its text is what we can check), env scrubbing and the
// small parsers. The integration test proves the bwrap policy holds on a real kernel.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { bwrapArgs, type BwrapPlan } from '../../electron/core/sandbox/bwrap-args.js';
import { BwrapSandbox } from '../../electron/core/sandbox/bwrap.js';
import { DenialScanner } from '../../electron/core/sandbox/denials.js';
import { BASE_PATH, isDeniedEnvName, sanitizePath, scrubbedEnv } from '../../electron/core/sandbox/env.js';
import { configPointers } from '../../electron/core/sandbox/git-guard.js';
import { parseProcNetUnix } from '../../electron/core/sandbox/host-sockets.js';
import { OutputSink } from '../../electron/core/sandbox/output-sink.js';
import { seatbeltProfile, type SeatbeltPlan } from '../../electron/core/sandbox/seatbelt-profile.js';
import { resolveWorkspaceRoot } from '../../electron/core/sandbox/workspace-root.js';

const plan = (over: Partial<BwrapPlan> = {}): BwrapPlan => ({
  command: ['npm', 'test'],
  workspace: '/work/ws',
  level: 'workspace-write',
  privateDirs: ['/tmp', '/run', '/home/u'],
  readOnlyDirs: ['/home/u/.nvm'],
  gitReadOnly: ['/work/ws/.git', '/work/ws/vendor/lib/.git'],
  hiddenInWorkspace: [],
  socketMasks: ['/var/lib/docker.sock'],
  env: { PATH: '/usr/bin:/bin', HOME: '/home/u' },
  tty: false,
  features: { unshareUser: true, disableUserns: true },
  ...over,
});

describe('bwrapArgs', () => {
  it('workspace-write: the full list, in mount order', () => {
    expect(bwrapArgs(plan())).toEqual([
      '--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
      '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc',
      '--tmpfs', '/tmp', '--tmpfs', '/run', '--tmpfs', '/home/u',
      '--ro-bind-try', '/home/u/.nvm', '/home/u/.nvm',
      '--bind', '/work/ws', '/work/ws',
      '--ro-bind', '/work/ws/.git', '/work/ws/.git',
      '--ro-bind', '/work/ws/vendor/lib/.git', '/work/ws/vendor/lib/.git',
      '--ro-bind', '/dev/null', '/var/lib/docker.sock',
      '--chdir', '/work/ws',
      '--clearenv', '--setenv', 'PATH', '/usr/bin:/bin', '--setenv', 'HOME', '/home/u',
      '--', 'npm', 'test',
    ]);
  });

  it('never shares the host network namespace; +net waits for the network helper (net-helper.ts)', () => {
    expect(bwrapArgs(plan())).not.toContain('--share-net');
    const resolvConf = { source: '/tmp/macs-net-x/resolv.conf', dest: '/run/systemd/resolve/stub-resolv.conf' };
    const net = bwrapArgs(plan({ level: 'workspace-write+net', net: { infoFd: 3, usernsBlockFd: 4, blockFd: 5, resolvConf, preludeCaps: ['CAP_NET_ADMIN', 'CAP_SETPCAP'] } }));
    expect(net).not.toContain('--share-net');
    expect(net.slice(0, 8)).toEqual(['--unshare-all', '--unshare-user', '--info-fd', '3', '--userns-block-fd', '4', '--block-fd', '5']);
    // bwrap refuses --disable-userns together with --userns-block-fd.
    expect(net).not.toContain('--disable-userns');
    const joined = net.join(' ');
    expect(joined).toContain(`--ro-bind ${resolvConf.source} ${resolvConf.dest} --chdir`);
    // Only for the prelude that closes the host's addresses; it drops them before the command (net-helper.ts).
    expect(joined).toContain('--cap-drop ALL --cap-add CAP_NET_ADMIN --cap-add CAP_SETPCAP');
    expect(bwrapArgs(plan()).join(' ')).not.toContain('--cap-add');
  });

  it('read-only binds the workspace read-only (and needs no separate .git bind)', () => {
    const args = bwrapArgs(plan({ level: 'read-only' }));
    expect(args.join(' ')).toContain('--ro-bind /work/ws /work/ws');
    expect(args.join(' ')).not.toContain('--bind /work/ws');
    expect(args).not.toContain('/work/ws/.git');
  });

  it('tty keeps the pty as controlling terminal; pipes get a new session', () => {
    expect(bwrapArgs(plan({ tty: true }))).not.toContain('--new-session');
    expect(bwrapArgs(plan({ tty: false }))).toContain('--new-session');
  });

  it('setuid fallback: no explicit user namespace, caps still dropped', () => {
    const args = bwrapArgs(plan({ features: { unshareUser: false, disableUserns: false } }));
    expect(args).not.toContain('--unshare-user');
    expect(args).not.toContain('--disable-userns');
    expect(args.join(' ')).toContain('--cap-drop ALL');
  });

  it('the command comes after "--" verbatim, even when it looks like a flag', () => {
    const args = bwrapArgs(plan({ command: ['--bind', '/', '/x'] }));
    expect(args.slice(-4)).toEqual(['--', '--bind', '/', '/x']);
  });
});

describe('BwrapSandbox.buildCommand (host facts)', () => {
  let base = '';
  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-bwrap-unit-'));
    fs.mkdirSync(path.join(base, 'home/.nvm/versions/node/v20/bin'), { recursive: true });
    fs.mkdirSync(path.join(base, 'home/.ssh'), { recursive: true });
    fs.mkdirSync(path.join(base, 'home/projects/app/.git'), { recursive: true });
    fs.writeFileSync(path.join(base, 'home/projects/app/.git/config'), '[core]\n\thooksPath = .husky ; husky\n[include]\n\tpath = "../shared.gitconfig"\n');
    fs.writeFileSync(path.join(base, 'home/projects/app/shared.gitconfig'), '');
    fs.mkdirSync(path.join(base, 'home/projects/app/.husky'), { recursive: true });
    fs.mkdirSync(path.join(base, 'home/projects/app/vendor/lib/.git'), { recursive: true });
    fs.mkdirSync(path.join(base, 'home/projects/app/node_modules/dep/.git'), { recursive: true });
    fs.mkdirSync(path.join(base, 'home/projects/app/fixtures/bare.git/objects'), { recursive: true });
    fs.mkdirSync(path.join(base, 'home/projects/app/fixtures/bare.git/refs'), { recursive: true });
    fs.writeFileSync(path.join(base, 'home/projects/app/fixtures/bare.git/HEAD'), 'ref: refs/heads/main\n');
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('hides home behind a tmpfs, binds toolchains back, protects .git, scrubs env', () => {
    const home = fs.realpathSync(path.join(base, 'home'));
    const nvmBin = path.join(home, '.nvm/versions/node/v20/bin');
    const hostEnv = { PATH: `${nvmBin}:${path.join(home, '.ssh')}:relative/bin:/usr/bin`, MACS_API_KEY: 'k', OLLAMA_HOST: 'h', LANG: 'de_DE.UTF-8' };
    const sandbox = new BwrapSandbox({ bwrapPath: '/usr/bin/bwrap', version: '0.8.0', features: { unshareUser: true, disableUserns: true }, hostEnv, homeDir: home });
    const ws = path.join(home, 'projects/app');
    const cmd = sandbox.buildCommand({ command: ['node', '-v'], cwd: ws, level: 'workspace-write', env: { CI: '1', GITHUB_TOKEN: 'x' } });
    const joined = cmd.args.join(' ');
    expect(cmd.file).toBe('/usr/bin/bwrap');
    expect(cmd.cwd).toBe(ws);
    expect(joined).toContain(`--tmpfs ${home}`);
    expect(joined).toContain(`--ro-bind-try ${home}/.nvm ${home}/.nvm`);
    expect(joined).not.toContain('.ssh ');
    expect(joined).toContain(`--bind ${ws} ${ws} --ro-bind ${ws}/.git ${ws}/.git`);
    // Every git dir at any depth (a bare-shaped one too), and what the config points at; not node_modules.
    for (const p of ['.husky', 'vendor/lib/.git', 'fixtures/bare.git', 'shared.gitconfig']) expect(joined).toContain(`--ro-bind ${ws}/${p} ${ws}/${p}`);
    expect(joined).not.toContain('node_modules');
    expect(joined.indexOf(`--tmpfs ${home}`)).toBeLessThan(joined.indexOf(`--bind ${ws}`));
    expect(cmd.env.PATH.split(':')).toEqual([nvmBin, '/usr/bin', ...BASE_PATH.filter((d) => d !== '/usr/bin')]);
    expect(cmd.env).toMatchObject({ HOME: home, TMPDIR: '/tmp', LANG: 'de_DE.UTF-8', CI: '1' });
    for (const leaked of ['MACS_API_KEY', 'OLLAMA_HOST', 'GITHUB_TOKEN']) {
      expect(cmd.env[leaked]).toBeUndefined();
      expect(cmd.args).not.toContain(leaked);
    }
  });
});

describe('env scrubbing', () => {
  it('keeps an allowlist, sets the sandbox paths, drops secrets from host and extras', () => {
    const env = scrubbedEnv({
      hostEnv: { LANG: 'C.UTF-8', TERM: 'xterm', JAVA_HOME: '/opt/jdk', MACS_DATA_DIR: '/d', OLLAMA_HOST: 'x', AWS_SECRET_ACCESS_KEY: 's', NPM_TOKEN: 't', SSH_AUTH_SOCK: '/run/ssh', RANDOM_VAR: 'r' },
      home: '/home/u',
      tmp: '/tmp',
      user: 'u',
      path: ['/usr/bin', '/bin'],
      extra: { CI: '1', FORCE_COLOR: '0', MY_API_KEY: 'k', HOME: '/etc', 'BAD-NAME': 'x', MACS_X: 'y', PYTHONPYCACHEPREFIX: '.', PYTEST_ADDOPTS: '-x' },
    });
    expect(env).toEqual({
      LANG: 'C.UTF-8', TERM: 'xterm', JAVA_HOME: '/opt/jdk',
      PATH: '/usr/bin:/bin', HOME: '/home/u', TMPDIR: '/tmp', USER: 'u', LOGNAME: 'u', SHELL: env.SHELL,
      CI: '1', FORCE_COLOR: '0',
      // Tool caches in the private TMPDIR, whatever the caller asks; its pytest options come after.
      PYTHONDONTWRITEBYTECODE: '1', PYTHONPYCACHEPREFIX: '/tmp/macs-cache/pycache', PYTEST_ADDOPTS: '-p no:cacheprovider -x',
      MYPY_CACHE_DIR: '/tmp/macs-cache/mypy', RUFF_CACHE_DIR: '/tmp/macs-cache/ruff',
    });
    expect(env.SHELL).toMatch(/^\/bin\/(ba)?sh$/);
  });

  it('denies the app settings and secret-looking names', () => {
    for (const name of ['MACS_API_KEY', 'OLLAMA_HOST', 'GITHUB_TOKEN', 'GH_TOKEN', 'OPENAI_API_KEY', 'DB_PASSWORD', 'AWS_ACCESS_KEY_ID', 'SSH_AUTH_SOCK', 'XDG_RUNTIME_DIR', 'DBUS_SESSION_BUS_ADDRESS', 'NODE_OPTIONS', 'LD_PRELOAD', 'a=b']) {
      expect(isDeniedEnvName(name), name).toBe(true);
    }
    for (const name of ['CI', 'FORCE_COLOR', 'NODE_ENV', 'JAVA_HOME', 'TERM']) expect(isDeniedEnvName(name), name).toBe(false);
  });

  it('a tty gets a TERM even when the host has none', () => {
    const env = scrubbedEnv({ hostEnv: {}, home: '/h', tmp: '/tmp', user: 'u', path: ['/bin'], tty: true });
    expect(env.TERM).toBe('xterm-256color');
  });

  it('sanitizePath keeps absolute, existing, visible entries, then the base folders', () => {
    const out = sanitizePath(`relative:/usr/bin:/no/such/dir:/usr/bin:/bin`, (d) => d !== '/bin');
    expect(out[0]).toBe('/usr/bin');
    expect(out).not.toContain('relative');
    expect(out).not.toContain('/no/such/dir');
    expect(out.filter((d) => d === '/usr/bin')).toHaveLength(1);
    expect(out).toContain('/bin'); // from BASE_PATH
  });
});

describe('seatbeltProfile (macOS)', () => {
  const sb: SeatbeltPlan = {
    level: 'workspace-write',
    workspace: '/Users/u/projects/app',
    home: '/Users/u',
    privateHome: '/private/var/folders/x/T/macs-sbx-1/home',
    privateTmp: '/private/var/folders/x/T/macs-sbx-1/tmp',
    readOnlyDirs: ['/Users/u/.nvm'],
  };

  /** Parentheses balance outside string literals and regexes: sandbox-exec rejects anything else. */
  function balanced(text: string): boolean {
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === ';') i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
      else if (ch === '"') {
        i++;
        while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      } else if (ch === '(') depth++;
      else if (ch === ')' && --depth < 0) return false;
    }
    return depth === 0;
  }

  it('is deny-by-default and well formed', () => {
    const text = seatbeltProfile(sb);
    expect(text.startsWith('(version 1)\n(deny default)')).toBe(true);
    expect(balanced(text)).toBe(true);
  });

  it('hides the home folder, re-allowing toolchains, the workspace and its private dirs', () => {
    const text = seatbeltProfile(sb);
    const deny = text.indexOf('(deny file-read* (subpath "/Users/u"))');
    const allow = text.indexOf('(allow file-read* (subpath "/Users/u/.nvm") (subpath "/Users/u/projects/app")');
    expect(deny).toBeGreaterThan(text.indexOf('(allow file-read*)'));
    expect(allow).toBeGreaterThan(deny); // later rules win
    expect(text).toContain('(allow file-read-metadata (literal "/Users/u/projects") (literal "/Users/u") (literal "/Users")');
  });

  it('writes: workspace and private dirs; never .git; read-only drops the workspace', () => {
    const text = seatbeltProfile(sb);
    expect(text).toContain(
      '(allow file-write* (subpath "/Users/u/projects/app") (subpath "/private/var/folders/x/T/macs-sbx-1/home") (subpath "/private/var/folders/x/T/macs-sbx-1/tmp"))',
    );
    expect(text.indexOf('(deny file-write* (subpath "/Users/u/projects/app/.git"))')).toBeGreaterThan(text.indexOf('(allow file-write* (subpath "/Users/u/projects/app")'));
    const ro = seatbeltProfile({ ...sb, level: 'read-only' });
    expect(ro).toContain('(allow file-write* (subpath "/private/var/folders/x/T/macs-sbx-1/home") (subpath "/private/var/folders/x/T/macs-sbx-1/tmp"))');
    expect(ro).not.toContain('(allow file-write* (subpath "/Users/u/projects/app")');
  });

  it('no .git may be made at any depth; existing git dirs and hooks paths are never written', () => {
    const text = seatbeltProfile({ ...sb, gitReadOnly: ['/Users/u/projects/app/.husky'] });
    expect(text).toContain('(deny file-write* (regex #"^/Users/u/projects/app/(.*/)?\\.git(/.*)?$"))');
    expect(text).toContain('(deny file-write* (subpath "/Users/u/projects/app/.husky"))');
    const dotted = seatbeltProfile({ ...sb, workspace: '/Users/u/a.b+c' });
    expect(dotted).toContain('(regex #"^/Users/u/a\\.b\\+c/(.*/)?\\.git(/.*)?$")');
    expect(balanced(text)).toBe(true);
  });

  it('hides MACS data dirs wherever they live; a workspace inside one stays readable and writable', () => {
    const text = seatbeltProfile({ ...sb, workspace: '/srv/macs/workspaces/t1', hiddenDirs: ['/srv/macs', '/srv/macs/workspaces/t1/.data'] });
    const deny = text.indexOf('(deny file-read* (subpath "/srv/macs") (subpath "/srv/macs/workspaces/t1/.data"))');
    expect(deny).toBeGreaterThan(0);
    expect(text.indexOf('(allow file-read* (subpath "/srv/macs/workspaces/t1"))')).toBeGreaterThan(deny);
    expect(text).toContain('(allow file-read-metadata (literal "/srv/macs/workspaces") (literal "/srv/macs"))');
    expect(text.lastIndexOf('(deny file-read* (subpath "/srv/macs/workspaces/t1/.data"))')).toBeGreaterThan(text.indexOf('(allow file-read* (subpath "/srv/macs/workspaces/t1"))'));
    expect(text.indexOf('(deny file-write* (subpath "/srv/macs/workspaces/t1/.data"))')).toBeGreaterThan(text.indexOf('(allow file-write* (subpath "/srv/macs/workspaces/t1")'));
    expect(balanced(text)).toBe(true);
  });

  it('no network by default; +net allows IP but still no host Unix sockets', () => {
    const off = seatbeltProfile(sb);
    expect(off).not.toMatch(/\(allow network-outbound \(remote ip/);
    expect(off).not.toContain('(allow network*)');
    expect(off).toContain('(allow network-outbound (remote unix-socket (subpath "/Users/u/projects/app")');
    const on = seatbeltProfile({ ...sb, level: 'workspace-write+net' });
    expect(on).toContain('(allow network-outbound (remote ip "*:*"))');
    expect(on.indexOf('(deny network-outbound (remote ip "localhost:*"))')).toBeGreaterThan(on.indexOf('(allow network-outbound (remote ip "*:*"))'));
    expect(on).not.toContain('(allow network*)');
    expect(on).not.toMatch(/remote unix-socket \(subpath "\/"\)/);
    expect(balanced(on)).toBe(true);
  });

  it('escapes hostile paths into string literals', () => {
    const text = seatbeltProfile({ ...sb, workspace: '/Users/u/a") (allow default) ("' });
    expect(text).toContain('(subpath "/Users/u/a\\") (allow default) (\\"")');
    expect(text).not.toMatch(/^\(allow default\)/m);
    expect(balanced(text)).toBe(true);
  });
});

describe('workspace root', () => {
  it('refuses /, home, an ancestor of home, system folders and relative paths', () => {
    const home = os.homedir();
    for (const cwd of ['/', home, path.dirname(home), '/etc', '/usr/lib', '/proc/self', 'relative']) {
      expect(() => resolveWorkspaceRoot(cwd, home), cwd).toThrow(MacsError);
    }
  });

  it('returns the realpath', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-ws-unit-'));
    const link = `${dir}-link`;
    fs.symlinkSync(dir, link);
    try {
      expect(resolveWorkspaceRoot(link, '/nonexistent-home')).toBe(fs.realpathSync(dir));
    } finally {
      fs.rmSync(link);
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('parsers and output', () => {
  it('parseProcNetUnix: filesystem sockets only, deduplicated, spaces kept', () => {
    const text = [
      'Num       RefCount Protocol Flags    Type St Inode Path',
      '0000000000000000: 00000002 00000000 00010000 0001 01 20921 /run/docker.sock',
      '0000000000000000: 00000002 00000000 00010000 0001 01 20922 @/tmp/.X11-unix/X0',
      '0000000000000000: 00000003 00000000 00000000 0001 03 20923',
      '0000000000000000: 00000002 00000000 00010000 0001 01 20924 /var/lib/my app/s.sock',
      '0000000000000000: 00000002 00000000 00010000 0001 01 20925 /run/docker.sock',
    ].join('\n');
    expect(parseProcNetUnix(text)).toEqual(['/run/docker.sock', '/var/lib/my app/s.sock']);
  });

  it('DenialScanner: known refusals, once each, network only when blocked', () => {
    const seen: string[] = [];
    const scanner = new DenialScanner(true, (l) => seen.push(l));
    scanner.scan("touch: cannot touch '/etc/x': Read-only file system\nall good\ncurl: (7) Failed to connect: Couldn't connect to server\n");
    scanner.scan("touch: cannot touch '/etc/x': Read-only file system\n");
    scanner.scan('bash: /dev/tcp/127.0.0.1/80: Network is unreach');
    scanner.scan('able\n');
    expect(seen).toEqual(["touch: cannot touch '/etc/x': Read-only file system", "curl: (7) Failed to connect: Couldn't connect to server", 'bash: /dev/tcp/127.0.0.1/80: Network is unreachable']);
    const withNet: string[] = [];
    new DenialScanner(false, (l) => withNet.push(l)).scan('Connection refused\n');
    expect(withNet).toEqual([]);
  });

  it('OutputSink: UI cap, hard cap, tail, UTF-8 split across chunks', () => {
    const ui: string[] = [];
    let capped = 0;
    let maxed = 0;
    const sink = new OutputSink({ uiCapBytes: 8, maxBytes: 12, logPath: null, onOutput: (t) => ui.push(t), onUiCapped: () => capped++, onMaxReached: () => maxed++, tailBytes: 4 });
    const euro = Buffer.from('€'); // 3 bytes
    sink.write('stdout', euro.subarray(0, 2));
    sink.write('stdout', Buffer.concat([euro.subarray(2), Buffer.from('abcd')]));
    expect(ui.join('')).toBe('€abcd');
    sink.write('stderr', Buffer.from('efghijkl'));
    expect(capped).toBe(1);
    expect(maxed).toBe(1);
    expect(sink.total).toBe(12);
    expect(ui[ui.length - 1]).toMatch(/output passed 8 B/);
    expect(ui.slice(0, -1).join('')).toBe('€abcde');
    expect(sink.finish()).toBe('fghi'); // 12 bytes kept: €abcd + efghi
  });
});

describe('git guard: what a git config points at', () => {
  it('core.hooksPath (worktree-relative), include and includeIf paths (git-dir-relative), quoted or commented', () => {
    const text = [
      '[core]',
      '\tbare = false',
      '\thooksPath = .husky # husky',
      '[include]',
      '\tpath = "../team.gitconfig"',
      '[includeIf "gitdir:~/work/"]',
      '\tpath = /abs/x.gitconfig',
      '[include]',
      '\tpath = ~/home.gitconfig',
      '[remote "origin"]',
      '\turl = x',
    ].join('\n');
    expect(configPointers(text, '/w/.git', '/w')).toEqual(['/w/.husky', '/w/team.gitconfig', '/abs/x.gitconfig']);
  });
});
