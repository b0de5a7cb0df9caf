// One step attempt's stored artifact (tasks.stepArtifact), loaded when `enabled`.
import { useEffect, useState } from 'react';
import type { MethodResult, StepName } from '../../../shared/index.js';
import { toClientError, type ClientError } from '../client/index.js';
import { client } from '../store/app-state.js';

export type StepArtifact = MethodResult<'tasks.stepArtifact'>;

export type StepArtifactState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; result: StepArtifact }
  | { status: 'error'; error: ClientError };

/** `key` changes (e.g. the step's finishedAt) load it again. */
export function useStepArtifact(taskId: string, step: StepName, version: number, enabled: boolean, key: string | number | null = null): StepArtifactState {
  const [state, setState] = useState<StepArtifactState>({ status: 'idle' });

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    setState({ status: 'loading' });
    client()
      .call('tasks.stepArtifact', { taskId, step, version })
      .then((result) => live && setState({ status: 'ready', result }))
      .catch((err: unknown) => live && setState({ status: 'error', error: toClientError(err) }));
    return () => {
      live = false;
    };
  }, [taskId, step, version, enabled, key]);

  return enabled ? state : { status: 'idle' };
}
