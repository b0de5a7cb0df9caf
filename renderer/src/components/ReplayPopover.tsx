import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { StepName } from '../../../shared/index.js';
import type { ClientError } from '../client/index.js';
import { describeError } from '../lib/error-text.js';
import { stepRef } from '../lib/step-text.js';
import { replayStep } from '../store/task-actions.js';
import { InlineCode } from './InlineCode.js';

interface Props {
  taskId: string;
  step: StepName;
  version: number;
  onClose: () => void;
}

/** "Re-run plan@v1", with or without the steps after it, with or without the LLM cache. */
export function ReplayPopover({ taskId, step, version, onClose }: Props) {
  const [cascade, setCascade] = useState(false);
  const [fresh, setFresh] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const ref_ = stepRef(step, version);

  useEffect(() => {
    first.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [onClose]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    const err = await replayStep(taskId, step, version, { cascade, useCache: !fresh });
    setBusy(false);
    if (err) setError(err);
    else onClose();
  };

  const err = error ? describeError(error) : null;
  const usesModel = step !== 'test' && step !== 'webcheck';
  return (
    <div className="popover replay-popover" ref={ref} role="dialog" aria-label={`Replay ${ref_}`} onKeyDown={onKey} data-testid="replay-popover">
      <div className="popover-title">
        Re-run <code>{ref_}</code>
      </div>
      <p className="popover-help">Runs it again from its stored inputs as a new version; earlier versions stay as they are.</p>
      <label className="popover-check">
        <input ref={first} type="checkbox" data-testid="replay-cascade" checked={cascade} onChange={(e) => setCascade(e.target.checked)} />
        <span>and every step after it</span>
      </label>
      <label className="popover-check">
        <input type="checkbox" data-testid="replay-fresh" checked={fresh} disabled={!usesModel && !cascade} onChange={(e) => setFresh(e.target.checked)} />
        <span>
          ask the model again (skip the cache)
          {!usesModel && !cascade && <span className="popover-note"> (tests call no model)</span>}
        </span>
      </label>
      {err && (
        <div className="popover-error" role="alert" data-testid="replay-error">
          <InlineCode text={err.text} />
          {err.detail && <span className="notice-detail">{err.detail}</span>}
        </div>
      )}
      <div className="popover-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-small btn-primary" data-testid="replay-submit" disabled={busy} onClick={() => void submit()}>
          {busy && <span className="spinner" aria-hidden="true" />}
          Replay
        </button>
      </div>
    </div>
  );
}
