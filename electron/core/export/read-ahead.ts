// Read-ahead for small files. Zipping 10,000 small files one after the other is
// bound by latency, not bandwidth: each needs open/read/close round trips through
// the libuv thread pool, and JSZip asks for the next file only when the previous one
// is done (measured: ~2 s of a 3.4 s STORE-only export was the event loop idling).
// So files up to `maxFileBytes` are read ahead, in zip order, several at a time and
// within a byte budget; larger files are streamed by EntrySource when their turn comes.
import { close, open, read } from 'node:fs';
import { READ_FLAGS, readRegularFile } from '../project-folder/index.js';

export interface ReadAheadLimits {
  /** Files larger than this are not read ahead (they are streamed). */
  maxFileBytes: number;
  /** Bytes read (or being read) but not yet taken. */
  maxBufferedBytes: number;
  /** Concurrent reads, i.e. open file descriptors. */
  maxConcurrent: number;
}

const DEFAULT_LIMITS: ReadAheadLimits = { maxFileBytes: 1024 * 1024, maxBufferedBytes: 8 * 1024 * 1024, maxConcurrent: 16 };

/** open + one read of size+1 bytes + close; falls back to readFile if the file grew meanwhile. */
function readSmallFile(absPath: string, expectedSize: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // O_NONBLOCK: a file swapped for a FIFO since it was listed must not block a libuv thread.
    open(absPath, READ_FLAGS, (openErr, fd) => {
      if (openErr) return reject(openErr);
      const buffer = Buffer.allocUnsafe(expectedSize + 1);
      read(fd, buffer, 0, buffer.length, 0, (readErr, bytesRead) => {
        close(fd, (closeErr) => {
          if (readErr ?? closeErr) return reject(readErr ?? closeErr);
          if (bytesRead <= expectedSize) return resolve(buffer.subarray(0, bytesRead));
          readRegularFile(absPath).then(resolve, reject);
        });
      });
    });
  });
}

export class ReadAhead {
  private readonly limits: ReadAheadLimits;
  private readonly started = new Map<number, Promise<Buffer>>();
  /** Next index the scheduler will look at. */
  private next = 0;
  private inFlight = 0;
  private bufferedBytes = 0;
  private stopped = false;

  constructor(
    private readonly files: ReadonlyArray<{ absPath: string; size: number }>,
    limits: Partial<ReadAheadLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Whether file `index` is served by take() (small) or must be streamed (large). */
  covers(index: number): boolean {
    return this.files[index].size <= this.limits.maxFileBytes;
  }

  /** Start reading ahead from the beginning. */
  start(): void {
    this.fill();
  }

  /** The whole content of small file `index`; frees its budget and schedules more. */
  take(index: number): Promise<Buffer> {
    // Normally everything before `index` was scheduled already; if not, never schedule it twice.
    if (index >= this.next) this.next = index + 1;
    const pending = this.started.get(index) ?? this.begin(index);
    this.started.delete(index);
    return pending.finally(() => {
      this.bufferedBytes -= this.files[index].size;
      this.fill();
    });
  }

  /** Stop scheduling (export failed or was cancelled). Reads in flight finish and close their fds. */
  stop(): void {
    this.stopped = true;
    for (const pending of this.started.values()) pending.catch(() => undefined);
    this.started.clear();
  }

  private begin(index: number): Promise<Buffer> {
    const file = this.files[index];
    this.inFlight++;
    this.bufferedBytes += file.size;
    const pending = readSmallFile(file.absPath, file.size).finally(() => {
      this.inFlight--;
      this.fill();
    });
    // A read that fails ahead of time must not be an unhandled rejection; take() rethrows it.
    pending.catch(() => undefined);
    return pending;
  }

  private fill(): void {
    const { maxConcurrent, maxBufferedBytes } = this.limits;
    while (!this.stopped && this.next < this.files.length && this.inFlight < maxConcurrent) {
      const index = this.next;
      if (!this.covers(index)) {
        this.next++;
        continue;
      }
      if (this.bufferedBytes + this.files[index].size > maxBufferedBytes && this.bufferedBytes > 0) return;
      this.next++;
      if (!this.started.has(index)) this.started.set(index, this.begin(index));
    }
  }
}
