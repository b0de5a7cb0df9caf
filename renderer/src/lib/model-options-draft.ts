// The project model options popover's fields as typed → the options sent, or why not (per field).
import { DEFAULT_PROJECT_MODEL_OPTIONS, type ProjectModelOptions } from '../../../shared/index.js';

export const MAX_SYSTEM_PROMPT = 4000;

export interface ModelOptionsDraft {
  /** '' : the steps' own temperature. */
  temperature: string;
  systemPrompt: string;
}

export type DraftResult = { ok: true; options: ProjectModelOptions } | { ok: false; errors: { temperature?: string; systemPrompt?: string } };

export function draftOf(o: ProjectModelOptions | undefined): ModelOptionsDraft {
  const v = o ?? DEFAULT_PROJECT_MODEL_OPTIONS;
  return { temperature: v.temperature === null ? '' : String(v.temperature), systemPrompt: v.systemPrompt };
}

export function parseModelOptionsDraft(d: ModelOptionsDraft): DraftResult {
  const errors: { temperature?: string; systemPrompt?: string } = {};
  const t = d.temperature.trim().replace(',', '.');
  let temperature: number | null = null;
  if (t !== '') {
    const n = Number(t);
    if (!/^\d*\.?\d+$/.test(t) || !Number.isFinite(n)) errors.temperature = 'Enter a number from 0 to 2, e.g. 0.7, or leave it empty for the steps’ own.';
    else if (n > 2) errors.temperature = 'Temperature is 2 at most (0: the same answer each time; 1 and more: freer).';
    else temperature = n;
  }
  const systemPrompt = d.systemPrompt.trim();
  if (systemPrompt.length > MAX_SYSTEM_PROMPT) errors.systemPrompt = `${systemPrompt.length.toLocaleString('en-US')} characters: the system prompt is ${MAX_SYSTEM_PROMPT.toLocaleString('en-US')} at most.`;
  if (errors.temperature || errors.systemPrompt) return { ok: false, errors };
  return { ok: true, options: { temperature, systemPrompt } };
}

/** The button's label: what is set, short. */
export function modelOptionsSummary(o: ProjectModelOptions | undefined): string | null {
  if (!o) return null;
  const parts: string[] = [];
  if (o.temperature !== null) parts.push(`t ${o.temperature}`);
  if (o.systemPrompt) parts.push('prompt');
  return parts.length ? parts.join(' · ') : null;
}
