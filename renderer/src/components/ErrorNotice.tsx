import type { ErrorText } from '../lib/error-text.js';
import { InlineCode } from './InlineCode.js';
import { MissingModelPull } from './models/MissingModelPull.js';

/** One described error as a notice line: its text in bold (code spans kept), its detail after; a missing model offers its pull. */
export function ErrorNotice({
  error,
  tone = 'error',
  icon = '✕',
  role = 'alert',
  testId,
}: {
  error: Pick<ErrorText, 'text' | 'detail' | 'missingModel'>;
  tone?: 'error' | 'warn';
  icon?: string;
  role?: 'alert' | 'status';
  testId?: string;
}) {
  return (
    <div className={`notice notice-${tone}`} data-testid={testId} role={role}>
      <span className="notice-icon" aria-hidden="true">
        {icon}
      </span>
      <span>
        <strong>
          <InlineCode text={error.text} />
        </strong>
        {error.detail && <span className="notice-detail">{error.detail}</span>}
        {error.missingModel && <MissingModelPull name={error.missingModel.name} host={error.missingModel.host} />}
      </span>
    </div>
  );
}
