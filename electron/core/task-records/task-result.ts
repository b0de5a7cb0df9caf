import fs from 'node:fs';
import path from 'node:path';
import type { StepRecord, Task, TaskFile } from '../../../shared/index.js';
import { mapDiskFull } from '../db/index.js';
import { buildTaskManifest, manifestFile, orchestratorFields, pipelineSteps, type ArtifactStore, type StepStore } from '../pipeline/index.js';
import type { TaskStore } from '../tasks/index.js';

export const RESULT_JSON = 'result.json';
export const RESULT_MD = 'result.md';

/** Events read per query: the answer goes to disk a page at a time, never held whole (answers may be hundreds of MB). */
const PAGE = 500;

export interface TaskResultSources {
  dataDir: string;
  store: TaskStore;
  steps: StepStore;
  artifacts: ArtifactStore;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const seconds = (from: number | null, to: number | null) => (from === null || to === null ? null : Math.max(0, to - from) / 1000);

/** Everything in result.json but the answer text (which is streamed after it). */
function resultHead(task: Task, files: readonly TaskFile[], steps: readonly StepRecord[]) {
  return {
    task_id: task.id,
    ...orchestratorFields(task),
    kind: task.kind,
    title: task.title,
    model: task.model,
    project_id: task.projectId,
    prompt: task.prompt,
    timings: {
      created_at: iso(task.createdAt),
      started_at: iso(task.startedAt),
      finished_at: iso(task.finishedAt),
      queue_s: seconds(task.createdAt, task.startedAt),
      duration_s: seconds(task.startedAt, task.finishedAt),
      attempts: task.attempts,
      eval_tokens: task.evalTokens,
    },
    files: files
      .filter((f) => f.state !== 'streaming' && f.sha256 !== null)
      .map((f) => manifestFile({ path: f.path, size: f.size, sha256: f.sha256, truncated: f.state === 'truncated' })),
    steps: pipelineSteps(steps),
    zip: `zips/${task.id}.zip`,
  };
}

function markdownHead(task: Task, head: ReturnType<typeof resultHead>): string {
  const lines = [`# ${task.title || task.id}`, '', `- Task: \`${task.id}\` (${task.kind}, **${task.status}**)`, `- Model: ${task.model}`];
  if (head.timings.started_at) lines.push(`- Started ${head.timings.started_at}, ${head.duration_s === null ? 'not finished' : `${head.duration_s.toFixed(1)} s`}`);
  if (task.error) lines.push(`- Error: ${task.error.message} [${task.error.code}]`);
  if (head.files.length) {
    lines.push('', '## Files', '', '| path | bytes | media type |', '|---|---|---|');
    for (const f of head.files) lines.push(`| \`${f.path}\` | ${f.size} | ${f.media_type} |`);
  }
  if (head.steps.length) {
    lines.push('', '## Steps', '', '| step | status | model | seconds | summary |', '|---|---|---|---|---|');
    for (const s of head.steps) lines.push(`| ${s.step}@v${s.version} | ${s.status} | ${s.model ?? ''} | ${s.durationMs === null ? '' : (s.durationMs / 1000).toFixed(1)} | ${s.summary.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
  }
  lines.push('', '## Answer', '', '');
  return lines.join('\n');
}

/** Writes to a temp name, renamed into place at the end: a reader never sees half a file. */
class AtomicFile {
  private readonly tmp: string;
  private readonly fd: number;

  constructor(readonly target: string) {
    this.tmp = `${target}.${process.pid}.tmp`;
    this.fd = fs.openSync(this.tmp, 'w');
  }

  write(text: string): void {
    fs.writeSync(this.fd, text);
  }

  commit(): void {
    fs.closeSync(this.fd);
    fs.renameSync(this.tmp, this.target);
  }

  abandon(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed by commit()
    }
    fs.rmSync(this.tmp, { force: true });
  }
}

/**
 * artifacts/<task_id>/result.json and result.md (the answer of the last attempt, the files, the
 * timings, the steps) and manifest.json, written when a task ends: chat tasks too. The answer
 * text is the deltas after the task's last `running` status, as GET /final gives it.
 */
export function writeTaskResult(src: TaskResultSources, task: Task): void {
  const dir = path.join(src.dataDir, 'artifacts', task.id);
  fs.mkdirSync(dir, { recursive: true });
  const files = src.store.listFiles(task.id);
  const steps = task.kind === 'build' ? src.steps.list(task.id) : [];
  src.artifacts.writeJson(`artifacts/${task.id}/manifest.json`, buildTaskManifest(task, files, steps, task.status));

  const head = resultHead(task, files, steps);
  const json = new AtomicFile(path.join(dir, RESULT_JSON));
  const md = new AtomicFile(path.join(dir, RESULT_MD));
  mapDiskFull({ path: dir, what: "the task's result.json", neededBytes: 0 }, () => {
    try {
      const headJson = JSON.stringify(head);
      json.write(`${headJson.slice(0, -1)},"result":{"error":${JSON.stringify(task.error)},"text":"`);
      md.write(markdownHead(task, head));
      let since = src.store.lastStatusSeq(task.id, 'running');
      for (;;) {
        const events = src.store.listEvents(task.id, since, PAGE);
        for (const e of events) {
          if (e.type !== 'delta') continue;
          json.write(JSON.stringify(e.data.text).slice(1, -1));
          md.write(e.data.text);
        }
        if (events.length < PAGE) break;
        since = events[events.length - 1].seq;
      }
      json.write('"}}\n');
      md.write('\n');
      json.commit();
      md.commit();
    } catch (err) {
      json.abandon();
      md.abandon();
      throw err;
    }
  });
}
