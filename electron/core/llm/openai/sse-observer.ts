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
    if (!res.ok || !res.body || !/text\/event-stream/i.test(res.headers.get('content-type') ?? '')) return res;
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
