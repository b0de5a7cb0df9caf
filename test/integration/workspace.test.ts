import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { nodeWriteFs, Workspace, type WriteFs } from '../../electron/core/project-folder/guard/index.js';

let base: string; // holds the workspace root and an "outside" sibling directory
let ws: Workspace;
let outsideDir: string;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'macs-ws-'));
  outsideDir = path.join(base, 'outside');
  await mkdir(outsideDir);
  ws = await Workspace.open(path.join(base, 'root', 'nested')); // also checks mkdir -p
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function expectRefused(promise: Promise<unknown>, code = 'PATH_OUTSIDE_WORKSPACE'): Promise<MacsError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MacsError);
  expect((err as MacsError).code).toBe(code);
  return err as MacsError;
}

const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('Workspace.writeFile', () => {
  it('creates nested directories and returns size and sha256 of what was written', async () => {
    const result = await ws.writeFile('src/lib/deep/util.ts', 'export const x = "é";\n');
    expect(result.path).toBe('src/lib/deep/util.ts');
    const onDisk = await readFile(path.join(ws.root, 'src/lib/deep/util.ts'));
    expect(result.size).toBe(onDisk.byteLength);
    expect(result.size).toBe(Buffer.byteLength('export const x = "é";\n'));
    expect(result.sha256).toBe(sha(onDisk));
  });

  it('normalises the path it reports', async () => {
    const result = await ws.writeFile('./a//b/../c.txt', 'x');
    expect(result.path).toBe('a/c.txt');
    expect(await readFile(path.join(ws.root, 'a/c.txt'), 'utf8')).toBe('x');
  });

  it('replaces atomically: new content in place, no temp files left behind, mode kept', async () => {
    await ws.writeFile('run.sh', 'echo old\n');
    const { chmod, stat } = await import('node:fs/promises');
    await chmod(path.join(ws.root, 'run.sh'), 0o755);
    await ws.writeFile('run.sh', new Uint8Array([0x65, 0x63, 0x68, 0x6f, 0x0a]));
    expect(await readFile(path.join(ws.root, 'run.sh'), 'utf8')).toBe('echo\n');
    expect((await stat(path.join(ws.root, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readdir(ws.root)).toEqual(['run.sh']);
  });

  it('goes through a temp file in the same directory and renames it', async () => {
    const calls: string[] = [];
    const spy: WriteFs = {
      writeTemp: async (tmp, data, mode) => {
        calls.push(`temp:${path.relative(ws.root, tmp)}`);
        await nodeWriteFs.writeTemp(tmp, data, mode);
      },
      rename: async (from, to) => {
        // At rename time the old content is still the visible one.
        calls.push(`rename:${await readFile(to, 'utf8').catch(() => '<none>')}`);
        await nodeWriteFs.rename(from, to);
      },
    };
    const spied = await Workspace.open(ws.root, { fs: spy });
    await spied.writeFile('dir/f.txt', 'one');
    await spied.writeFile('dir/f.txt', 'two');
    expect(calls[0]).toMatch(/^temp:dir\/\.f\.txt\.macs-tmp-[0-9a-f]+$/);
    expect(calls[1]).toBe('rename:<none>');
    expect(calls[3]).toBe('rename:one');
    expect(await readFile(path.join(ws.root, 'dir/f.txt'), 'utf8')).toBe('two');
  });

  it('refuses ../ escapes, absolute paths, drive letters and .git internals', async () => {
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:\\x', '\\\\server\\share\\x', '.git/hooks/pre-commit']) {
      const err = await expectRefused(ws.writeFile(bad, 'x'));
      expect(err.details?.path).toBe(bad);
      expect(typeof err.details?.reason).toBe('string');
    }
    expect(await readdir(ws.root)).toEqual([]);
    expect(await readdir(path.dirname(ws.root))).toEqual(['nested']);
  });

  it('refuses writing through a symlinked directory that points outside', async () => {
    await symlink(outsideDir, path.join(ws.root, 'outside'));
    const err = await expectRefused(ws.writeFile('outside/x', 'pwned'));
    expect(err.details).toMatchObject({ path: 'outside/x' });
    expect(String(err.details?.reason)).toMatch(/symlink/);
    await expectRefused(ws.writeFile('outside/new/dir/x', 'pwned'));
    expect(await readdir(outsideDir)).toEqual([]);
  });

  it('refuses the classic `ln -s /tmp outside` too', async () => {
    await symlink(os.tmpdir(), path.join(ws.root, 'outside'));
    const name = `macs-ws-escape-${process.pid}-${Date.now()}`;
    await expectRefused(ws.writeFile(`outside/${name}`, 'pwned'));
    await expect(lstat(path.join(os.tmpdir(), name))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses writing and reading through a symlinked file that points outside, and leaves the target alone', async () => {
    const secret = path.join(outsideDir, 'secret.txt');
    await writeFile(secret, 'secret');
    await symlink(secret, path.join(ws.root, 'link.txt'));
    await expectRefused(ws.writeFile('link.txt', 'overwritten'));
    await expectRefused(ws.readFile('link.txt'));
    expect(await readFile(secret, 'utf8')).toBe('secret');
    expect((await lstat(path.join(ws.root, 'link.txt'))).isSymbolicLink()).toBe(true);
  });

  it('refuses a dangling symlink (a later mkdir/open could follow it anywhere)', async () => {
    await symlink(path.join(outsideDir, 'not-yet'), path.join(ws.root, 'dangling'));
    await expectRefused(ws.writeFile('dangling', 'x'));
    await expectRefused(ws.writeFile('dangling/child.txt', 'x'));
    expect(await readdir(outsideDir)).toEqual([]);
  });

  it('accepts symlinks that resolve inside the workspace', async () => {
    await ws.writeFile('real/dir/file.txt', 'v1');
    await symlink(path.join(ws.root, 'real/dir'), path.join(ws.root, 'alias'));
    await symlink('real/dir/file.txt', path.join(ws.root, 'file-link.txt')); // relative target
    expect(await ws.resolveInside('alias/file.txt')).toBe(path.join(ws.root, 'real/dir/file.txt'));

    await ws.writeFile('alias/new.txt', 'via dir link');
    expect(await readFile(path.join(ws.root, 'real/dir/new.txt'), 'utf8')).toBe('via dir link');

    await ws.writeFile('file-link.txt', 'v2');
    expect(await readFile(path.join(ws.root, 'real/dir/file.txt'), 'utf8')).toBe('v2');
    expect(await readlink(path.join(ws.root, 'file-link.txt'))).toBe('real/dir/file.txt'); // link kept
    expect((await ws.readFile('file-link.txt')).content).toBe('v2');
  });

  it('maps ENOSPC to DISK_FULL, removes the temp file and keeps the previous version', async () => {
    await ws.writeFile('big/data.json', '{"v":1}');
    const full: WriteFs = {
      // Really writes part of the temp file, then fails the way a full disk does.
      writeTemp: async (tmp, data, mode) => {
        await nodeWriteFs.writeTemp(tmp, data.subarray(0, 3), mode);
        throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      },
      rename: nodeWriteFs.rename,
    };
    const fullWs = await Workspace.open(ws.root, { fs: full });
    const err = await expectRefused(fullWs.writeFile('big/data.json', '{"v":2,"much":"more"}'), 'DISK_FULL');
    expect(err.message).toContain('big/data.json');
    expect(err.details).toMatchObject({ path: 'big/data.json', errno: 'ENOSPC' });
    expect(await readdir(path.join(ws.root, 'big'))).toEqual(['data.json']);
    expect(await readFile(path.join(ws.root, 'big/data.json'), 'utf8')).toBe('{"v":1}');
  });

  it('maps EDQUOT on rename to DISK_FULL as well, and passes other errors through with context', async () => {
    const quota: WriteFs = {
      writeTemp: nodeWriteFs.writeTemp,
      rename: async () => {
        throw Object.assign(new Error('EDQUOT: disk quota exceeded, rename'), { code: 'EDQUOT' });
      },
    };
    await expectRefused((await Workspace.open(ws.root, { fs: quota })).writeFile('q.txt', 'x'), 'DISK_FULL');
    expect(await readdir(ws.root)).toEqual([]);

    const broken: WriteFs = {
      writeTemp: async () => {
        throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
      },
      rename: nodeWriteFs.rename,
    };
    const err = await (await Workspace.open(ws.root, { fs: broken })).writeFile('io.txt', 'x').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(MacsError);
    expect((err as NodeJS.ErrnoException).code).toBe('EIO');
    expect((err as Error).message).toContain('io.txt');
  });
});

describe('Workspace.readFile', () => {
  it('returns text content and size', async () => {
    await ws.writeFile('a.md', '\uFEFF# Title ✓\n');
    const result = await ws.readFile('a.md');
    expect(result).toEqual({ path: 'a.md', size: Buffer.byteLength('\uFEFF# Title ✓\n'), binary: false, content: '\uFEFF# Title ✓\n' });
  });

  it('detects binary by NUL byte and by invalid UTF-8, and gives content null', async () => {
    await ws.writeFile('zero.bin', new Uint8Array([0x68, 0x69, 0x00, 0x21]));
    await ws.writeFile('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x21])); // "café !" in latin-1
    await ws.writeFile('png.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    for (const p of ['zero.bin', 'latin1.txt', 'png.png']) {
      const r = await ws.readFile(p);
      expect(r.binary, p).toBe(true);
      expect(r.content, p).toBeNull();
    }
  });

  it('does not call text binary because a multi-byte character straddles the 8 KB sniff window', async () => {
    const text = 'a'.repeat(8191) + 'é'.repeat(10); // é is 2 bytes: the first one occupies bytes 8191-8192, across the 8 KB edge
    await ws.writeFile('straddle.txt', text);
    await ws.writeFile('straddle2.txt', 'b'.repeat(8190) + '€'.repeat(5)); // € is 3 bytes
    expect((await ws.readFile('straddle.txt')).content).toBe(text);
    expect((await ws.readFile('straddle2.txt')).binary).toBe(false);
  });

  it('refuses files over maxBytes with FILE_TOO_LARGE and missing files with FILE_NOT_FOUND', async () => {
    await ws.writeFile('big.txt', 'x'.repeat(2000));
    const err = await expectRefused(ws.readFile('big.txt', 1000), 'FILE_TOO_LARGE');
    expect(err.details).toMatchObject({ path: 'big.txt', size: 2000, maxBytes: 1000 });
    expect((await ws.readFile('big.txt', 2000)).size).toBe(2000);
    await expectRefused(ws.readFile('nope.txt'), 'FILE_NOT_FOUND');
    await expectRefused(ws.readFile('big.txt/child'), 'FILE_NOT_FOUND');
    await ws.writeFile('d/x', '');
    await expectRefused(ws.readFile('d'), 'FILE_NOT_FOUND');
    await expectRefused(ws.readFile('../outside/x'));
  });
});

describe('Workspace.listFiles', () => {
  it('lists recursively with sorted POSIX paths, skipping .git and node_modules at any depth', async () => {
    await ws.writeFile('src/index.ts', '1');
    await ws.writeFile('README.md', '22');
    await ws.writeFile('src/a/b.ts', '333');
    await ws.writeFile('node_modules/dep/index.js', 'x');
    await ws.writeFile('packages/p/node_modules/dep/index.js', 'x');
    await ws.writeFile('packages/p/package.json', '{}');
    await mkdir(path.join(ws.root, '.git/objects'), { recursive: true });
    await writeFile(path.join(ws.root, '.git/objects/abc'), 'x');
    await mkdir(path.join(ws.root, 'sub/.git'), { recursive: true });
    await writeFile(path.join(ws.root, 'sub/.git/HEAD'), 'x');
    await ws.writeFile('.gitignore', 'dist\n'); // dotfiles are listed
    expect(await ws.listFiles()).toEqual([
      { path: '.gitignore', size: 5 },
      { path: 'README.md', size: 2 },
      { path: 'packages/p/package.json', size: 2 },
      { path: 'src/a/b.ts', size: 3 },
      { path: 'src/index.ts', size: 1 },
    ]);
  });

  it('does not follow symlinks out; lists symlinked files that resolve inside; never descends symlinked dirs', async () => {
    await writeFile(path.join(outsideDir, 'secret.txt'), 'secret');
    await ws.writeFile('real/a.txt', 'aaaa');
    await symlink(outsideDir, path.join(ws.root, 'out-dir'));
    await symlink(path.join(outsideDir, 'secret.txt'), path.join(ws.root, 'out-file.txt'));
    await symlink(path.join(ws.root, 'real'), path.join(ws.root, 'in-dir'));
    await symlink(path.join(ws.root, 'real/a.txt'), path.join(ws.root, 'in-file.txt'));
    await symlink(ws.root, path.join(ws.root, 'real/loop')); // a cycle must not hang the walk
    expect(await ws.listFiles()).toEqual([
      { path: 'in-file.txt', size: 4 },
      { path: 'real/a.txt', size: 4 },
    ]);
  });
});

describe('Workspace errors', () => {
  it('gives fs errors outside the write itself the path as context (file where a directory is needed)', async () => {
    await ws.writeFile('a.txt', 'file');
    const err = await ws.writeFile('a.txt/b.txt', 'x').catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(MacsError);
    expect(['ENOTDIR', 'EEXIST']).toContain((err as NodeJS.ErrnoException).code);
    expect((err as Error).message).toContain('a.txt/b.txt');
    expect(await readFile(path.join(ws.root, 'a.txt'), 'utf8')).toBe('file');
  });
});
