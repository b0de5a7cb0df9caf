import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWorkspaceFolder, systemFolderRefusal, workspaceFolderError, type WorkspaceFolderFs } from '../../electron/core/project-folder/checks/index.js';

let tmp: string;
let home: string;
const linux = () => ({ home, platform: 'linux' as const });

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'macs-wsfolder-')));
  home = path.join(tmp, 'home', 'ada');
  await mkdir(path.join(home, 'code', 'app'), { recursive: true });
  await mkdir(path.join(tmp, 'work', 'project'), { recursive: true });
  await writeFile(path.join(home, 'code', 'notes.txt'), 'not a folder');
  await symlink('/etc', path.join(tmp, 'link-to-etc'));
  await symlink('/etc/ssl', path.join(tmp, 'link-into-etc'));
  await symlink(path.join(home, 'code', 'app'), path.join(tmp, 'link-to-app'));
  await symlink(path.join(tmp, 'loop-b'), path.join(tmp, 'loop-a'));
  await symlink(path.join(tmp, 'loop-a'), path.join(tmp, 'loop-b'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('checkWorkspaceFolder on this machine', () => {
  it('accepts a project folder and returns its real path', async () => {
    expect(await checkWorkspaceFolder(path.join(home, 'code', 'app'), linux())).toEqual({ ok: true, realPath: path.join(home, 'code', 'app') });
    expect(await checkWorkspaceFolder(`${path.join(home, 'code', 'app')}/`, linux())).toEqual({ ok: true, realPath: path.join(home, 'code', 'app') });
    expect(await checkWorkspaceFolder(path.join(tmp, 'work', 'project'), linux())).toEqual({ ok: true, realPath: path.join(tmp, 'work', 'project') });
  });

  it('follows a link to a project folder', async () => {
    expect(await checkWorkspaceFolder(path.join(tmp, 'link-to-app'), linux())).toEqual({ ok: true, realPath: path.join(home, 'code', 'app') });
  });

  it('refuses the home folder itself but not a folder inside it', async () => {
    expect(await checkWorkspaceFolder(home, linux())).toEqual({ ok: false, code: 'HOME_FOLDER', reason: `${home} is your home folder; open a project folder inside it instead.` });
    expect((await checkWorkspaceFolder(path.join(home, 'code'), linux())).ok).toBe(true);
  });

  it('refuses a folder that contains the home folder', async () => {
    const r = await checkWorkspaceFolder(path.join(tmp, 'home'), linux());
    expect(r).toMatchObject({ ok: false, code: 'HOME_FOLDER', reason: expect.stringContaining('contains your home folder') });
  });

  it.each(['/', '/etc', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/var', '/proc', '/sys', '/dev', '/boot', '/root', '/home'])('refuses %s', async (folder) => {
    const r = await checkWorkspaceFolder(folder, linux());
    expect(r).toMatchObject({ ok: false, code: 'SYSTEM_FOLDER' });
    if (!r.ok) expect(r.reason).toMatch(new RegExp(`^${folder.replace(/[/+]/g, '\\$&')} is .*; open a project folder instead\\.$`));
  });

  it('says it plainly', async () => {
    expect(await checkWorkspaceFolder('/etc', linux())).toEqual({ ok: false, code: 'SYSTEM_FOLDER', reason: '/etc is a system folder; open a project folder instead.' });
    expect(await checkWorkspaceFolder('/', linux())).toEqual({ ok: false, code: 'SYSTEM_FOLDER', reason: '/ is the root of the file system; open a project folder instead.' });
    expect(await checkWorkspaceFolder('/etc/ssl', linux())).toEqual({ ok: false, code: 'SYSTEM_FOLDER', reason: '/etc/ssl is inside /etc, a system folder; open a project folder instead.' });
  });

  it('refuses a symlink that resolves to a system folder or into one', async () => {
    const link = path.join(tmp, 'link-to-etc');
    expect(await checkWorkspaceFolder(link, linux())).toEqual({
      ok: false,
      code: 'SYSTEM_FOLDER',
      reason: `${link} is a link to /etc: /etc is a system folder; open a project folder instead.`,
    });
    expect(await checkWorkspaceFolder(path.join(tmp, 'link-into-etc'), linux())).toMatchObject({ ok: false, code: 'SYSTEM_FOLDER', reason: expect.stringContaining('is inside /etc') });
  });

  it('refuses a file, a missing path, a link loop, a relative path and an empty one', async () => {
    const file = path.join(home, 'code', 'notes.txt');
    expect(await checkWorkspaceFolder(file, linux())).toEqual({ ok: false, code: 'NOT_A_DIRECTORY', reason: `${file} is a file, not a folder; open the folder that contains your project.` });
    const missing = path.join(tmp, 'nope');
    expect(await checkWorkspaceFolder(missing, linux())).toEqual({ ok: false, code: 'NOT_FOUND', reason: `${missing} does not exist.` });
    expect(await checkWorkspaceFolder(path.join(file, 'below'), linux())).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await checkWorkspaceFolder(path.join(tmp, 'loop-a'), linux())).toMatchObject({ ok: false, code: 'NOT_FOUND', reason: expect.stringContaining('loop') });
    expect(await checkWorkspaceFolder('code/app', linux())).toMatchObject({ ok: false, code: 'NOT_ABSOLUTE' });
    expect(await checkWorkspaceFolder('  ', linux())).toMatchObject({ ok: false, code: 'INVALID_PATH' });
    expect(await checkWorkspaceFolder('/tmp/a\0b', linux())).toMatchObject({ ok: false, code: 'INVALID_PATH' });
  });

  it.skipIf(process.getuid?.() === 0)('refuses a folder it cannot list (skipped as root, who can list anything)', async () => {
    const locked = path.join(tmp, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o000);
    try {
      expect(await checkWorkspaceFolder(locked, linux())).toMatchObject({ ok: false, code: 'NOT_READABLE' });
    } finally {
      await chmod(locked, 0o755);
    }
  });

  it('refuses a folder it cannot list (permission error injected)', async () => {
    const fs: WorkspaceFolderFs = {
      realpath: async (p) => p,
      stat: async () => ({ isDirectory: () => true }),
      canList: async () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    };
    expect(await checkWorkspaceFolder('/srv/app', { home: '/home/ada', platform: 'linux', fs })).toEqual({
      ok: false,
      code: 'NOT_READABLE',
      reason: '/srv/app cannot be opened: permission denied.',
    });
  });

  it('refuses reserved folders such as its own data folder', async () => {
    const dataDir = path.join(home, '.macs-data');
    await mkdir(path.join(dataDir, 'workspaces', 'x'), { recursive: true });
    const r = await checkWorkspaceFolder(path.join(dataDir, 'workspaces', 'x'), { ...linux(), reserved: [{ path: dataDir, what: "MACS's data folder" }] });
    expect(r).toEqual({ ok: false, code: 'SYSTEM_FOLDER', reason: `${path.join(dataDir, 'workspaces', 'x')} is inside ${dataDir}, MACS's data folder; open a project folder instead.` });
  });
});

describe('systemFolderRefusal, Linux rules', () => {
  const ctx = { home: '/home/ada', platform: 'linux' };
  it.each(['/usr/local/src/kernel-module', '/usr/src/linux', '/var/www/site', '/var/tmp/build', '/opt/project', '/srv/app', '/tmp/x', '/home/ada/code', '/data/repo', '/library'])('allows %s', (p) => {
    expect(systemFolderRefusal(p, ctx)).toBeNull();
  });
  it.each(['/usr/local', '/usr/share/doc', '/var/lib/docker', '/lib32', '/libx32', '/run/user/1000', '/root/project', '/opt', '/mnt', '/tmp'])('refuses %s', (p) => {
    expect(systemFolderRefusal(p, ctx)?.code).toBe('SYSTEM_FOLDER');
  });
  it("/root is refused as someone else's home, but is the home when home is /root", () => {
    expect(systemFolderRefusal('/root', ctx)?.reason).toBe("/root is the administrator's home folder; open a project folder instead.");
    expect(systemFolderRefusal('/root', { home: '/root', platform: 'linux' })?.code).toBe('HOME_FOLDER');
    expect(systemFolderRefusal('/root/project', { home: '/root', platform: 'linux' })).toBeNull();
  });
  it('inside a home that lives in a system-like place, only the home rules apply', () => {
    expect(systemFolderRefusal('/var/lib/jenkins/workspace/app', { home: '/var/lib/jenkins', platform: 'linux' })).toBeNull();
    expect(systemFolderRefusal('/var/lib/jenkins', { home: '/var/lib/jenkins', platform: 'linux' })?.code).toBe('HOME_FOLDER');
  });
});

describe('systemFolderRefusal, macOS rules', () => {
  const ctx = { home: '/Users/ada', platform: 'darwin' };
  it.each([
    ['/System', 'SYSTEM_FOLDER'],
    ['/System/Library/CoreServices', 'SYSTEM_FOLDER'],
    ['/Library', 'SYSTEM_FOLDER'],
    ['/Library/Application Support', 'SYSTEM_FOLDER'],
    ['/Applications', 'SYSTEM_FOLDER'],
    ['/Applications/Xcode.app', 'SYSTEM_FOLDER'],
    ['/Users', 'SYSTEM_FOLDER'],
    ['/private/etc', 'SYSTEM_FOLDER'],
    ['/private/var/db', 'SYSTEM_FOLDER'],
    ['/etc', 'SYSTEM_FOLDER'],
    ['/system/library', 'SYSTEM_FOLDER'], // case-insensitive file system
    ['/Users/ada', 'HOME_FOLDER'],
    ['/users/ADA', 'HOME_FOLDER'],
    ['/Users/ada/Library/Mail', 'SYSTEM_FOLDER'],
  ])('refuses %s', (p, code) => {
    expect(systemFolderRefusal(p, ctx)?.code).toBe(code);
  });
  it.each(['/Users/ada/code/app', '/Users/ada/Library-notes', '/Volumes/External/projects/app', '/private/var/folders/xy/T/macs-1', '/var/folders/xy/T/macs-1', '/opt/homebrew-tap'])('allows %s', (p) => {
    expect(systemFolderRefusal(p, ctx)).toBeNull();
  });
});

describe('systemFolderRefusal, Windows rules', () => {
  const ctx = { home: 'C:\\Users\\ada', platform: 'win32' };
  it.each([
    ['C:\\', 'C:\\ is the root of a drive; open a project folder instead.'],
    ['D:\\', 'D:\\ is the root of a drive; open a project folder instead.'],
    ['C:\\Windows', 'C:\\Windows is a system folder; open a project folder instead.'],
    ['c:\\windows\\system32', 'c:\\windows\\system32 is inside C:\\Windows, a system folder; open a project folder instead.'],
    ['C:\\Program Files\\App', 'C:\\Program Files\\App is inside C:\\Program Files, a system folder; open a project folder instead.'],
    ['C:\\Program Files (x86)', 'C:\\Program Files (x86) is a system folder; open a project folder instead.'],
    ['C:\\ProgramData\\Thing', 'C:\\ProgramData\\Thing is inside C:\\ProgramData, a system folder; open a project folder instead.'],
    ['C:\\Users', 'C:\\Users is the folder of all user accounts; open a project folder instead.'],
    ['C:\\Users\\ada', 'C:\\Users\\ada is your home folder; open a project folder inside it instead.'],
    ['C:\\Users\\ada\\AppData\\Roaming\\x', "C:\\Users\\ada\\AppData\\Roaming\\x is inside C:\\Users\\ada\\AppData, your account's AppData folder; open a project folder instead."],
    ['\\\\server\\share', '\\\\server\\share is the root of a network share; open a project folder instead.'],
  ])('refuses %s', (p, reason) => {
    expect(systemFolderRefusal(p, ctx)?.reason).toBe(reason);
  });
  it.each(['C:\\Users\\ada\\code\\app', 'D:\\work\\repo', 'C:\\src\\project', '\\\\server\\share\\team\\repo'])('allows %s', (p) => {
    expect(systemFolderRefusal(p, ctx)).toBeNull();
  });

  it('checkWorkspaceFolder speaks Windows paths, including a junction into C:\\Windows', async () => {
    const links: Record<string, string> = { 'C:\\Users\\ada\\winlink': 'C:\\Windows\\System32' };
    const fs: WorkspaceFolderFs = {
      realpath: async (p) => links[p] ?? p,
      stat: async () => ({ isDirectory: () => true }),
      canList: async () => undefined,
    };
    const win = { home: 'C:\\Users\\ada', platform: 'win32', fs };
    expect(await checkWorkspaceFolder('C:\\Users\\ada\\code\\app', win)).toEqual({ ok: true, realPath: 'C:\\Users\\ada\\code\\app' });
    expect(await checkWorkspaceFolder('C:/Users/ada/code/app', win)).toEqual({ ok: true, realPath: 'C:\\Users\\ada\\code\\app' });
    expect(await checkWorkspaceFolder('C:\\Users\\ada\\winlink', win)).toMatchObject({ ok: false, code: 'SYSTEM_FOLDER', reason: expect.stringMatching(/^C:\\Users\\ada\\winlink is a link to C:\\Windows\\System32: /) });
    expect(await checkWorkspaceFolder('\\code\\app', win)).toMatchObject({ ok: false, code: 'NOT_ABSOLUTE' });
    expect(await checkWorkspaceFolder('C:', win)).toMatchObject({ ok: false, code: 'NOT_ABSOLUTE' });
  });
});

describe('workspaceFolderError', () => {
  it('maps a refusal to the error that crosses the contract, keeping the precise code in details', () => {
    const missing = workspaceFolderError({ ok: false, code: 'NOT_FOUND', reason: '/x does not exist.' }, '/x');
    expect(missing.toPayload()).toEqual({ code: 'FILE_NOT_FOUND', message: '/x does not exist.', details: { path: '/x', refusal: 'NOT_FOUND' } });
    const system = workspaceFolderError({ ok: false, code: 'SYSTEM_FOLDER', reason: '/etc is a system folder; open a project folder instead.' }, '/etc');
    expect(system.code).toBe('INVALID_INPUT');
    expect(system.details).toEqual({ path: '/etc', refusal: 'SYSTEM_FOLDER' });
  });
});
