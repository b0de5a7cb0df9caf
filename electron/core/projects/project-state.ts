import type { ProjectState, StepName, TaskKind, TaskStatus } from '../../../shared/index.js';

export interface StateInputs {
  /** The newest turn's status (null: no turn yet). */
  lastStatus: TaskStatus | null;
  lastKind: TaskKind | null;
  /** The newest turn's running build step, if any. */
  runningStep: StepName | null;
  /** Some turn of the project succeeded (a cancelled turn falls back on it). */
  anySucceeded: boolean;
}

/**
 * The Software Maker's states, derived from the newest turn and its running step rather than
 * stored, so they can never disagree with the queue: plan → PLANNING; implement, docs → CODING;
 * test, review → TESTING; fix → DEBUGGING. A chat turn writes code: CODING.
 */
export function projectState(i: StateInputs): ProjectState {
  switch (i.lastStatus) {
    case null:
      return 'NEW';
    case 'succeeded':
      return 'READY';
    case 'failed':
      return 'FAILED';
    case 'cancelled':
      return i.anySucceeded ? 'READY' : 'NEW';
    case 'queued':
    case 'interrupted':
      return 'PLANNING';
    case 'running':
      if (i.lastKind !== 'build') return 'CODING';
      switch (i.runningStep) {
        case 'implement':
        case 'docs':
          return 'CODING';
        case 'test':
        case 'webcheck':
        case 'review':
          return 'TESTING';
        case 'fix':
          return 'DEBUGGING';
        default:
          return 'PLANNING';
      }
  }
}
