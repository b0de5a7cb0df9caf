import type { ServerResponse } from 'node:http';

/**
 * A JSON answer written piece by piece (GET /final, GET …/events), so a large one is never
 * built as one string: each write waits while the client's socket is backed up, and a client
 * that leaves stops the work (write throws ClientGone).
 */
export class JsonStream {
  constructor(private readonly res: ServerResponse) {}

  /** Headers go out now: no Content-Length, so the body is sent chunked. */
  start(status = 200): void {
    this.res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  }

  async write(text: string): Promise<void> {
    if (this.gone()) throw new ClientGone();
    if (text.length === 0 || this.res.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
    if (this.gone()) throw new ClientGone();
  }

  end(text = ''): void {
    this.res.end(text);
  }

  /**
   * Something failed after the headers went out: cut the connection, so the client sees a
   * broken response rather than JSON that merely looks short.
   */
  abort(): void {
    this.res.destroy();
  }

  private gone(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }
}

/**
 * Starts a JsonStream on `res` and runs `write` with it. A failure after the headers went out
 * aborts the response; a client that left is not an error, anything else is rethrown.
 */
export async function streamJson(res: ServerResponse, write: (out: JsonStream) => Promise<void>): Promise<void> {
  const out = new JsonStream(res);
  out.start();
  try {
    await write(out);
  } catch (err) {
    out.abort();
    if (!(err instanceof ClientGone)) throw err;
  }
}

class ClientGone extends Error {
  constructor() {
    super('The client closed the connection.');
    this.name = 'ClientGone';
  }
}

/** A string's JSON form without its quotes: a piece of a longer JSON string. */
export function jsonStringPiece(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
