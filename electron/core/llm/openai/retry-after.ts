/**
 * How long a server asked us to wait before trying again, from a 429's headers.
 *  - `retry-after-ms`: milliseconds; OpenAI sends it, and the official SDK reads it first
 *    (openai-node src/client.ts retryRequest: "retry-after-ms" then "retry-after").
 *  - `Retry-After`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Null when neither is there or neither parses: the caller picks its own backoff.
 */
export function parseRetryAfterMs(headers: Headers | Record<string, string | undefined> | undefined, nowMs: number = Date.now()): number | null {
  if (!headers) return null;
  const get = (name: string): string | null => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
    const record = headers as Record<string, string | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    return key === undefined ? null : (record[key] ?? null);
  };
  const ms = get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const after = get('retry-after')?.trim();
  if (!after) return null;
  if (/^\d+(\.\d+)?$/.test(after)) return Math.round(Number(after) * 1000);
  const date = Date.parse(after);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}
