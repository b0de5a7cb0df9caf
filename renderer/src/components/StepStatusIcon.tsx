import type { StepStatus } from '../../../shared/index.js';
import { STEP_STATUS_LABEL } from '../lib/step-text.js';

const GLYPH: Record<Exclude<StepStatus, 'running'>, string> = { succeeded: '✓', failed: '✕', cancelled: '■' };

/** A step's status as a round icon: a spinner while it runs. */
export function StepStatusIcon({ status, size = 'normal' }: { status: StepStatus; size?: 'normal' | 'small' }) {
  return (
    <span className={`step-icon step-icon-${status}${size === 'small' ? ' step-icon-small' : ''}`} role="img" aria-label={STEP_STATUS_LABEL[status]} data-status={status}>
      {status === 'running' ? <span className="step-spinner" aria-hidden="true" /> : <span aria-hidden="true">{GLYPH[status]}</span>}
    </span>
  );
}
