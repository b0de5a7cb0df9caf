import { execFile as execFileCb } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { collectExportFiles, exportWorkspaceZip, type ExportProgress, type SkippedExportFile } from '../../electron/core/export/index.js';

const execFile = promisify(execFileCb);
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

let base: string;
let root: string;
let outDir: string;

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'macs-export-'));
  root = path.join(base, 'project');
  outDir = path.join(base, 'out');
  await mkdir(root);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function put(rel: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

/** Deterministic, compressible-but-not-trivial text. */
function sourceText(bytes: number, seed: number): string {
  let s = '';
  let i = seed;
  while (s.length < bytes) {
    i = (i * 1103515245 + 12345) >>> 0;
    s += `export const value${i % 997} = compute(${i % 89}, "${(i >>> 8).toString(36)}");\n`;
  }
  return s.slice(0, bytes);
}

const BINARY = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01, 0x80, 0x7f]);

/** A project with everything the exporter must include and exclude. */
async function buildProject(): Promise<string[]> {
  await put('.gitignore', 'dist/\n*.log\n!keep.log\n/build\n');
  await put('package.json', '{"name":"demo","scripts":{"test":"vitest"}}\n');
  await put('src/index.ts', 'export {};\n');
  await put('src/util/strings.ts', sourceText(5000, 1));
  await put('assets/logo.png', BINARY);
  await put('assets/noise.bin', randomBytes(300 * 1024)); // read-ahead path, incompressible
  await put('data/big.txt', sourceText(3 * 1024 * 1024 + 17, 2)); // > 1 MB: streamed, deflated in blocks
  await put('data/big-random.bin', randomBytes(2 * 1024 * 1024 + 5)); // streamed, incompressible
  await put('empty.txt', '');
  await put('docs/héllo wörld.md', '# ünïcode ✓\n');
  await put('scripts/run.sh', '#!/bin/sh\necho hi\n');
  await chmod(path.join(root, 'scripts/run.sh'), 0o755);
  await put('keep.log', 'kept by negation\n');
  await put('debug.log', 'ignored\n');
  await put('dist/bundle.js', 'ignored');
  await put('build/out.o', 'ignored (anchored /build)');
  await put('src/build/gen.ts', 'kept: /build is anchored to the root\n');
  await put('node_modules/dep/index.js', 'ignored');
  await put('packages/app/node_modules/dep/index.js', 'ignored at depth');
  await put('packages/app/.gitignore', 'secret.txt\n!important.log\n');
  await put('packages/app/secret.txt', 'ignored by nested .gitignore');
  await put('packages/app/important.log', 're-included by nested .gitignore');
  await put('packages/app/main.ts', 'console.log(1);\n');
  await put('secret.txt', 'the nested rule does not apply at the root');
  await put('.git/HEAD', 'ref: refs/heads/main\n');
  await put('.git/objects/ab/cdef', 'ignored');
  return [
    '.gitignore',
    'assets/logo.png',
    'assets/noise.bin',
    'data/big-random.bin',
    'data/big.txt',
    'docs/héllo wörld.md',
    'empty.txt',
    'keep.log',
    'package.json',
    'packages/app/.gitignore',
    'packages/app/important.log',
    'packages/app/main.ts',
    'scripts/run.sh',
    'secret.txt',
    'src/build/gen.ts',
    'src/index.ts',
    'src/util/strings.ts',
  ];
}

