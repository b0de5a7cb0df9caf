import { memo, useMemo, useState } from 'react';
import { parsePlan, parseReview, prettyJson } from '../lib/step-json.js';
import { formatInt } from '../lib/format.js';
import { CappedText } from './CappedText.js';
import { FileIcon } from './FileIcon.js';

const TAIL_CHARS = 1_200;

/** While the JSON streams it cannot be parsed yet: show its last part, as the code blocks do. */
function StreamingJson({ text, what }: { text: string; what: string }) {
  const tail = text.length > TAIL_CHARS ? text.slice(-TAIL_CHARS) : text;
  return (
    <div className="json-streaming" data-testid="json-streaming">
      <span className="json-streaming-label">
        Writing the {what}… <span className="tl-dim">{formatInt(text.length)} chars</span>
      </span>
      <pre className="streaming-code" tabIndex={0}>
        {text.length > TAIL_CHARS && <span className="code-elided">… earlier text elided</span>}
        <code>{tail}</code>
      </pre>
    </div>
  );
}

function RawToggle({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const pretty = useMemo(() => (open ? prettyJson(text) : ''), [open, text]);
  return (
    <div className="json-raw">
      <button type="button" className="json-raw-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {open ? 'Hide the JSON' : 'Show the JSON'}
      </button>
      {open && <CappedText text={pretty} />}
    </div>
  );
}

function Unparsed({ text, what }: { text: string; what: string }) {
  return (
    <div className="json-unparsed">
      <span className="tl-dim">The {what} is not readable JSON; the raw answer:</span>
      <CappedText text={text} />
    </div>
  );
}

/** The plan step's JSON as a card: summary, language, files with their purpose, test command, acceptance. */
export const PlanCard = memo(function PlanCard({ text, streaming }: { text: string; streaming: boolean }) {
  const plan = useMemo(() => (streaming ? null : parsePlan(text)), [text, streaming]);
  if (streaming) return <StreamingJson text={text} what="plan" />;
  if (!plan) return text.trim() ? <Unparsed text={text} what="plan" /> : null;
  return (
    <div className="plan-card" data-testid="plan-card">
      {plan.summary && <p className="plan-summary">{plan.summary}</p>}
      <div className="plan-facts">
        {plan.language && <span className="chip">{plan.language}</span>}
        {plan.testCommand ? (
          <span className="plan-test">
            tests: <code>{plan.testCommand}</code>
          </span>
        ) : (
          <span className="plan-test tl-dim">tests: the conventional command</span>
        )}
      </div>
      {plan.files.length > 0 && (
        <ul className="plan-files" aria-label="Planned files">
          {plan.files.map((f) => (
            <li key={f.path}>
              <FileIcon name={f.path} />
              <code className="plan-file-path">{f.path}</code>
              {f.purpose && <span className="plan-file-purpose">{f.purpose}</span>}
            </li>
          ))}
        </ul>
      )}
      {plan.acceptance.length > 0 && (
        <div className="plan-acceptance">
          <span className="inspector-label">Acceptance</span>
          <ul>
            {plan.acceptance.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
        </div>
      )}
      <RawToggle text={text} />
    </div>
  );
});

/** The review step's verdict: approve / revise, with the problems and missing files. */
export const ReviewCard = memo(function ReviewCard({ text, streaming }: { text: string; streaming: boolean }) {
  const review = useMemo(() => (streaming ? null : parseReview(text)), [text, streaming]);
  if (streaming) return <StreamingJson text={text} what="review" />;
  if (!review) return text.trim() ? <Unparsed text={text} what="review" /> : null;
  return (
    <div className={`review-card verdict-${review.verdict ?? 'none'}`} data-testid="review-card">
      <div className="review-verdict">
        {review.verdict === 'approve' ? (
          <span className="review-badge ok">✓ Approved</span>
        ) : review.verdict === 'revise' ? (
          <span className="review-badge warn">↻ Asked for changes</span>
        ) : (
          <span className="review-badge">No verdict</span>
        )}
      </div>
      {review.problems.length > 0 && (
        <ul className="review-problems">
          {review.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      {review.missingFiles.length > 0 && (
        <div className="review-missing">
          Missing files:{' '}
          {review.missingFiles.map((f, i) => (
            <span key={f}>
              {i > 0 && ', '}
              <code>{f}</code>
            </span>
          ))}
        </div>
      )}
      <RawToggle text={text} />
    </div>
  );
});
