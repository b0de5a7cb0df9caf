// A build task's answer is many model answers, one per step (plan JSON, implement files,
// fix files, review JSON), and implement and docs may stream side by side. This folds
// `step` events and step-tagged deltas into one segment per step attempt, in the order
// the steps started, so the chat can show each under its own header. Pure.
import type { ErrorPayload, StepEventData, StepName, StepStatus, TestReport } from '../../../shared/index.js';
import { stepRef } from '../lib/step-text.js';
import { addThinking, endThinking, type ThinkingView } from './thinking-fold.js';

export interface StepSegment {
  /** `plan@v1`; a step whose start event was not seen gets `plan` + its seq. */
  key: string;
  step: StepName;
  version: number | null;
  status: StepStatus;
  /** The model's answer for this step (empty for test steps). */
  text: string;
  /** The model's reasoning for this step (thinking models). */
  thinking: ThinkingView | null;
  summary: string | null;
  durationMs: number | null;
  error: ErrorPayload | null;
  report: TestReport | null;
  replayOf: number | null;
  model: string | null;
  /** Fix steps: the round since the last implement step (1-based). */
  round: number | null;
  /** seq of the event that opened it. */
  seq: number;
}

function fixRoundAt(segments: readonly StepSegment[]): number {
  let round = 1;
  for (let i = segments.length - 1; i >= 0; i--) {
    if (segments[i].step === 'implement') break;
    if (segments[i].step === 'fix' && !segments[i].replayOf) round++;
  }
  return round;
}

function open(segments: readonly StepSegment[], step: StepName, version: number | null, seq: number, data?: StepEventData): StepSegment {
  return {
    key: version === null ? `${step}#${seq}` : stepRef(step, version),
    step,
    version,
    status: data?.status ?? 'running',
    text: '',
    thinking: null,
    summary: null,
    durationMs: null,
    error: null,
    report: null,
    replayOf: data?.replayOf ?? null,
    model: data?.model ?? null,
    // A replay keeps the round of the fix it replays (its summary says that round), not one more.
    round: step === 'fix' ? (segments.find((x) => x.step === 'fix' && data?.replayOf && x.version === data.replayOf)?.round ?? fixRoundAt(segments)) : null,
    seq,
  };
}

/** Apply one `step` event; returns a new array when anything changed. */
export function applyStepEvent(segments: readonly StepSegment[], data: StepEventData, seq: number): StepSegment[] {
  const at = segments.findLastIndex((s) => s.step === data.step && (s.version === data.version || s.version === null));
  if (data.phase === 'start') {
    const seg = open(segments, data.step, data.version, seq, data);
    // A step whose text arrived before its start event (out of order) adopts it.
    if (at >= 0 && segments[at].version === null) {
      const next = [...segments];
      next[at] = { ...seg, text: segments[at].text, thinking: segments[at].thinking, seq: segments[at].seq };
      return next;
    }
    return [...segments, seg];
  }
  const end = {
    status: data.status,
    summary: data.summary ?? null,
    durationMs: data.durationMs ?? null,
    error: data.error ?? null,
    report: data.report ?? null,
  };
  if (at < 0) return [...segments, { ...open(segments, data.step, data.version, seq, data), ...end }];
  const next = [...segments];
  const prev = next[at];
  next[at] = {
    ...prev,
    ...end,
    version: data.version,
    key: stepRef(data.step, data.version),
    model: data.model ?? prev.model,
    replayOf: data.replayOf ?? prev.replayOf,
  };
  return next;
}

/** Append model text to the step it belongs to (the latest attempt of that step); its reasoning, if any, has ended. */
export function applyStepDelta(segments: readonly StepSegment[], step: StepName, text: string, seq: number, ts = 0): StepSegment[] {
  const at = segments.findLastIndex((s) => s.step === step);
  const next = [...segments];
  if (at < 0) next.push({ ...open(segments, step, null, seq), text });
  else next[at] = { ...segments[at], text: segments[at].text + text, thinking: endThinking(segments[at].thinking, ts) };
  return next;
}

/** Append model reasoning to the step it belongs to. */
export function applyStepThinking(segments: readonly StepSegment[], step: StepName, text: string, seq: number, ts: number): StepSegment[] {
  const at = segments.findLastIndex((s) => s.step === step);
  const next = [...segments];
  if (at < 0) next.push({ ...open(segments, step, null, seq), thinking: addThinking(null, text, ts) });
  else next[at] = { ...segments[at], thinking: addThinking(segments[at].thinking, text, ts) };
  return next;
}

/** Characters of model text in an attempt's segments. */
export function segmentChars(segments: readonly StepSegment[]): number {
  return segments.reduce((n, s) => n + s.text.length, 0);
}
