// The answer's delta events, without a second copy of big files. Inside a file whose live
// events have reached LIVE_FILE_BYTES (file-sink.ts), the answer text is that file's text,
// which goes to disk: the deltas skip it, after one note saying where it went. Only whole
// lines are skipped: a partial line is held back, so a closing fence split over several
// tokens still reaches the chat whole. Also counts the answer against the per-task cap.
import { MacsError } from '../../../shared/index.js';
import type { TaskEventDraft } from '../../../shared/index.js';
import type { FileOp } from '../files/index.js';
import type { FileSink } from './file-sink.js';
import { formatBytes, LIVE_FILE_BYTES } from './output-limits.js';

/** A partial line longer than this cannot be a fence line: it is dropped, not held. */
const MAX_HELD_LINE = 256;
/** Fences and path lines around the files: the answer may pass the file cap by this much. */
const ANSWER_SLACK_BYTES = 64 * 1024;

export class AnswerDeltas {
  private held = '';
  private noted = new Set<string>();
  private bytes = 0;

  constructor(
    private readonly sink: FileSink,
    private readonly emit: (draft: TaskEventDraft) => void,
    private readonly maxAnswerBytes: number,
  ) {}

  /** Emit the delta for `text`, given the file operations it produced (before they are applied). */
  push(text: string, ops: readonly FileOp[]): void {
    this.bytes += Buffer.byteLength(text);
    // The slack lets the file sink's exact cut (which marks the file it cut) come first when the text is a file's.
    if (this.bytes > this.maxAnswerBytes + ANSWER_SLACK_BYTES) {
      throw new MacsError('OUTPUT_TOO_LARGE', `The model's answer passed the per-task output limit of ${formatBytes(this.maxAnswerBytes)}; it was stopped there.`, {
        maxTaskOutputBytes: this.maxAnswerBytes,
      });
    }
    const toDisk = this.sink.streamingToDiskOnly();
    // Only plain content of that file: an op that opens, closes or refuses a file is shown as usual.
    if (toDisk && ops.every((op) => op.kind === 'chunk' && op.path === toDisk)) {
      if (!this.noted.has(toDisk)) {
        this.noted.add(toDisk);
        this.emit({ type: 'delta', data: { text: `\n[… ${toDisk} continues on disk; only its first ${formatBytes(LIVE_FILE_BYTES)} are shown here …]\n` } });
      }
      const nl = text.lastIndexOf('\n');
      const line = nl === -1 ? this.held + text : text.slice(nl + 1);
      this.held = line.length > MAX_HELD_LINE ? '' : line;
      return;
    }
    this.emit({ type: 'delta', data: { text: this.held + text } });
    this.held = '';
  }
}