describe('collectExportFiles', () => {
  it('excludes .git, node_modules at any depth and .gitignore matches (root and nested), includes binaries', async () => {
    const expected = await buildProject();
    const files = await collectExportFiles(root);
    expect(files.map((f) => f.path)).toEqual(expected);
    const logo = files.find((f) => f.path === 'assets/logo.png');
    expect(logo).toMatchObject({ size: BINARY.byteLength, absPath: path.join(await import('node:fs/promises').then((m) => m.realpath(root)), 'assets/logo.png') });
  });

  it('skips symlinks that leave the root and symlinked directories; keeps symlinked files that stay inside', async () => {
    await put('real/a.txt', 'aaa');
    const outside = path.join(base, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    await symlink(outside, path.join(root, 'out-dir'));
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'out-file.txt'));
    await symlink(path.join(root, 'real'), path.join(root, 'in-dir'));
    await symlink('real/a.txt', path.join(root, 'in-file.txt'));
    await symlink(path.join(root, 'missing'), path.join(root, 'dangling'));
    await execFile('mkfifo', [path.join(root, 'pipe')]); // reading a FIFO would block the export
    const skipped: SkippedExportFile[] = [];
    const files = await collectExportFiles(root, skipped);
    expect(files.map((f) => f.path)).toEqual(['in-file.txt', 'real/a.txt']);
    expect(files[0].size).toBe(3);
    // Nothing goes missing unexplained: each left-out entry is named with why.
    expect(skipped).toEqual([
      { path: 'dangling', reason: 'symlink_dangling' },
      { path: 'in-dir', reason: 'symlink_directory' },
      { path: 'out-dir', reason: 'symlink_outside' },
      { path: 'out-file.txt', reason: 'symlink_outside' },
      { path: 'pipe', reason: 'special_file' },
    ]);

    // ...and the zip's manifest says the same.
    const result = await exportWorkspaceZip({ root, destPath: path.join(outDir, 'skips.zip') });
    expect(result.skipped).toEqual(skipped);
    const manifest = JSON.parse((await execFile('unzip', ['-p', path.join(outDir, 'skips.zip'), 'manifest.json'])).stdout);
    expect(manifest.skipped).toEqual(skipped);
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(['in-file.txt', 'real/a.txt']);
  });
});

