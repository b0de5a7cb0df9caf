// Thumbs up/down (+ optional comment) on a finished task: feedback.submit.
import { toClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { appStore, client, type FeedbackState } from './app-state.js';

function patch(taskId: string, next: Partial<FeedbackState> & Pick<FeedbackState, 'rating'>): void {
  appStore.setState((s) => {
    const prev: FeedbackState = s.feedback[taskId] ?? { rating: next.rating, sending: false, commented: false, error: null };
    const merged: FeedbackState = { ...prev, ...next };
    return { feedback: { ...s.feedback, [taskId]: merged } };
  });
}

export async function submitFeedback(taskId: string, rating: -1 | 1, comment?: string): Promise<boolean> {
  const text = comment?.trim();
  patch(taskId, { rating, sending: true, error: null });
  try {
    await client().call('feedback.submit', text ? { taskId, rating, comment: text } : { taskId, rating });
    patch(taskId, { rating, sending: false, ...(text ? { commented: true } : {}) });
    return true;
  } catch (err) {
    patch(taskId, { rating, sending: false, error: errorLine(toClientError(err)) });
    return false;
  }
}
