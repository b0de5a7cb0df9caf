// Model time of a step and of the whole build, as Ollama reported it: prompt tokens read from
// the model's cache vs evaluated again, tokens generated and how fast, and each model load
// with why it happened (first use, another model, a num_ctx change, keep_alive ran out).
import type { ModelLoad, ModelUsage, StepRecord } from '../../../shared/index.js';
import { formatCount, formatDuration } from '../lib/format.js';

const LOAD_REASON: Record<ModelLoad['reason'], string> = {
  'first-use': 'first use',
  'other-model': 'other model',
  'num-ctx-change': 'num_ctx change',
  expired: 'was unloaded',
};

/** "first use", "other model (after qwen2.5-coder:7b)", … */
export function loadReasonText(load: ModelLoad): string {
  return load.reason === 'other-model' && load.previousModel ? `${LOAD_REASON[load.reason]}, after ${load.previousModel}` : LOAD_REASON[load.reason];
}

/** A sentence for a load's tooltip. */
export function loadTitle(load: ModelLoad): string {
  const why =
    load.reason === 'first-use'
      ? 'the model was not loaded yet'
      : load.reason === 'other-model'
        ? `${load.previousModel ?? 'another model'} had been in use, and Ollama had to load this one again`
        : load.reason === 'num-ctx-change'
          ? `num_ctx changed to ${load.numCtx}, which makes Ollama reload the model`
          : "the model had been unloaded (keep_alive ran out, or Ollama needed the memory); Settings → keep models loaded";
  return `Ollama loaded ${load.model} with num_ctx ${load.numCtx} in ${formatDuration(load.ms)}: ${why}.`;
}

/**
 * Below these a rate says nothing (a few tokens in a few microseconds read "65000000000 tok/s"):
 * a cached or stand-in answer, or timer noise. The card then shows the count alone.
 */
export const MIN_RATE_EVAL_MS = 50;
export const MIN_RATE_TOKENS = 8;

/** Generated tokens per second, from Ollama's eval_duration; null when the duration or count is too small to mean a speed. */
export function tokensPerSecond(usage: Pick<ModelUsage, 'evalTokens' | 'evalMs'>): number | null {
  return usage.evalMs >= MIN_RATE_EVAL_MS && usage.evalTokens >= MIN_RATE_TOKENS ? usage.evalTokens / (usage.evalMs / 1000) : null;
}

export function formatRate(rate: number): string {
  return rate >= 100 ? String(Math.round(rate)) : rate.toFixed(1);
}

/** "2.4k prompt (1.9k cached · 512 evaluated)". */
export function promptLine(usage: Pick<ModelUsage, 'promptTokens' | 'cachedTokens'>): string {
  const evaluated = Math.max(0, usage.promptTokens - usage.cachedTokens);
  return `${formatCount(usage.promptTokens)} prompt (${formatCount(usage.cachedTokens)} cached · ${formatCount(evaluated)} evaluated)`;
}

/** The steps' usage summed for the build header; null when no step recorded any. */
export function sumUsage(rows: readonly Pick<StepRecord, 'usage'>[]): ModelUsage | null {
  const used = rows.flatMap((r) => (r.usage ? [r.usage] : []));
  if (used.length === 0) return null;
  return {
    promptTokens: used.reduce((n, u) => n + u.promptTokens, 0),
    cachedTokens: used.reduce((n, u) => n + u.cachedTokens, 0),
    evalTokens: used.reduce((n, u) => n + u.evalTokens, 0),
    loadMs: used.reduce((n, u) => n + u.loadMs, 0),
    promptEvalMs: used.reduce((n, u) => n + u.promptEvalMs, 0),
    evalMs: used.reduce((n, u) => n + u.evalMs, 0),
    loads: used.flatMap((u) => u.loads),
    numCtx: used.find((u) => u.numCtx !== null)?.numCtx ?? null,
  };
}

const PROMPT_TITLE =
  'Prompt tokens sent. Cached: the part that repeats the previous call to the same model, which Ollama reads from its cache instead of evaluating again (estimated from the text); evaluated: the rest.';

/** One step's model figures, in the row's foot. */
export function StepUsageFacts({ usage }: { usage: ModelUsage }) {
  const rate = tokensPerSecond(usage);
  return (
    <>
      <span title={PROMPT_TITLE} data-testid="step-prompt-tokens">
        {promptLine(usage)}
      </span>
      <span title="Tokens the model generated, and how fast (Ollama's eval_duration)" data-testid="step-generated">
        {formatCount(usage.evalTokens)} generated{rate !== null ? ` · ${formatRate(rate)} tok/s` : ''}
      </span>
      {usage.loads.map((load, i) => (
        <span key={i} className="step-chip step-chip-load" title={loadTitle(load)} data-testid="step-load">
          load {formatDuration(load.ms)} · {loadReasonText(load)}
        </span>
      ))}
    </>
  );
}

/** The build's model figures, in the header. */
export function BuildUsageTotals({ usage }: { usage: ModelUsage }) {
  const rate = tokensPerSecond(usage);
  const share = usage.promptTokens > 0 ? Math.round((usage.cachedTokens / usage.promptTokens) * 100) : 0;
  const reasons = [...new Set(usage.loads.map(loadReasonText))].join(', ');
  return (
    <>
      <span title={PROMPT_TITLE} data-testid="build-prompt-tokens">
        {promptLine(usage)} · {share}% cached
      </span>
      <span title="Tokens generated over the build, and the average speed" data-testid="build-generated">
        {formatCount(usage.evalTokens)} generated{rate !== null ? ` · ${formatRate(rate)} tok/s` : ''}
      </span>
      <span title={usage.loads.map(loadTitle).join('\n') || 'The model was already loaded: no load in this build.'} data-testid="build-loads">
        {usage.loads.length === 0 ? 'no model load' : `${usage.loads.length} load${usage.loads.length === 1 ? '' : 's'} · ${formatDuration(usage.loads.reduce((n, l) => n + l.ms, 0))} (${reasons})`}
      </span>
      {usage.numCtx !== null && <span title="The context size every call of this build used (one size per build: a change would reload the model)">num_ctx {usage.numCtx}</span>}
    </>
  );
}
