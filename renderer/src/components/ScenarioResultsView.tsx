// The web check's scenarios in the Steps tab: each step with its verdict and the screenshot
// taken after it (loaded on demand through tasks.stepScreenshot: PNGs the step attempt kept
// under the data folder), and for a failure the expectation, the page's text and its errors.
import { memo, useEffect, useState } from 'react';
import type { ScenarioResult } from '../../../shared/index.js';
import { errorLine } from '../lib/error-text.js';
import { formatDuration } from '../lib/format.js';
import { screenshotName, webcheckOutcome, type WebcheckView } from '../lib/scenario-results.js';
import { toClientError } from '../client/index.js';
import { client } from '../store/app-state.js';
import { CappedText } from './CappedText.js';

type Shot = { status: 'loading' } | { status: 'ready'; url: string } | { status: 'error'; message: string };

function useScreenshot(taskId: string, version: number, name: string): Shot {
  const [shot, setShot] = useState<Shot>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    setShot({ status: 'loading' });
    client()
      .call('tasks.stepScreenshot', { taskId, version, name })
      .then((r) => live && setShot({ status: 'ready', url: r.dataUrl }))
      .catch((err: unknown) => live && setShot({ status: 'error', message: errorLine(toClientError(err)) }));
    return () => {
      live = false;
    };
  }, [taskId, version, name]);
  return shot;
}

const Screenshot = memo(function Screenshot({ taskId, version, path, step }: { taskId: string; version: number; path: string; step: string }) {
  const shot = useScreenshot(taskId, version, screenshotName(path));
  const [large, setLarge] = useState(false);
  if (shot.status === 'loading') return <div className="scenario-shot scenario-shot-empty">…</div>;
  if (shot.status === 'error') return <div className="scenario-shot scenario-shot-empty" title={shot.message}>no screenshot</div>;
  return (
    <button type="button" className={`scenario-shot${large ? ' large' : ''}`} aria-expanded={large} title={large ? 'Smaller' : 'Larger'} onClick={() => setLarge((l) => !l)}>
      <img src={shot.url} alt={`The page after "${step}"`} data-testid="scenario-screenshot" />
    </button>
  );
});

function Scenario({ taskId, version, result }: { taskId: string; version: number; result: ScenarioResult }) {
  return (
    <section className={`scenario ${result.passed ? 'passed' : 'failed'}`} data-testid="scenario-result" data-passed={result.passed}>
      <header className="scenario-head">
        <span className={`test-verdict ${result.passed ? 'ok' : 'bad'}`}>{result.passed ? 'Passed' : 'Failed'}</span>
        <span className="scenario-name">{result.name}</span>
        <span className="tl-dim">{formatDuration(result.durationMs)}</span>
      </header>
      <ol className="scenario-steps">
        {result.steps.map((s, i) => (
          <li key={i} className={`scenario-step ${s.ok ? 'ok' : 'bad'}`}>
            <div className="scenario-step-text">
              <span aria-hidden="true">{s.ok ? '✔' : '✘'}</span> <code>{s.step}</code>
              {s.error && <div className="scenario-step-error">{s.error}</div>}
            </div>
            {s.screenshot && <Screenshot taskId={taskId} version={version} path={s.screenshot} step={s.step} />}
          </li>
        ))}
      </ol>
      {result.domExcerpt && !result.passed && (
        <div className="scenario-extra">
          <span className="inspector-label">The page's text at the failure</span>
          <CappedText text={result.domExcerpt} />
        </div>
      )}
      {result.consoleErrors.length > 0 && (
        <div className="scenario-extra">
          <span className="inspector-label">Console errors</span>
          <CappedText text={result.consoleErrors.join('\n')} />
        </div>
      )}
      {result.failedRequests.length > 0 && (
        <div className="scenario-extra">
          <span className="inspector-label">Failed or blocked requests</span>
          <CappedText text={result.failedRequests.join('\n')} />
        </div>
      )}
    </section>
  );
}

/** Every scenario of one webcheck@vN. */
export function ScenarioResultsView({ taskId, version, view }: { taskId: string; version: number; view: WebcheckView }) {
  return (
    <div className="scenario-results" data-testid="scenario-results">
      <div className="scenario-outcome">{webcheckOutcome(view)}</div>
      {view.notUnderstood.map((n) => (
        <div key={n.name} className="notice notice-muted">
          Scenario “{n.name}” was not run: {n.reasons.join(' ')}
        </div>
      ))}
      {view.scenarios.map((r, i) => (
        <Scenario key={i} taskId={taskId} version={version} result={r} />
      ))}
    </div>
  );
}
