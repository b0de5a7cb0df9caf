import type { z } from 'zod';

export type JsonParse<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * The JSON object in a model's answer: bare, or inside a ```json fence, or with a
 * sentence around it (models do that even when told not to, and even with `format`).
 */
export function parseJsonAnswer<T>(answer: string, schema: z.ZodType<T>): JsonParse<T> {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n\s*```/.exec(answer);
  const body = fenced ? fenced[1] : answer;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) return { ok: false, problem: 'there is no JSON object in it' };
  let raw: unknown;
  try {
    raw = JSON.parse(body.slice(start, end + 1));
  } catch (err) {
    return { ok: false, problem: `it is not valid JSON (${(err as Error).message})` };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return { ok: false, problem: issues.join('; ') };
}
