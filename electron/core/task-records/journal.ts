import fs from 'node:fs';
import path from 'node:path';
import type { TaskEvent } from '../../../shared/index.js';

/** A milestone of reports.jsonl, in the earlier MACS's words. */
export type ReportKind = 'received' | 'stage_done' | 'replayed' | 'done' | 'error';

export const EVENTS_FILE = 'events.jsonl';
export const REPORTS_FILE = 'reports.jsonl';

/** The reports.jsonl line an event makes, if it is a milestone. */
export function milestoneOf(e: TaskEvent): Record<string, unknown> | null {
  const base = (event: ReportKind) => ({ ts: new Date(e.ts).toISOString(), event, task_id: e.taskId, seq: e.seq });
  if (e.type === 'status') {
    const { status, reason, error } = e.data;
    // A task's first event is its `queued`; later ones are retries, recoveries and replays.
    if (status === 'queued' && e.seq === 1) return base('received');
    if (status === 'queued' && reason?.startsWith('replay ')) return { ...base('replayed'), reason };
    if (status === 'succeeded' || status === 'cancelled') return { ...base('done'), status, ...(reason ? { reason } : {}) };
    if (status === 'failed') return { ...base('error'), status, error: error ?? null };
    return null;
  }
  if (e.type === 'step' && e.data.phase === 'end') {
    const { step, version, status, summary, durationMs, replayOf } = e.data;
    return {
      ...base('stage_done'),
      stage: `${step}@v${version}`,
      status,
      summary: summary ?? null,
      duration_s: durationMs === undefined ? null : durationMs / 1000,
      ...(replayOf ? { replay_of: replayOf } : {}),
    };
  }
  return null;
}

/**
 * The append-only files the earlier MACS wrote as a task went: artifacts/<task_id>/events.jsonl
 * (every stored event, one JSON line each) and <data dir>/reports.jsonl (the milestones of every
 * task). Fed by the task store after each commit, so it sees what the database holds, in seq
 * order, once: token deltas arrive coalesced (a frame every ~25 ms), never one line per token.
 * The files are a mirror; the database stays the record. A write that fails (a full disk) is
 * reported once and does not fail the task: its events are stored all the same.
 */
export class TaskJournal {
  private readonly madeDirs = new Set<string>();
  private warned = false;

  constructor(
    private readonly dataDir: string,
    private readonly warn: (message: string) => void = (message) => console.warn(message),
  ) {}

  eventsPath(taskId: string): string {
    return path.join(this.dataDir, 'artifacts', taskId, EVENTS_FILE);
  }

  get reportsPath(): string {
    return path.join(this.dataDir, REPORTS_FILE);
  }

  /** Events of one task, as stored (one commit). */
  record(events: readonly TaskEvent[]): void {
    if (events.length === 0) return;
    let lines = '';
    let reports = '';
    for (const e of events) {
      lines += `{"seq":${e.seq},"ts":${e.ts},"task_id":${JSON.stringify(e.taskId)},"type":${JSON.stringify(e.type)},"data":${JSON.stringify(e.data)}}\n`;
      const milestone = milestoneOf(e);
      if (milestone) reports += `${JSON.stringify(milestone)}\n`;
    }
    try {
      this.append(this.eventsPath(events[0].taskId), lines);
      if (reports) this.append(this.reportsPath, reports);
    } catch (err) {
      if (this.warned) return;
      this.warned = true;
      this.warn(`MACS could not append to ${EVENTS_FILE}/${REPORTS_FILE} in ${this.dataDir} (${(err as Error).message}); the events are in the database all the same.`);
    }
  }

  /** O_APPEND: several processes sharing the data dir never overwrite each other's lines. */
  private append(file: string, text: string): void {
    const dir = path.dirname(file);
    if (!this.madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    try {
      fs.appendFileSync(file, text);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // The task's folder went (a deleted task, a test's cleanup): make it again once.
      fs.mkdirSync(dir, { recursive: true });
      fs.appendFileSync(file, text);
    }
  }
}
