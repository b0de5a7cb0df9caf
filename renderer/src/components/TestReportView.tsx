import type { TestReport } from '../../../shared/index.js';
import { formatDuration } from '../lib/format.js';
import { testOutcome } from '../lib/step-text.js';
import { CappedText } from './CappedText.js';

const LEVEL_LABEL: Record<TestReport['level'], string> = {
  plan: "the plan's command",
  smoke: 'smoke test (task oracle)',
  full: 'full test (task oracle)',
  conventional: 'the conventional command',
  scenarios: 'smoke scenarios in a browser (web check)',
};

/** A test run in full: counts, each failure, the command and exit code, the output tail. */
export function TestReportView({ report }: { report: TestReport }) {
  const c = report.counts;
  return (
    <div className={`test-report${report.passed ? ' passed' : ' failed'}`} data-testid="test-report">
      <div className="test-report-head">
        <span className={`test-verdict ${report.passed ? 'ok' : 'bad'}`}>{report.passed ? 'Passed' : report.timedOut ? 'Timed out' : 'Failed'}</span>
        {c ? (
          <span className="test-counts" data-testid="test-counts">
            <span className="test-count-pass">{c.passed} passed</span>
            <span className={c.failed > 0 ? 'test-count-fail' : 'test-count-zero'}>{c.failed} failed</span>
          </span>
        ) : (
          <span className="test-counts muted">{testOutcome(report)}</span>
        )}
        <span className="test-report-spacer" />
        <span className="test-meta">{formatDuration(report.durationMs)}</span>
      </div>
      {report.failures.length > 0 && (
        <ol className="test-failures" aria-label="Failures">
          {report.failures.map((f, i) => (
            <li key={`${f.name}:${i}`} className="test-failure" data-testid="test-failure">
              <span className="test-failure-name">{f.name}</span>
              {f.location && <code className="test-failure-loc">{f.location}</code>}
              {f.message && <span className="test-failure-msg">{f.message}</span>}
            </li>
          ))}
        </ol>
      )}
      <div className="test-command">
        <span className="test-command-label">Command</span>
        <code title={LEVEL_LABEL[report.level]}>{report.command.join(' ') || '—'}</code>
        <span className={`test-exit${report.exitCode === 0 ? ' ok' : ''}`}>
          {report.timedOut ? 'timed out' : report.exitCode === null ? 'no exit code' : `exit ${report.exitCode}`}
        </span>
        <span className="test-level">{LEVEL_LABEL[report.level]}</span>
      </div>
      {report.tail.trim() && <CappedText text={report.tail} limit={4_000} className="test-tail" testId="test-tail" />}
    </div>
  );
}
