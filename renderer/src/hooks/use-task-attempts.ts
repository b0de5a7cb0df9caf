// tasks.attempts for the detail view, fetched again whenever `key` changes (the task's
// status / attempt count / timestamps), so the table follows the task live.
import { useEffect, useState } from 'react';
import type { MethodResult } from '../../../shared/index.js';
import { toClientError, type ClientError } from '../client/index.js';
import { client } from '../store/app-state.js';

export type AttemptRow = MethodResult<'tasks.attempts'>['attempts'][number];

export type AttemptsState =
  | { status: 'loading'; rows: AttemptRow[] | null }
  | { status: 'ready'; rows: AttemptRow[] }
  | { status: 'error'; error: ClientError; rows: AttemptRow[] | null };

export function useTaskAttempts(taskId: string, key: string): AttemptsState {
  const [state, setState] = useState<AttemptsState>({ status: 'loading', rows: null });

  // A different task: start from nothing (never show another task's rows).
  useEffect(() => setState({ status: 'loading', rows: null }), [taskId]);

  useEffect(() => {
    let live = true;
    client()
      .call('tasks.attempts', { taskId })
      .then((res) => live && setState({ status: 'ready', rows: [...res.attempts].sort((a, b) => a.attempt - b.attempt) }))
      .catch((err: unknown) => live && setState((prev) => ({ status: 'error', error: toClientError(err), rows: prev.rows })));
    return () => {
      live = false;
    };
  }, [taskId, key]);

  return state;
}
