// Shared by the retrieval tests: the fixture repository as {path, content}[].
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../../electron/core/retrieval/index.js';

export const FIXTURE_REPO = path.resolve(__dirname, '../fixtures/retrieval-repo');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

export function loadFixtureRepo(): SourceFile[] {
  return walk(FIXTURE_REPO)
    .map((full) => ({ path: path.relative(FIXTURE_REPO, full).split(path.sep).join('/'), content: readFileSync(full, 'utf8') }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** A rough tokens-per-character count, the same for every test so budgets are predictable. */
export const approxTokens = (text: string) => Math.ceil(text.length / 4);
