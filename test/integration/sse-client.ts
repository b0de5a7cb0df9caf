import http from 'node:http';

export interface SseEvent {
  id: number | null;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test helper: payloads are checked field by field
  data: any;
}

export interface SseConnection {
  status: Promise<number>;
  headers: Promise<http.IncomingHttpHeaders>;
  /** Named events (`event: delta`, `status`, … `done`). */
  events: SseEvent[];
  /** The data of unnamed events, in order: what `onmessage` of an EventSource sees. */
  messages: string[];
  /** `: ping` and other comment lines. */
  comments: string[];
  /** Resolves when the server ends the response (or the connection is closed). */
  ended: Promise<void>;
  /** Raw body text, for non-SSE answers (404 JSON). */
  raw(): string;
  close(): void;
}

/**
 * A deliberately independent SSE reader for the tests (not the CLI's), over node:http so
 * custom headers like Last-Event-ID go out exactly as given.
 */
export function openSse(port: number, path: string, headers: Record<string, string> = {}): SseConnection {
  const events: SseEvent[] = [];
  const messages: string[] = [];
  const comments: string[] = [];
  let raw = '';
  let buffer = '';
  let resolveStatus!: (n: number) => void;
  let resolveHeaders!: (h: http.IncomingHttpHeaders) => void;
  let resolveEnded!: () => void;
  const status = new Promise<number>((r) => (resolveStatus = r));
  const headersP = new Promise<http.IncomingHttpHeaders>((r) => (resolveHeaders = r));
  const ended = new Promise<void>((r) => (resolveEnded = r));

  const parseBlock = (block: string) => {
    let id: number | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line);
      else if (line.startsWith('id: ')) id = Number(line.slice(4));
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (!data.length) return;
    // Unnamed events repeat the answer as plain text (not JSON): what an EventSource's onmessage gets, apart.
    if (event === 'message') messages.push(data.join('\n'));
    else events.push({ id, event, data: JSON.parse(data.join('\n')) });
  };

  const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
    resolveStatus(res.statusCode ?? 0);
    resolveHeaders(res.headers);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      raw += chunk;
      buffer += chunk;
      let at: number;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        parseBlock(buffer.slice(0, at));
        buffer = buffer.slice(at + 2);
      }
    });
    res.on('end', () => resolveEnded());
    res.on('close', () => resolveEnded());
  });
  req.on('error', () => {
    resolveStatus(0);
    resolveEnded();
  });
  return { status, headers: headersP, events, messages, comments, ended, raw: () => raw, close: () => req.destroy() };
}
