// The snapshot's concurrency helpers.
//
// SaveCoalescer is group commit for the snapshot's manifest. Every record must be
// durable before the task writes the file, but saving once per record when many arrive
// together would redo the same work (a git commit, an index rewrite) for each. Callers that ask while a save is
// running share the one queued behind it; `write` must capture the state synchronously
// when it starts, so a change made during a save is always in the next one.
export class SaveCoalescer {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly write: () => Promise<void>) {}

  /** Resolves once a save that started after this call has completed. */
  request(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    const settle = () => undefined;
    this.queued = this.running.then(settle, settle).then(() => {
      this.queued = null;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<void> {
    const run: Promise<void> = this.write().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }
}

/** One-at-a-time execution for the operations that change the workspace (revert, accept, undo). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
