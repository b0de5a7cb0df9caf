// Large responses are paged (/events) or streamed (/final), so one big task cannot make the
// server hold its whole log, or the whole answer as one string, in memory.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MacsServeHarness } from './cli-harness.js';
import { recordFinishedTask } from './recorded-task.js';

const h = new MacsServeHarness();
let key: string;

beforeAll(async () => {
  await h.start('rest-large', { text: 'unused' });
  key = fs.readFileSync(path.join(h.dataDir, 'api-key'), 'utf8').trim();
}, 60_000);
afterAll(() => h.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
async function get(urlPath: string): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const res = await fetch(`${h.baseUrl}${urlPath}`, { headers: { 'x-api-key': key } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text), text };
}

/** Peak resident memory of a process (Linux), in bytes: since the last resetPeakRss, or since it started. */
function peakRss(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** Earlier tests' peaks must not hide this one's (Linux ≥ 4.0: "5" resets VmHWM to the current RSS). */
function resetPeakRss(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

describe('GET /v1/tasks/{id}/events is paged', () => {
  it('a page is at most 1,000 events by default and says where the next one starts; following `next` gives the whole log once', async () => {
    const id = recordFinishedTask(h.dataDir, [{ text: 'abcdefghij'.repeat(2500), chunkChars: 10 }]);
    const first = await get(`/v1/tasks/${id}/events`);
    expect(first.status).toBe(200);
    const lastSeq: number = first.body.last_seq;
    expect(lastSeq).toBeGreaterThan(2500);
    expect(first.body.events).toHaveLength(1000);
    expect(first.body.next).toBe(first.body.events.at(-1).seq);

    const seqs: number[] = first.body.events.map((e: { seq: number }) => e.seq);
    let next: number | null = first.body.next;
    while (next !== null) {
      const page = await get(`/v1/tasks/${id}/events?since=${next}`);
      seqs.push(...page.body.events.map((e: { seq: number }) => e.seq));
      next = page.body.next;
    }
    expect(seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));

    const small = await get(`/v1/tasks/${id}/events?since=5&limit=10`);
    expect(small.body.events.map((e: { seq: number }) => e.seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(small.body.next).toBe(15);
    const tail = await get(`/v1/tasks/${id}/events?since=${lastSeq - 2}`);
    expect(tail.body).toMatchObject({ last_seq: lastSeq, next: null });
    expect(tail.body.events).toHaveLength(2);
  });

  it('a page also stops at about 8 MB, whatever the limit, and `next` picks up after it', async () => {
    // 4 KB deltas plus their file chunks: 10,000 events would be a 40 MB page.
    const id = recordFinishedTask(h.dataDir, [{ text: 'x'.repeat(24 * 1024 * 1024), fileChunks: true }]);
    const page = await get(`/v1/tasks/${id}/events?limit=10000`);
    expect(page.status).toBe(200);
    expect(page.text.length).toBeLessThan(9 * 1024 * 1024);
    expect(page.body.events.length).toBeLessThan(10_000);
    expect(page.body.next).toBe(page.body.events.at(-1).seq);
    const after = await get(`/v1/tasks/${id}/events?since=${page.body.next}&limit=3`);
    expect(after.body.events[0].seq).toBe(page.body.next + 1);
  });
});

describe('GET /v1/tasks/{id}/final is streamed', () => {
  it('keeps its shape: the last attempt’s text, files, zip_url', async () => {
    const id = recordFinishedTask(h.dataDir, [{ text: 'first try "quoted"\n' }, { text: 'second try: \u2028 "quotes", \\ and\nnewlines\n' }]);
    const final = await get(`/v1/tasks/${id}/final`);
    expect(final.status).toBe(200);
    expect(final.headers.get('content-type')).toContain('application/json');
    expect(Object.keys(final.body)).toEqual(['task_id', 'status', 'result', 'files', 'zip_url']);
    expect(final.body).toEqual({
      task_id: id,
      status: 'succeeded',
      result: { text: 'second try: \u2028 "quotes", \\ and\nnewlines\n', error: null },
      files: [],
      // The zip kept per task (the earlier MACS's zips/<task_id>.zip).
      zip_url: `${h.baseUrl}/zips/${id}.zip`,
    });
  });

  it.skipIf(process.platform !== 'linux')('sends a 128 MB answer without holding it: the server’s peak memory grows by far less than the answer', async () => {
    // The growth is the garbage collector's working set (tens of MB, whatever the answer's
    // size); built in one piece, this answer took the server up by more than 1 GB.
    const answer = 'a line of generated code\n'.repeat((128 * 1024 * 1024) / 25);
    const id = recordFinishedTask(h.dataDir, [{ text: answer }]);
    const pid = h.serverPid!;
    resetPeakRss(pid);
    const before = peakRss(pid);
    const res = await fetch(`${h.baseUrl}/v1/tasks/${id}/final`, { headers: { 'x-api-key': key } });
    expect(res.status).toBe(200);
    // Streamed: no Content-Length is known up front.
    expect(res.headers.get('content-length')).toBeNull();
    const body = JSON.parse(await res.text()) as { result: { text: string } };
    const grew = peakRss(pid) - before;
    console.log(`GET /final of a ${answer.length / 2 ** 20} MB answer: server peak RSS grew by ${(grew / 2 ** 20).toFixed(1)} MB`);
    expect(body.result.text.length).toBe(answer.length);
    expect(body.result.text === answer).toBe(true);
    // Measured 15–70 MB here depending on load (the collector's working set, not the answer);
    // built in one piece it was 5–10× the answer. Less than the answer itself tells the two apart.
    expect(grew).toBeLessThan(answer.length);
  }, 120_000);
});
