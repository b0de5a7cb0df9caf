import type { ContextReceipt, TaskEventDraft } from '../../../../shared/index.js';

/** Entries named in a receipt's leftOut; the rest are summed into its counts (a receipt stays one small event). */
const MAX_LEFT_OUT = 200;

export function capLeftOut(entries: ContextReceipt['leftOut']): ContextReceipt['leftOut'] {
  return entries.slice(0, MAX_LEFT_OUT);
}

/**
 * The turn's emit, with its receipt: the receipt goes out first (what is about to be sent),
 * then again right after the first model answer's usage, with the model's own count of the
 * prompt (Ollama's prompt_eval_count). Later usages (a retry, a continuation, a build's later
 * steps) leave it alone: the receipt is about the turn's first request.
 */
export function emitWithReceipt(emit: (draft: TaskEventDraft) => void, receipt: ContextReceipt): (draft: TaskEventDraft) => void {
  emit({ type: 'receipt', data: receipt });
  let counted = false;
  return (draft) => {
    emit(draft);
    if (counted || draft.type !== 'usage') return;
    counted = true;
    emit({ type: 'receipt', data: { ...receipt, promptEvalCount: draft.data.promptTokens } });
  };
}
