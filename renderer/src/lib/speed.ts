// Words for a model's expected speed: "≈ 12 tok/s · a small project in ≈ 6 min".
import { SMALL_PROJECT, type ModelSpeed } from '../../../shared/index.js';

/** "< 1 min", "6 min", "2.5 h". */
export function formatProjectTime(seconds: number): string {
  if (seconds < 60) return '< 1 min';
  const min = seconds / 60;
  if (min < 90) return `${Math.round(min)} min`;
  const h = min / 60;
  return `${h < 10 ? h.toFixed(1) : Math.round(h)} h`;
}

/** "12", "3.4", "0.4": one decimal below 10 tok/s, where it matters. */
export function formatTokensPerSecond(tps: number): string {
  return tps >= 10 ? String(Math.round(tps)) : tps >= 0.1 ? tps.toFixed(1) : '< 0.1';
}

/** Slower than what the recommendation calls reasonable for a small project. */
export function isSlow(speed: ModelSpeed): boolean {
  return speed.smallProjectSeconds > SMALL_PROJECT.reasonableSeconds;
}

/** "≈ 12 tok/s · a small project in ≈ 6 min" (measured: "12 tok/s measured · …"). */
export function speedLabel(speed: ModelSpeed): string {
  const tps = formatTokensPerSecond(speed.tokensPerSecond);
  const rate = speed.source === 'measured' ? `${tps} tok/s measured` : `≈ ${tps} tok/s`;
  const time = speed.smallProjectSeconds < 60 ? 'under a minute' : `≈ ${formatProjectTime(speed.smallProjectSeconds)}`;
  return `${rate} · a small project in ${time}`;
}

/** The hover text: how it was reckoned, and what "a small project" means. */
export function speedTitle(speed: ModelSpeed): string {
  const project = `A small project: about ${SMALL_PROJECT.promptTokens / 1000}k prompt tokens read and ${SMALL_PROJECT.generatedTokens / 1000}k tokens written (prompt at ≈ ${formatTokensPerSecond(speed.promptTokensPerSecond)} tok/s).`;
  const rough = speed.rough && speed.source === 'estimate' ? ' Rough: part of this rests on an assumed figure.' : '';
  const slow = isSlow(speed) ? ` Slower than ${SMALL_PROJECT.reasonableSeconds / 60} min per small project, so not chosen as the default when a quicker model is installed.` : '';
  return `${speed.basis}${rough}\n${project}${slow}`;
}

/** Characters per token for the live estimate (code and English both land near 4). */
export const CHARS_PER_TOKEN = 4;

export interface StreamSample {
  /** Characters generated so far (answer and thinking). */
  chars: number;
  /** When they were seen (ms). */
  at: number;
}

/**
 * Tokens per second while a model streams, estimated from the characters that arrived since
 * `first` (the first sample this window saw, so opening a task mid-stream does not count the
 * text that was already there as instant). Null until a second of text has arrived: the
 * first frames would swing wildly. The exact figure replaces it when the usage arrives.
 */
export function liveTokensPerSecond(first: StreamSample, now: StreamSample): number | null {
  const seconds = (now.at - first.at) / 1000;
  const chars = now.chars - first.chars;
  if (seconds < 1 || chars <= 0) return null;
  return chars / CHARS_PER_TOKEN / seconds;
}

/** "≈ 38 tok/s · ≈ 1.2k tokens" for the live footer. */
export function liveSpeedText(tps: number | null, chars: number): string {
  const tokens = Math.round(chars / CHARS_PER_TOKEN);
  const count = tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens);
  return tps === null ? `≈ ${count} tokens` : `≈ ${formatTokensPerSecond(tps)} tok/s · ≈ ${count} tokens`;
}
