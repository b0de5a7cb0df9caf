/**
 * The official client reads an error's text from body.error (OpenAI's `{"error":{"message",
 * "type","param","code"}}`). Some servers answer differently; this fetch wrapper rewrites their
 * error bodies into OpenAI's shape so the server's own words reach the user:
 *  - vLLM before its error envelope: `{"object":"error","message":…,"type":…,"param":…,"code":400}`
 *    at the top level (vllm/entrypoints/openai/protocol.py ErrorResponse);
 *  - LM Studio: `{"error":"<message>"}` (a string) — kept, the client copes, but it is wrapped so
 *    the message is not JSON-quoted.
 * Success responses pass through untouched (streams stay streams).
 */
export function normalizeErrorBodies(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    let rewritten = text;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const obj = parsed as Record<string, unknown>;
      if (typeof obj.error === 'string') rewritten = JSON.stringify({ ...obj, error: { message: obj.error } });
      else if (obj.error === undefined && typeof obj.message === 'string') rewritten = JSON.stringify({ error: obj });
    } else if (text.trim() !== '') {
      // Plain text (a proxy's "Bad Gateway", gin's "404 page not found"): keep it as the message.
      rewritten = JSON.stringify({ error: { message: readableErrorText(text) } });
    }
    // The body is decoded text now: its old length and encoding no longer describe it.
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(rewritten, { status: res.status, statusText: res.statusText, headers });
  };
}

/**
 * An error page's words, not its markup: nginx, Cloudflare and other proxies answer 502/503/504 with
 * an HTML page ("<html><head><title>502 Bad Gateway</title>…<center>nginx</center>"). Its <title>
 * (else its <h1>, else its text without tags), whitespace collapsed, at most 300 characters; plain
 * text is kept as it is (at most 2000 characters).
 */
export function readableErrorText(text: string): string {
  const trimmed = text.trim();
  if (!/^<(?:!doctype|html|head|body|\?xml)/i.test(trimmed) && !/<\/(?:html|body|title|h1)>/i.test(trimmed)) return trimmed.slice(0, 2000);
  const pick = (re: RegExp) => re.exec(trimmed)?.[1];
  const raw = pick(/<title[^>]*>([\s\S]*?)<\/title>/i) ?? pick(/<h1[^>]*>([\s\S]*?)<\/h1>/i) ?? trimmed.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  const words = raw.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
  return (words || 'an HTML error page').slice(0, 300);
}
