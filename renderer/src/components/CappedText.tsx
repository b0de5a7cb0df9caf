import { memo, useMemo, useState } from 'react';
import { capText } from '../lib/artifact.js';
import { formatInt } from '../lib/format.js';
import { CopyButton } from './CopyButton.js';

interface Props {
  text: string;
  /** Characters shown before "Show all". */
  limit?: number;
  className?: string;
  copy?: boolean;
  testId?: string;
  empty?: string;
}

/**
 * Monospace text that may be huge (a prompt with every file, a long answer): the first
 * `limit` characters, then "Show all" on request; laying out megabytes up front would stall the UI.
 */
export const CappedText = memo(function CappedText({ text, limit = 6_000, className, copy = false, testId, empty = '(empty)' }: Props) {
  const [all, setAll] = useState(false);
  const { shown, hidden } = useMemo(() => (all ? { shown: text, hidden: 0 } : capText(text, limit)), [text, limit, all]);
  return (
    <div className={`capped${className ? ` ${className}` : ''}`} data-testid={testId}>
      {copy && text.length > 0 && (
        <div className="capped-tools">
          <CopyButton text={text} />
        </div>
      )}
      <pre className="capped-pre" tabIndex={0}>{text.length === 0 ? <span className="capped-empty">{empty}</span> : shown}</pre>
      {hidden > 0 && (
        <button type="button" className="capped-more" onClick={() => setAll(true)}>
          Show all · {formatInt(hidden)} more characters ({formatInt(text.length)} in all)
        </button>
      )}
    </div>
  );
});
