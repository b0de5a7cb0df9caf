// What a turn changed in a folder, and taking it back: the changes (with diff text),
// revert or accept one file, undo the whole turn. Until now the UI's only.
import { z } from 'zod';
import type { FileChange } from '../../../shared/index.js';
import { fieldErrors } from '../../../shared/index.js';
import { unifiedDiff } from './diff-text.js';
import { call, type RestEngine } from './engine-api.js';
import { invalidInput, readJsonBody, readOptionalJsonBody, sendJson } from './http.js';
import { changeView } from './project-view.js';
import type { Route } from './router.js';

/** Files given diff text in one answer; the rest still say what changed (diff: null). */
const DIFFS_PER_ANSWER = 200;

export const PathBody = z.object({ path: z.string().min(1).max(4096) }).strict();

async function readPathBody(req: Parameters<Route['handle']>[0]['req'], action: string): Promise<string> {
  const parsed = PathBody.safeParse(await readJsonBody(req));
  if (!parsed.success) throw invalidInput(`Say which file to ${action}, e.g. {"path": "src/main.py"}.`, fieldErrors(parsed.error.issues));
  return parsed.data.path;
}

/** Text of the file's two sides, or null when either side is binary or cannot be read as text. */
async function diffOf(engine: RestEngine, taskId: string, root: string, change: FileChange): Promise<string | null> {
  if (change.status === 'unchanged') return '';
  const before = change.before === null ? null : await call(engine, 'tasks.fileBefore', { taskId, path: change.path });
  if (before && (before.binary || before.content === null)) return null;
  let after: string | null = null;
  if (change.after !== null) {
    const read = await call(engine, 'workspaces.read', { root, path: change.path }).catch(() => null);
    if (!read || read.binary || read.content === null) return null;
    after = read.content;
  }
  return unifiedDiff(change.path, before?.content ?? null, after);
}

export function taskChangeRoutes(engine: RestEngine): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/tasks/:id/changes',
      access: 'read',
      async handle({ res, params }) {
        const { task } = await call(engine, 'tasks.get', { taskId: params.id });
        const { changes, backend } = await call(engine, 'tasks.changes', { taskId: task.id });
        const views = [];
        for (const [i, c] of changes.entries()) views.push(changeView(c, i < DIFFS_PER_ANSWER ? await diffOf(engine, task.id, task.workspacePath, c) : null));
        sendJson(res, 200, { task_id: task.id, backend, changes: views });
      },
    },
    {
      method: 'POST',
      pattern: '/v1/tasks/:id/revert',
      access: 'write',
      async handle({ req, res, params }) {
        const file = await readPathBody(req, 'revert');
        const { changes } = await call(engine, 'tasks.revertFile', { taskId: params.id, path: file });
        sendJson(res, 200, { task_id: params.id, changes: changes.map((c) => changeView(c, null)) });
      },
    },
    {
      method: 'POST',
      pattern: '/v1/tasks/:id/accept',
      access: 'write',
      async handle({ req, res, params }) {
        const file = await readPathBody(req, 'accept');
        const { changes } = await call(engine, 'tasks.acceptFile', { taskId: params.id, path: file });
        sendJson(res, 200, { task_id: params.id, changes: changes.map((c) => changeView(c, null)) });
      },
    },
    {
      method: 'POST',
      pattern: '/v1/tasks/:id/undo',
      access: 'write',
      async handle({ req, res, params }) {
        await readOptionalJsonBody(req);
        const undone = await call(engine, 'tasks.undo', { taskId: params.id });
        sendJson(res, 200, { task_id: params.id, ...undone });
      },
    },
  ];
}
