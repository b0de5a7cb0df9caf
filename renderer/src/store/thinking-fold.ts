// A model's reasoning as the chat shows it: the text, when it began, and when the answer
// began (which ends it). Times are the events' own timestamps, so a reloaded task shows
// the same "Thought for 12 s" as it did live. Pure.

export interface ThinkingView {
  text: string;
  /** ts of the first reasoning event. */
  startedAt: number;
  /** ts of the first answer text after it; null while the model is still thinking. */
  endedAt: number | null;
  /** ts of the latest reasoning event (the end when the answer never came). */
  lastAt: number;
}

export function addThinking(view: ThinkingView | null, text: string, ts: number): ThinkingView {
  if (!view) return { text, startedAt: ts, endedAt: null, lastAt: ts };
  return { ...view, text: view.text + text, lastAt: ts };
}

/** The answer started: reasoning is over (once; later answer text changes nothing). */
export function endThinking(view: ThinkingView | null, ts: number): ThinkingView | null {
  if (!view || view.endedAt !== null) return view;
  return { ...view, endedAt: Math.max(ts, view.lastAt) };
}

/** Seconds of reasoning: until the answer began, else until now while live, else until the last reasoning. */
export function thinkingSeconds(view: ThinkingView, live: boolean, now: number): number {
  const end = view.endedAt ?? (live ? Math.max(now, view.lastAt) : view.lastAt);
  return Math.max(0, Math.round((end - view.startedAt) / 1000));
}
