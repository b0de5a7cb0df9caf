// How the client commands print tasks for people (--json prints the API's JSON instead).
import type { StepEventData } from '../../shared/index.js';
import { stepEventView } from '../server/rest/step-view.js';
import type { TaskSnapshot, TaskSummary } from '../server/rest/task-view.js';
import { fields, humanAge, humanBytes, humanDuration, localTime, table, truncate } from './format.js';
import { stepEventLine } from './step-output.js';

export interface ApiEvent {
  seq: number;
  ts: number;
  type: string;
  data: Record<string, unknown>;
}

export interface ApiFinal {
  task_id: string;
  status: string;
  result: { text: string; error: { code: string; message: string } | null };
  files: { path: string; sha256: string | null; size: number; truncated: boolean }[];
  zip_url: string | null;
}

export function snapshotLines(t: TaskSnapshot | TaskSummary): string[] {
  const d = t.durations_ms;
  const pairs: Array<[string, string]> = [
    ['task', t.task_id],
    ['status', `${t.status}${t.attempts > 0 ? `  (attempt ${t.attempts} of ${t.max_attempts})` : ''}`],
    ['kind', `${t.kind} · ${t.model}`],
    ['title', t.title],
    ['created', `${localTime(t.created_at)}  (${humanAge(t.created_at)})`],
    ['waited', humanDuration(d.queued)],
    ['ran', humanDuration(d.running)],
    ['total', humanDuration(d.total)],
    ['files', String(t.file_count)],
    ['tokens', String(t.eval_tokens)],
  ];
  if (t.not_before && t.status === 'queued') pairs.push(['retry at', localTime(t.not_before)]);
  if (t.error) pairs.push(['error', `${t.error.message} [${t.error.code}]`]);
  if ('workspace_path' in t) pairs.push(['workspace', t.workspace_path]);
  return fields(pairs);
}

export function listLines(tasks: TaskSummary[]): string[] {
  const now = Date.now();
  return table(
    ['ID', 'STATUS', 'KIND', 'MODEL', 'CREATED', 'TIME', 'TITLE'],
    tasks.map((t) => [t.task_id, t.status, t.kind, t.model, humanAge(t.created_at, now), humanDuration(t.durations_ms.total), truncate(t.title, 48)]),
  );
}

export function filesLines(final: ApiFinal): string[] {
  if (final.files.length === 0) return ['(no files)'];
  return table(
    ['PATH', 'SIZE', 'SHA256'],
    final.files.map((f) => [f.truncated ? `${f.path} (cut off)` : f.path, humanBytes(f.size), f.sha256 ? f.sha256.slice(0, 12) : '—']),
  );
}

function describeEvent(e: ApiEvent): string {
  const d = e.data;
  switch (e.type) {
    case 'status': {
      const extra = [d.attempt ? `attempt ${d.attempt}` : '', d.reason ? String(d.reason) : '', d.retryInMs ? `retry in ${humanDuration(Number(d.retryInMs))}` : '']
        .filter(Boolean)
        .join(', ');
      const error = d.error as { code: string; message: string } | undefined;
      return `${d.status}${extra ? ` (${extra})` : ''}${error ? ` — ${error.message} [${error.code}]` : ''}`;
    }
    case 'file.open':
      return `open ${d.path}`;
    case 'file.close':
      return `close ${d.path} (${humanBytes(Number(d.size))}${d.truncated ? ', cut off' : ''})`;
    case 'file.refused':
      return `refused ${d.path}: ${d.reason}`;
    case 'usage':
      return `${d.evalTokens} tokens in ${humanDuration(Number(d.evalDurationMs))}${d.doneReason ? ` (${d.doneReason})` : ''}`;
    case 'log':
      return `${d.level}: ${d.message}`;
    case 'step':
      // The event log keeps the engine's camelCase; the line is the same as while following.
      return stepEventLine(stepEventView(d as unknown as StepEventData));
    default:
      return JSON.stringify(d);
  }
}

const isText = (e: ApiEvent) => e.type === 'delta' || e.type === 'file.chunk';

/** A run of streamed text (answer deltas interleaved with the file chunks they carry) as one line. */
function textRun(run: ApiEvent[]): string {
  const answer = run.filter((e) => e.type === 'delta').map((e) => String(e.data.text ?? '')).join('');
  const files = [...new Set(run.filter((e) => e.type === 'file.chunk').map((e) => String(e.data.path)))];
  return `${answer.length} chars  "${truncate(answer, 40)}"${files.length ? `  (into ${files.join(', ')})` : ''}`;
}

/** The timeline: one line per event, with each run of streamed text folded into one line. */
export function timelineLines(events: ApiEvent[]): string[] {
  if (events.length === 0) return ['(no events)'];
  const t0 = events[0].ts;
  const rows: string[][] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (isText(e)) {
      let j = i;
      while (j < events.length && isText(events[j])) j++;
      const run = events.slice(i, j);
      rows.push([run.length > 1 ? `#${e.seq}–${run.at(-1)!.seq}` : `#${e.seq}`, `+${humanDuration(e.ts - t0)}`, 'text', textRun(run)]);
      i = j - 1;
    } else {
      rows.push([`#${e.seq}`, `+${humanDuration(e.ts - t0)}`, e.type, describeEvent(e)]);
    }
  }
  return table(['SEQ', 'AT', 'EVENT', 'DETAIL'], rows);
}
