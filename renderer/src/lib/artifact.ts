// A step's stored artifact (tasks.stepArtifact) as the inspector shows it. The artifact is
// free-form JSON ({calls: [...], input, output: {plan | reports | files …}, timings, …});
// read what we know, keep the rest as pretty JSON, never throw on a shape we did not
// expect. Pure.
import { TestReportSchema, type TestReport } from '../../../shared/index.js';

export interface ArtifactMessage {
  role: string;
  content: string;
}

export interface ArtifactCall {
  model: string | null;
  messages: ArtifactMessage[];
  /** Request options (num_ctx, temperature, …) as display pairs. */
  options: [string, string][];
  output: string;
  doneReason: string | null;
  promptTokens: number | null;
  evalTokens: number | null;
  durationMs: number | null;
  cached: boolean;
  /** Follow-up calls made because the answer was cut off at the context limit. */
  continuations: number;
}

export interface ArtifactFile {
  path: string;
  /** "1.2 KB", "written", … whatever the artifact said about it. */
  detail: string | null;
}

export interface ArtifactView {
  calls: ArtifactCall[];
  /** What the step started from (goal, plan, commands …), pretty-printed. */
  input: string | null;
  /** The step's output without the parts shown on their own (reports, files): text as is, else pretty JSON. */
  output: string | null;
  /** Test runs (a test step may run the smoke and the full oracle). */
  reports: TestReport[];
  files: ArtifactFile[] | null;
  /** Where the time went: [label, ms]. */
  timings: [string, number][];
  /** Every other top-level field, pretty-printed. */
  extra: { key: string; json: string }[];
}

/** The step record's own fields, repeated in the artifact: shown from the record already. */
const RECORD_KEYS = new Set(['taskId', 'step', 'version', 'attempt', 'replayOf', 'status', 'model', 'modelReason', 'error', 'summary']);
const TIMING_LABEL: Record<string, string> = { durationMs: 'total', llmMs: 'model', commandMs: 'commands', overheadMs: 'pipeline' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v, null, 2));

function optionValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function readCall(raw: unknown): ArtifactCall | null {
  if (!isRecord(raw)) return null;
  const messages = Array.isArray(raw.messages)
    ? raw.messages.filter(isRecord).map((m) => ({ role: typeof m.role === 'string' ? m.role : 'message', content: text(m.content) }))
    : [];
  const options = isRecord(raw.options) ? Object.entries(raw.options).map(([k, v]): [string, string] => [k, optionValue(v)]) : [];
  return {
    model: typeof raw.model === 'string' ? raw.model : null,
    messages,
    options,
    output: text(raw.output),
    doneReason: typeof raw.doneReason === 'string' ? raw.doneReason : null,
    promptTokens: num(raw.promptTokens),
    evalTokens: num(raw.evalTokens),
    durationMs: num(raw.durationMs),
    cached: raw.cached === true,
    continuations: num(raw.continuations) ?? 0,
  };
}

function readReport(raw: unknown): TestReport | null {
  if (raw === undefined || raw === null) return null;
  const parsed = TestReportSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Reports from `report`, `reports: []`, or the same inside `output`; null when one is there but not a report. */
function readReports(holder: Record<string, unknown>): { reports: TestReport[]; used: string[] } | null {
  const one = readReport(holder.report);
  const many = Array.isArray(holder.reports) ? holder.reports.map(readReport) : [];
  // `report: null`: a check that found nothing to report (a web check that passed).
  if (holder.report !== undefined && holder.report !== null && !one) return null;
  if (many.some((r) => r === null)) return null;
  const used = [...(holder.report !== undefined ? ['report'] : []), ...(Array.isArray(holder.reports) ? ['reports'] : [])];
  return { reports: [...(one ? [one] : []), ...(many as TestReport[])], used };
}

function pretty(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

function readFiles(raw: unknown): ArtifactFile[] | null {
  if (!Array.isArray(raw)) return null;
  const files: ArtifactFile[] = [];
  for (const f of raw) {
    if (typeof f === 'string') files.push({ path: f, detail: null });
    else if (isRecord(f) && typeof f.path === 'string') {
      const { path, ...rest } = f;
      const detail = Object.entries(rest)
        .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join(' · ');
      files.push({ path, detail: detail || null });
    } else return null; // not a file list after all: shown as JSON
  }
  return files;
}

export function readArtifact(artifact: Record<string, unknown>): ArtifactView {
  const calls = Array.isArray(artifact.calls) ? artifact.calls.map(readCall).filter((c): c is ArtifactCall => c !== null) : [];
  const out = isRecord(artifact.output) ? artifact.output : null;

  // Reports and files may sit at the top or inside `output`; whatever is shown on its own is left out of the JSON below.
  const outputUsed = new Set<string>();
  const topUsed = new Set<string>(['calls', 'input', 'output', 'timings']);
  const reports: TestReport[] = [];
  for (const [holder, used] of [
    [artifact, topUsed],
    [out, outputUsed],
  ] as const) {
    if (!holder) continue;
    const r = readReports(holder);
    if (r) {
      reports.push(...r.reports);
      for (const k of r.used) used.add(k);
    }
  }
  let files = readFiles(artifact.files);
  if (files) topUsed.add('files');
  else if (out) {
    files = readFiles(out.files);
    if (files) outputUsed.add('files');
  }

  let output: string | null = null;
  if (out) {
    const rest = Object.fromEntries(Object.entries(out).filter(([k]) => !outputUsed.has(k)));
    output = Object.keys(rest).length > 0 ? JSON.stringify(rest, null, 2) : null;
  } else if (artifact.output !== undefined && artifact.output !== null) {
    output = text(artifact.output);
  }

  const timings: [string, number][] = isRecord(artifact.timings)
    ? Object.entries(artifact.timings).flatMap(([k, v]): [string, number][] => (typeof v === 'number' && Number.isFinite(v) ? [[TIMING_LABEL[k] ?? k, v]] : []))
    : [];
  const input = artifact.input === undefined || artifact.input === null ? null : pretty(artifact.input);
  const extra = Object.entries(artifact)
    .filter(([k, v]) => !topUsed.has(k) && !RECORD_KEYS.has(k) && v !== undefined && v !== null)
    .map(([key, v]) => ({ key, json: pretty(v) }));
  return { calls, input, output, reports, files, timings, extra };
}

/** Split long text for display: the first `limit` characters and how much is left. */
export function capText(value: string, limit: number): { shown: string; hidden: number } {
  if (value.length <= limit) return { shown: value, hidden: 0 };
  // Cut at a line break near the limit so the last shown line is whole.
  const nl = value.lastIndexOf('\n', limit);
  const cut = nl > limit * 0.8 ? nl : limit;
  return { shown: value.slice(0, cut), hidden: value.length - cut };
}
