// Unified diff text for the API (what a script or `patch` reads), made by `git diff
// --no-index` on two temporary files: git is already what MACS keeps versions with, and
// its diff is the one developers know. Without git, or for a side too large, there is no text.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A side larger than this gets no diff text (the API still says what changed). */
const DIFF_TEXT_MAX_BYTES = 1024 * 1024;

function gitDiff(before: string, after: string): Promise<string | null> {
  return new Promise((resolve) => {
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull, LC_ALL: 'C' };
    execFile('git', ['diff', '--no-index', '--no-color', '--no-ext-diff', '--text', '-U3', '--', before, after], { env, maxBuffer: 16 * DIFF_TEXT_MAX_BYTES }, (err, stdout) => {
      // 1: the files differ (the usual answer); 0: they do not; anything else: no text.
      const code: unknown = err ? (err as { code?: unknown }).code : 0;
      resolve(code === 0 || code === 1 ? stdout : null);
    });
  });
}

/**
 * `--- a/path` / `+++ b/path` and the hunks; "" when both sides are the same; null when
 * there is no text to show (too large, or git could not run). null for a side: the file
 * did not exist on that side.
 */
export async function unifiedDiff(filePath: string, before: string | null, after: string | null): Promise<string | null> {
  if (Buffer.byteLength(before ?? '') > DIFF_TEXT_MAX_BYTES || Buffer.byteLength(after ?? '') > DIFF_TEXT_MAX_BYTES) return null;
  if (before === after) return '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-diff-'));
  try {
    const side = (name: string, text: string | null) => {
      if (text === null) return os.devNull;
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    };
    const out = await gitDiff(side('before', before), side('after', after));
    if (out === null) return null;
    const hunks = out.indexOf('\n@@');
    if (hunks < 0) return '';
    return `--- ${before === null ? '/dev/null' : `a/${filePath}`}\n+++ ${after === null ? '/dev/null' : `b/${filePath}`}${out.slice(hunks)}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
