// The missing-model error's own action: Pull right there, with progress and Cancel, and once the
// model is installed the task that lacked it runs again (a plain Retry could only fail again).
import { useState } from 'react';
import { appStore, useApp } from '../../store/app-state.js';
import { cancelPull, dismissPull, findPull, pullThen } from '../../store/pulls.js';
import { retryTask } from '../../store/task-actions.js';
import { PullProgressBar } from './PullProgressBar.js';

/** The followed turn, when it is the one that failed for lack of this model. */
function failedFor(name: string): string | null {
  const task = appStore.getState().activeTask;
  const model = task?.error?.details?.model;
  return task && task.status === 'failed' && task.error?.code === 'MODEL_NOT_FOUND' && (model === name || task.model === name) ? task.id : null;
}

export function MissingModelPull({ name, host }: { name: string; host: string | null }) {
  const pull = useApp((s) => findPull(s.pulls, name, host));
  const [phase, setPhase] = useState<'idle' | 'pulling' | 'retrying'>('idle');

  const start = () => {
    const taskId = failedFor(name);
    setPhase('pulling');
    void pullThen(name, host ?? undefined, () => {
      setPhase('retrying');
      if (taskId) void retryTask(taskId);
    });
  };

  if (phase === 'retrying') {
    return (
      <span className="missing-model-pull" data-testid="missing-model-installed">
        ✓ {name} is installed; the task runs again.
      </span>
    );
  }
  if (pull?.error) {
    return (
      <span className="missing-model-pull" data-testid="missing-model-pull-error" role="alert">
        <span className="field-error">Pull failed: {pull.error.message}</span>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            dismissPull(pull.pullId);
            start();
          }}
        >
          Try again
        </button>
      </span>
    );
  }
  if (pull) {
    return (
      <span className="missing-model-pull pulling" data-testid="missing-model-pulling">
        <PullProgressBar pull={pull} />
        <button type="button" className="btn btn-small btn-stop" disabled={pull.status === 'cancelling'} onClick={() => void cancelPull(pull.pullId)}>
          Cancel
        </button>
      </span>
    );
  }
  return (
    <span className="missing-model-pull">
      <button type="button" className="btn btn-small btn-primary-outline" data-testid="missing-model-pull" onClick={start} title={`ollama pull ${name}, then run the task again`}>
        <span aria-hidden="true">↓</span> Pull {name}
        {phase === 'idle' ? ' and run again' : ''}
      </button>
    </span>
  );
}
