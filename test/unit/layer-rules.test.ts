import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The layer arrows of DESIGN.md, enforced by eslint.config.js: prove each rule bites.
const eslint = new ESLint({ cwd: path.resolve(__dirname, '../..') });

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('layer rules', () => {
  it.each([
    ['shared/probe.ts', "import fs from 'node:fs'; export const a = fs;"],
    ['shared/probe.ts', "import { x } from '../electron/core/db/index.js'; export const a = x;"],
    ['shared/probe.ts', "import React from 'react'; export const a = React;"],
    ['electron/core/probe/probe.ts', "import { app } from 'electron'; export const a = app;"],
    ['electron/core/probe/probe.ts', "import { startServer } from '../../server/index.js'; export const a = startServer;"],
    ['electron/server/probe.ts', "import { app } from 'electron'; export const a = app;"],
    ['renderer/src/probe.ts', "import Database from 'better-sqlite3'; export const a = Database;"],
    ['renderer/src/probe.ts', "import { openDatabase } from '../../electron/core/db/index.js'; export const a = openDatabase;"],
    ['renderer/src/probe.ts', "import path from 'node:path'; export const a = path;"],
  ])('%s may not: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toBeGreaterThan(0);
  });

  it.each([
    ['renderer/src/probe.ts', "import { methods } from '../../shared/index.js'; export const a = methods;"],
    ['electron/core/probe/probe.ts', "import fs from 'node:fs'; export const a = fs;"],
    ['electron/probe.ts', "import { app } from 'electron'; export const a = app;"],
  ])('%s may: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toBe(0);
  });
});
