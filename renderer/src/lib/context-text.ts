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
