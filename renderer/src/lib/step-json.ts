// The plan and review steps answer in JSON. The chat shows them as cards, so read them
// leniently: a model may wrap the object in a code fence or add a sentence around it, and
// a field may be missing or of the wrong type (the engine validates; the UI only shows).
// Pure.

export interface PlanView {
  summary: string | null;
  language: string | null;
  files: { path: string; purpose: string }[];
  testCommand: string | null;
  acceptance: string[];
}

export interface ReviewView {
  verdict: 'approve' | 'revise' | null;
  problems: string[];
  missingFiles: string[];
}

/** The first complete JSON object in `text`, or null (unfinished, or not JSON). */
export function extractJsonObject(text: string): Record<string, unknown> | null {
  const start = text.indexOf('{');
  if (start < 0) return null;
  const end = text.lastIndexOf('}');
  if (end <= start) return null;
  try {
    const value: unknown = JSON.parse(text.slice(start, end + 1));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter((s): s is string => s !== null) : []);

export function parsePlan(text: string): PlanView | null {
  const o = extractJsonObject(text);
  if (!o) return null;
  const files = Array.isArray(o.files)
    ? o.files.flatMap((f) => {
        if (typeof f === 'string') return f.trim() ? [{ path: f.trim(), purpose: '' }] : [];
        if (typeof f !== 'object' || f === null) return [];
        const rec = f as Record<string, unknown>;
        const path = str(rec.path);
        return path ? [{ path, purpose: str(rec.purpose) ?? '' }] : [];
      })
    : [];
  const plan: PlanView = {
    summary: str(o.summary),
    language: str(o.language),
    files,
    testCommand: str(o.test_command) ?? str(o.testCommand),
    acceptance: strings(o.acceptance),
  };
  // Nothing we know: not a plan (show the raw text instead).
  if (!plan.summary && files.length === 0 && !plan.testCommand && plan.acceptance.length === 0) return null;
  return plan;
}

export function parseReview(text: string): ReviewView | null {
  const o = extractJsonObject(text);
  if (!o) return null;
  const v = str(o.verdict)?.toLowerCase() ?? null;
  const verdict = v === 'approve' || v === 'approved' ? 'approve' : v === 'revise' ? 'revise' : null;
  const review: ReviewView = { verdict, problems: strings(o.problems), missingFiles: strings(o.missing_files ?? o.missingFiles) };
  if (!verdict && review.problems.length === 0 && review.missingFiles.length === 0) return null;
  return review;
}

/** Pretty-print JSON text when it parses, else return it as it is. */
export function prettyJson(text: string): string {
  const o = extractJsonObject(text);
  return o ? JSON.stringify(o, null, 2) : text;
}
