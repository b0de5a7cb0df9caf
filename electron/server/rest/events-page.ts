// GET /v1/tasks/{id}/events?since=&limit=: the stored log a page at a time. A page ends at
// `limit` events (1,000 unless asked) or at about 8 MB of JSON, whichever comes first, and
// says where the next one starts (`next`, to pass as `since`), or null at the end of the
// log as it stood. Large answers (a 200 MB file is ~100,000 events) are never one response.
import type { ServerResponse } from 'node:http';
import type { TaskEvent } from '../../../shared/index.js';
import { streamJson } from './json-stream.js';

export const EVENTS_PAGE_DEFAULT = 1000;
export const EVENTS_PAGE_MAX = 10_000;
/** A page stops once its JSON passes this (always at least one event, whatever its size). */
const EVENTS_PAGE_BYTES = 8 * 1024 * 1024;

/** Each event's JSON, up to the byte budget. */
function pageOf(events: readonly TaskEvent[], budget: number): { json: string[]; lastSeq: number | null } {
  const json: string[] = [];
  let bytes = 0;
  let lastSeq: number | null = null;
  for (const { seq, ts, type, data } of events) {
    const text = JSON.stringify({ seq, ts, type, data });
    if (json.length > 0 && bytes + text.length > budget) break;
    json.push(text);
    bytes += text.length + 1;
    lastSeq = seq;
  }
  return { json, lastSeq };
}

/** {events, last_seq, next}: `events` and `last_seq` as before paging existed, so small tasks read the same. */
export async function writeEventsPage(res: ServerResponse, since: number, events: readonly TaskEvent[], logLastSeq: number): Promise<void> {
  const page = pageOf(events, EVENTS_PAGE_BYTES);
  const reached = page.lastSeq ?? since;
  // Another process may have appended between the two reads: the log ends at the larger seq.
  const end = Math.max(logLastSeq, events.at(-1)?.seq ?? 0);
  const next = reached < end ? reached : null;
  await streamJson(res, async (out) => {
    await out.write('{"events":[');
    for (let i = 0; i < page.json.length; i++) await out.write(i === 0 ? page.json[i] : `,${page.json[i]}`);
    out.end(`],"last_seq":${logLastSeq},"next":${next}}`);
  });
}