describe('exportWorkspaceZip', () => {
  it('writes a valid zip with every collected file byte-identical, plus a manifest whose hashes match', async () => {
    const expected = await buildProject();
    const destPath = path.join(outDir, 'nested', 'project.zip');
    const progress: ExportProgress[] = [];
    const result = await exportWorkspaceZip({ root, destPath, onProgress: (p) => progress.push(p) });

    // Valid for Info-ZIP.
    const { stdout } = await execFile('unzip', ['-t', destPath]);
    expect(stdout).toMatch(/No errors detected/);
    const listing = (await execFile('unzip', ['-v', destPath])).stdout;
    expect(listing).toMatch(/Defl:N\s+\d+\s+\d+%.*data\/big\.txt/);

    // Result.
    expect(result.destPath).toBe(destPath);
    expect(result.fileCount).toBe(expected.length);
    expect(result.bytes).toBe((await stat(destPath)).size);
    expect(result.manifestPath).toBe('manifest.json');
    expect(await readdir(path.dirname(destPath))).toEqual(['project.zip']); // no .partial left

    // Entries and contents.
    const zip = await JSZip.loadAsync(await readFile(destPath));
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual([...expected, 'manifest.json'].sort());
    for (const rel of expected) {
      const original = await readFile(path.join(root, rel));
      const packed = await zip.file(rel)!.async('nodebuffer');
      expect(packed.equals(original), rel).toBe(true);
    }
    expect(Buffer.from(await zip.file('assets/logo.png')!.async('uint8array'))).toEqual(Buffer.from(BINARY));
    expect((zip.file('scripts/run.sh')!.unixPermissions as number) & 0o777).toBe(0o755);

    // Manifest: sorted, hashes and sizes of the real files, does not list itself.
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(manifest.generatedBy).toBe('MACS Desktop');
    expect(new Date(manifest.createdAt).toISOString()).toBe(manifest.createdAt);
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(expected);
    for (const entry of manifest.files) {
      const original = await readFile(path.join(root, entry.path));
      expect(entry).toEqual({
        path: entry.path,
        size: original.byteLength,
        sha256: sha(original),
        mediaType: expect.stringMatching(/^[a-z]+\/[-+.a-z0-9]+$/),
        // The Unified Orchestrator's names for the same facts.
        size_bytes: original.byteLength,
        media_type: entry.mediaType,
      });
    }
    expect(result.manifest).toEqual(manifest.files);

    // Excluded things really are absent.
    for (const gone of ['debug.log', 'dist/bundle.js', 'build/out.o', 'node_modules/dep/index.js', 'packages/app/secret.txt', '.git/HEAD']) {
      expect(zip.file(gone), gone).toBeNull();
    }

    // Progress: ends with exactly one done, numbers consistent.
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ filesDone: expected.length, fileCount: expected.length, percent: 100, done: true });
    expect(progress.filter((p) => p.done)).toHaveLength(1);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].filesDone).toBeGreaterThanOrEqual(progress[i - 1].filesDone);
      expect(progress[i].percent).toBeGreaterThanOrEqual(progress[i - 1].percent);
    }
  });

  it('throttles progress to about 10 updates per second', async () => {
    for (let i = 0; i < 400; i++) await put(`many/f${i}.txt`, sourceText(2000 + i, i));
    const calls: Array<{ at: number; p: ExportProgress }> = [];
    const started = Date.now();
    await exportWorkspaceZip({ root, destPath: path.join(outDir, 'many.zip'), onProgress: (p) => calls.push({ at: Date.now(), p }) });
    const elapsed = Date.now() - started;
    const intermediate = calls.filter((c) => !c.p.done);
    expect(intermediate.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    for (let i = 1; i < intermediate.length; i++) expect(intermediate[i].at - intermediate[i - 1].at).toBeGreaterThanOrEqual(99);
    expect(calls.at(-1)!.p).toMatchObject({ filesDone: 400, fileCount: 400, done: true });
  });

  it('puts its manifest beside a project manifest.json instead of replacing it', async () => {
    await put('manifest.json', '{"manifest_version":3,"name":"my extension"}');
    await put('background.js', 'chrome.runtime;');
    const destPath = path.join(outDir, 'ext.zip');
    const result = await exportWorkspaceZip({ root, destPath });
    expect(result.manifestPath).toBe('macs-manifest.json');
    const zip = await JSZip.loadAsync(await readFile(destPath));
    expect(await zip.file('manifest.json')!.async('string')).toBe('{"manifest_version":3,"name":"my extension"}');
    const ours = JSON.parse(await zip.file('macs-manifest.json')!.async('string'));
    expect(ours.files.map((f: { path: string }) => f.path)).toEqual(['background.js', 'manifest.json']);
  });

  it('exports an empty workspace as a zip holding only the manifest', async () => {
    const destPath = path.join(outDir, 'empty.zip');
    const result = await exportWorkspaceZip({ root, destPath });
    expect(result).toMatchObject({ fileCount: 0, manifest: [] });
    await execFile('unzip', ['-t', destPath]);
    const zip = await JSZip.loadAsync(await readFile(destPath));
    expect(Object.keys(zip.files)).toEqual(['manifest.json']);
  });

  it('leaves nothing at destPath (and no .partial) when aborted mid-way, and closes its files', async () => {
    for (let i = 0; i < 300; i++) await put(`f/${i}.bin`, randomBytes(8 * 1024));
    await put('f/zz-big.bin', randomBytes(4 * 1024 * 1024));
    const destPath = path.join(outDir, 'aborted.zip');
    await exportWorkspaceZip({ root, destPath: path.join(outDir, 'warmup.zip') }); // let lazily opened handles settle
    await rm(outDir, { recursive: true });
    const openFds = async () => (await readdir('/proc/self/fd').catch(() => [])).length; // Linux; 0 elsewhere
    const fdsBefore = await openFds();

    const controller = new AbortController();
    const err = await exportWorkspaceZip({
      root,
      destPath,
      signal: controller.signal,
      onProgress: (p) => {
        if (!p.done) controller.abort(); // the first report comes with the first bytes read
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('EXPORT_FAILED');
    expect((err as MacsError).details).toMatchObject({ aborted: true });
    await new Promise((resolve) => setTimeout(resolve, 100)); // reads already in flight finish and close
    expect(await readdir(outDir)).toEqual([]);
    expect(await openFds()).toBeLessThanOrEqual(fdsBefore);
  });

  it('fails with EXPORT_FAILED naming the cause when a file disappears mid-export, leaving no file', async () => {
    for (let i = 0; i < 50; i++) await put(`a/${i}.txt`, sourceText(4000, i));
    await put('z/big.bin', randomBytes(2 * 1024 * 1024)); // streamed, so opened only when its turn comes
    const destPath = path.join(outDir, 'vanished.zip');
    let removed = false;
    const err = await exportWorkspaceZip({
      root,
      destPath,
      onProgress: () => {
        if (removed) return;
        removed = true;
        rmSync(path.join(root, 'z/big.bin')); // sync: gone before the export takes another step
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('EXPORT_FAILED');
    expect(String((err as MacsError).details?.cause)).toMatch(/ENOENT.*big\.bin/);
    expect(await readdir(outDir).catch(() => [])).toEqual([]);
  });

  it('stamps pre-1980 files with the earliest DOS date instead of a garbled one', async () => {
    await put('old.txt', 'from 1970');
    const { utimes } = await import('node:fs/promises');
    await utimes(path.join(root, 'old.txt'), 0, 0);
    const destPath = path.join(outDir, 'old.zip');
    await exportWorkspaceZip({ root, destPath });
    const zip = await JSZip.loadAsync(await readFile(destPath));
    expect(zip.file('old.txt')!.date.getUTCFullYear()).toBe(1980);
    await execFile('unzip', ['-t', destPath]);
  });

  it('refuses to start with an already aborted signal', async () => {
    await put('a.txt', 'a');
    const destPath = path.join(outDir, 'never.zip');
    const err = await exportWorkspaceZip({ root, destPath, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((err as MacsError).code).toBe('EXPORT_FAILED');
    await expect(stat(destPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails with EXPORT_FAILED when the destination cannot be written, leaving no partial file', async () => {
    await put('a.txt', 'a');
    await mkdir(outDir);
    await writeFile(path.join(outDir, 'not-a-dir'), 'x');
    const err = await exportWorkspaceZip({ root, destPath: path.join(outDir, 'not-a-dir', 'x.zip') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('EXPORT_FAILED');
    expect(await readdir(outDir)).toEqual(['not-a-dir']);
  });

  it('keeps an earlier export at destPath intact when a new one fails', async () => {
    await put('a.txt', 'version one');
    const destPath = path.join(outDir, 'keep.zip');
    await exportWorkspaceZip({ root, destPath });
    const before = await readFile(destPath);
    const controller = new AbortController();
    await put('b.bin', randomBytes(3 * 1024 * 1024));
    await exportWorkspaceZip({ root, destPath, signal: controller.signal, onProgress: () => controller.abort() }).catch(() => undefined);
    expect((await readFile(destPath)).equals(before)).toBe(true);
    expect(await readdir(outDir)).toEqual(['keep.zip']);
  });
});

describe('export internals', () => {
  it('BlockDeflater output is one valid raw deflate stream across blocks, about as small as one-shot deflate', async () => {
    const { BlockDeflater } = await import('../../electron/core/export/block-deflater.js');
    const zlib = await import('node:zlib');
    const input = Buffer.concat([Buffer.from(sourceText(1_500_000, 7)), randomBytes(200_000), Buffer.from(sourceText(300_000, 8))]);
    const deflater = new BlockDeflater(6);
    const out: Buffer[] = [];
    for (let offset = 0; offset < input.length; offset += 77_777) {
      const piece = deflater.write(input.subarray(offset, offset + 77_777));
      if (piece) out.push(piece);
    }
    out.push(deflater.finish());
    expect(out.length).toBeGreaterThan(3); // really went through several blocks
    const packed = Buffer.concat(out);
    expect(zlib.inflateRawSync(packed).equals(input)).toBe(true);
    expect(packed.length).toBeLessThan(zlib.deflateRawSync(input, { level: 6 }).length * 1.02);
    expect(zlib.inflateRawSync(new BlockDeflater(6).finish()).length).toBe(0); // empty input
  });

  it('ReadAhead returns whole files in order, also when a file grew after it was listed', async () => {
    const { ReadAhead } = await import('../../electron/core/export/read-ahead.js');
    await put('a.txt', 'aaaa');
    await put('big.bin', randomBytes(2 * 1024 * 1024));
    await put('grew.txt', 'now much longer than listed');
    const files = [
      { absPath: path.join(root, 'a.txt'), size: 4 },
      { absPath: path.join(root, 'big.bin'), size: 2 * 1024 * 1024 },
      { absPath: path.join(root, 'grew.txt'), size: 3 },
    ];
    const ahead = new ReadAhead(files, { maxFileBytes: 1024 * 1024 });
    ahead.start();
    expect(ahead.covers(1)).toBe(false);
    expect((await ahead.take(0)).toString()).toBe('aaaa');
    expect((await ahead.take(2)).toString()).toBe('now much longer than listed');
  });
});
