import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MacsError, type Task } from '../../../shared/index.js';
import { taskIdOfZipName } from '../../core/task-records/index.js';
import { call, type RestEngine } from './engine-api.js';
import { RestError, sendZip } from './http.js';
import { jsonStringPiece, streamJson, type JsonStream } from './json-stream.js';
import type { Route } from './router.js';
import { fileView, isTerminal, LastAttemptText } from './task-view.js';

/**
 * Events read per query while streaming /final. Small pages die young (scavenged) instead of
 * surviving into the old generation while the socket drains: for a 200 MB answer the server's
 * peak grew by about 40 MB with 200, by 141 MB with 1,000 (and by 1.5 GB when /final was built whole).
 */
const FINAL_PAGE = 200;

/** Reads the log from `since` page by page, handing each page's text pieces to `emit`. */
async function streamText(engine: RestEngine, taskId: string, picker: LastAttemptText, since: number, emit: (piece: string) => Promise<void>): Promise<void> {
  let sinceSeq = since;
  for (;;) {
    const { events } = await call(engine, 'tasks.events', { taskId, sinceSeq, limit: FINAL_PAGE });
    for (const piece of picker.take(events)) await emit(jsonStringPiece(piece));
    if (events.length < FINAL_PAGE) return;
    sinceSeq = events[events.length - 1].seq;
  }
}

/**
 * GET /final, written as it is read: the answer text goes out a page of events at a time, so
 * the server never holds the log or the answer (a 200 MB answer once took it to 1.9 GB).
 * The JSON is the same as when it was built in one piece, keys in the same order.
 */
async function streamFinal(engine: RestEngine, task: Task, files: unknown[], zipUrl: string | null, out: JsonStream): Promise<void> {
  const J = JSON.stringify;
  await out.write(`{"task_id":${J(task.id)},"status":${J(task.status)},"result":{"text":"`);
  const emit = (piece: string) => out.write(piece);
  const picker = new LastAttemptText(task.attempts);
  await streamText(engine, task.id, picker, 0, emit);
  // Only a log whose running events carry no attempt number needs a second look.
  if (!picker.found) await streamText(engine, task.id, LastAttemptText.from(picker.lastRunningSeq), picker.lastRunningSeq, emit);
  out.end(`","error":${J(task.error)}},"files":${J(files)},"zip_url":${J(zipUrl)}}`);
}

export function resultRoutes(engine: RestEngine): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/tasks/:id/final',
      access: 'read',
      async handle({ req, res, params }) {
        const { task, files } = await call(engine, 'tasks.get', { taskId: params.id });
        // Host has passed the loopback check, so it is safe to echo into an absolute URL.
        // The kept zip (the earlier MACS's /zips/<task_id>.zip) where this server keeps them; else made per download.
        const zipPath = engine.keptZip ? `/zips/${encodeURIComponent(task.id)}.zip` : `/v1/tasks/${encodeURIComponent(task.id)}/zip`;
        const zipUrl = `http://${req.headers.host}${zipPath}`;
        await streamJson(res, (out) => streamFinal(engine, task, files.filter((f) => f.state !== 'streaming').map(fileView), isTerminal(task) ? zipUrl : null, out));
      },
    },
    {
      method: 'GET',
      pattern: '/zips/:filename',
      access: 'read',
      async handle({ res, params }) {
        // Only <task_id>.zip: a name with a separator, `..` or anything else is not a zip we keep (no traversal).
        const taskId = taskIdOfZipName(params.filename);
        const notFound = () =>
          new RestError(404, 'EXPORT_NOT_FOUND', `No zip named "${params.filename.slice(0, 80)}": zips are named <task_id>.zip, for a task that has finished.`);
        if (!taskId || !engine.keptZip) throw notFound();
        const task = await call(engine, 'tasks.get', { taskId }).then(
          (r) => r.task,
          (err: unknown) => {
            throw err instanceof MacsError && err.code === 'TASK_NOT_FOUND' ? notFound() : err;
          },
        );
        if (!isTerminal(task)) {
          throw new RestError(409, 'INVALID_INPUT', `The task is ${task.status}; its zip is kept once it has finished.`, { status: task.status });
        }
        const zip = await engine.keptZip(task.id);
        await sendZip(res, zip, zip.bytes);
      },
    },
    {
      method: 'GET',
      pattern: '/v1/tasks/:id/zip',
      access: 'read',
      async handle({ res, params }) {
        const { task } = await call(engine, 'tasks.get', { taskId: params.id });
        if (!isTerminal(task)) {
          throw new RestError(409, 'INVALID_INPUT', `The task is ${task.status}; the zip is available once it has finished.`, { status: task.status });
        }
        // A private temp copy per download, removed when sent: API downloads leave nothing behind in the data dir.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-zip-'));
        try {
          const zip = await engine.exportTask(task.id, path.join(dir, 'export.zip'));
          await sendZip(res, zip, zip.bytes);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
