// Bounds on what a model's answer may write, and how much of a file the event stream
// carries. A file's text reaches the disk whole (up to the caps); the events (live view,
// stored log) carry only its first LIVE_FILE_BYTES: beyond that the database would hold a
// second copy of every big file (one 200 MB answer grew it to 407 MB).
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TASK_OUTPUT_BYTES } from '../../../shared/index.js';

export interface OutputLimits {
  /** A file is cut at this many bytes and marked truncated. */
  maxFileBytes: number;
  /** All files of one run together; past this the task stops with OUTPUT_TOO_LARGE. */
  maxTaskOutputBytes: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { maxFileBytes: DEFAULT_MAX_FILE_BYTES, maxTaskOutputBytes: DEFAULT_MAX_TASK_OUTPUT_BYTES };

/**
 * Bytes of file content a task has kept so far. A chat task has one FileSink; a build has one
 * per model call (plan, implement, each fix round …), which share one counter so the per-task
 * cap bounds the whole build, not each call.
 */
export class OutputCounter {
  bytes = 0;
}

/** Bytes of each file's content sent as file.chunk events (and so stored); the rest is on disk only. */
export const LIVE_FILE_BYTES = 64 * 1024;

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
