/**
 * What the official client's SSE parser cannot see, observed on the raw bytes of a streamed answer
 * (passed through unchanged; only whole lines are looked at, so a chunk split mid-line or inside a
 * multi-byte character is read correctly):
 *  - `data: [DONE]`: openai-node swallows it (core/streaming.ts), yet it is what tells a finished
 *    answer from one a server or proxy closed early when no finish_reason came either;
 *  - llama-server's streamed error as an `error:` field (tools/server: `server_sent_event(sink,
 *    "error", error_data)` writes `error: {json}\n\n`, builds before it wrote every event as
 *    `data:`). `error` is not an SSE field, so every SSE parser drops it and the answer would just
 *    stop. It is passed on as the `data: {"error": …}` event newer builds and vLLM send, which the
 *    client throws as an APIError.
 *  - Ollama's /v1 error after the stream started: middleware/openai.go BaseWriter.writeError encodes
 *    `{"error":{"message":…,"type":"api_error","param":null,"code":null}}` as a bare JSON line, no
 *    `data:` prefix and no [DONE]: every SSE parser drops it too. Passed on the same way.
 */
export interface SseObservation {
  sawDone: boolean;
}

const encoder = new TextEncoder();

function asErrorEvent(raw: string): string {
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    payload = undefined;
  }
  const obj = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : null;
  const inner = obj && obj.error && typeof obj.error === 'object' ? obj.error : obj && typeof obj.message === 'string' ? obj : { message: raw || 'unknown error' };
  return `\n\ndata: ${JSON.stringify({ error: inner })}\n\n`;
}

export function observeSse(inner: typeof fetch, seen: SseObservation): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (!res.ok || !res.body) return res;
    // A proxy may drop or rewrite the content type of a stream: anything but JSON is read as one.
    if (/application\/json/i.test(res.headers.get('content-type') ?? '')) return asStreamIfCompletion(res, seen);
    const decoder = new TextDecoder();
    let partial = '';
    const look = (text: string, controller: TransformStreamDefaultController<Uint8Array>) => {
      const lines = (partial + text).split(/\r\n|\r|\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (/^data:\s?\[DONE\]/.test(line)) seen.sawDone = true;
        else if (line.startsWith('error:')) controller.enqueue(encoder.encode(asErrorEvent(line.slice('error:'.length).trim())));
        else if (line.startsWith('{"error"')) controller.enqueue(encoder.encode(asErrorEvent(line.trim())));
      }
    };
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          controller.enqueue(chunk);
          look(decoder.decode(chunk, { stream: true }), controller);
        },
        flush(controller) {
          look(decoder.decode() + '\n', controller);
        },
      }),
    );
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/**
 * A server that ignores "stream": true and answers one chat.completion object (JSON) would read as
 * an empty stream (openai-node parses every stream answer as SSE, whatever its content type): its
 * message is replayed as one chunk with the same finish_reason and usage, then [DONE]. Any other
 * JSON (the model list, /props) passes through unchanged.
 */
async function asStreamIfCompletion(res: Response, seen: SseObservation): Promise<Response> {
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const obj = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  const choice = obj && obj.object === 'chat.completion' && Array.isArray(obj.choices) ? (obj.choices as Array<Record<string, unknown>>)[0] : undefined;
  if (!obj || !choice) return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  const chunk = { id: obj.id, object: 'chat.completion.chunk', created: obj.created, model: obj.model, choices: [{ index: 0, delta: choice.message ?? {}, finish_reason: choice.finish_reason ?? null }], usage: obj.usage ?? null };
  seen.sawDone = true; // a whole answer: nothing of it was cut
  const headers = new Headers(res.headers);
  headers.set('content-type', 'text/event-stream');
  headers.delete('content-length');
  return new Response(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`, { status: res.status, statusText: res.statusText, headers });
}
