import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { TaskEvent } from '../../../shared/index.js';
import { call, type RestEngine } from './engine-api.js';
import { RestError, sendJson } from './http.js';
import type { Route } from './router.js';
import { fileView, isTerminal, lastAttemptText } from './task-view.js';

const EVENT_PAGE = 5000;

/** Every stored event of a task, paged so a long answer is not one huge query. */
export async function allEvents(engine: RestEngine, taskId: string): Promise<TaskEvent[]> {
  const all: TaskEvent[] = [];
  for (;;) {
    const { events } = await call(engine, 'tasks.events', { taskId, sinceSeq: all.at(-1)?.seq ?? 0, limit: EVENT_PAGE });
    all.push(...events);
    if (events.length < EVENT_PAGE) return all;
  }
}

export function resultRoutes(engine: RestEngine): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/tasks/:id/final',
      auth: false,
      async handle({ req, res, params }) {
        const { task, files } = await call(engine, 'tasks.get', { taskId: params.id });
        const events = await allEvents(engine, task.id);
        // Host has passed the loopback check, so it is safe to echo into an absolute URL.
        const zipUrl = `http://${req.headers.host}/v1/tasks/${encodeURIComponent(task.id)}/zip`;
        sendJson(res, 200, {
          task_id: task.id,
          status: task.status,
          result: { text: lastAttemptText(events), error: task.error },
          files: files.filter((f) => f.state !== 'streaming').map(fileView),
          zip_url: isTerminal(task) ? zipUrl : null,
        });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/tasks/:id/zip',
      auth: false,
      async handle({ res, params }) {
        const { task } = await call(engine, 'tasks.get', { taskId: params.id });
        if (!isTerminal(task)) {
          throw new RestError(409, 'INVALID_INPUT', `The task is ${task.status}; the zip is available once it has finished.`, { status: task.status });
        }
        // A private temp copy per download, removed when sent: API downloads leave nothing behind in the data dir.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-zip-'));
        try {
          const zip = await engine.exportTask(task.id, path.join(dir, 'export.zip'));
          res.writeHead(200, {
            'content-type': 'application/zip',
            'content-length': zip.bytes,
            'content-disposition': `attachment; filename="${zip.fileName.replace(/[^\w.-]/g, '_')}"`,
            'cache-control': 'no-store',
          });
          await pipeline(fs.createReadStream(zip.path), res);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
