import { useState } from 'react';
import { deleteModel } from '../../store/pulls.js';
import { errorLine } from '../../lib/error-text.js';
import type { ClientError } from '../../client/index.js';
import { formatBytes } from '../../lib/format.js';

/** Delete with an inline confirmation (no native dialog: it would block the window). */
export function DeleteModelButton({ name, host, size }: { name: string; host?: string; size: number }) {
  const [phase, setPhase] = useState<'idle' | 'confirm' | 'deleting'>('idle');
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setPhase('deleting');
    setError(null);
    try {
      await deleteModel(name, host);
    } catch (err) {
      setError(errorLine(err as ClientError, { model: name, host }));
    }
    setPhase('idle');
  };

  if (phase === 'idle') {
    return (
      <span className="delete-model">
        {error && (
          <span className="field-error" role="alert">
            {error}
          </span>
        )}
        <button type="button" className="btn btn-small btn-ghost btn-danger-ghost" data-testid="delete-model" onClick={() => setPhase('confirm')}>
          Delete
        </button>
      </span>
    );
  }
  return (
    <span className="delete-model confirming" data-testid="delete-confirm">
      <span className="delete-question">Delete {formatBytes(size)} from disk?</span>
      <button type="button" className="btn btn-small btn-ghost" disabled={phase === 'deleting'} onClick={() => setPhase('idle')}>
        Keep
      </button>
      <button type="button" className="btn btn-small btn-stop" data-testid="delete-model-confirm" disabled={phase === 'deleting'} onClick={() => void run()}>
        {phase === 'deleting' && <span className="spinner" aria-hidden="true" />}
        Delete
      </button>
    </span>
  );
}
