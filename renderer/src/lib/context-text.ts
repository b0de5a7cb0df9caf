// Words for the model's context: "context: 7 files, 5.2k tokens".
import type { ContextSelection } from '../../../shared/index.js';

/** 850 → "850", 5_230 → "5.2k", 48_000 → "48k", 1_250_000 → "1.3M". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(Math.max(0, Math.round(n)));
  if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

export function contextLine(sel: Pick<ContextSelection, 'files' | 'totalTokens'>): string {
  const n = sel.files.length;
  return `context: ${n} file${n === 1 ? '' : 's'}, ${formatTokens(sel.totalTokens)} tokens`;
}

/** The budget part, shown beside the line: "of 24k · 38 candidates". */
export function contextBudget(sel: Pick<ContextSelection, 'budgetTokens' | 'candidates'>): string {
  return `of ${formatTokens(sel.budgetTokens)} · ${sel.candidates.toLocaleString('en-US')} candidate${sel.candidates === 1 ? '' : 's'}`;
}

const quoted = (list: string): string =>
  list
    .split(/,\s*/)
    .filter(Boolean)
    .map((w) => `'${w}'`)
    .join(', ');

/** One part of the ranking's reason ("text: Add, calc (lines 3–9)") in words, or null to drop it. */
function rankingPart(part: string): string | null {
  const text = /^text:\s*(.*?)(?:\s*\(lines?\s[^)]*\))?$/.exec(part);
  if (text) return `matches ${quoted(text[1])}`;
  const path = /^path:\s*(.*)$/.exec(part);
  if (path) return `name matches ${quoted(path[1])}`;
  if (part === 'test file') return 'a test file';
  return part || null;
}

/**
 * The engine's reason for choosing a file, readable: "score 1.20: text: Add, calc (lines 3–9)"
 * → "matches 'Add', 'calc'"; "changed since the last turn (by hand or a restore)" → "edited
 * since last turn"; "pinned" stays. The full engine text stays in the row's tooltip.
 */
export function readableReason(reason: string): string {
  const r = reason.trim();
  if (/^changed since the last turn/.test(r)) return 'edited since last turn';
  const scored = /^score\s+-?[\d.]+:\s*(.*)$/.exec(r);
  if (!scored) return r;
  const parts = scored[1]
    .split(/;\s*/)
    .map(rankingPart)
    .filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' · ') : 'related to the prompt';
}
