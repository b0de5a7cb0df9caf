import { memo } from 'react';
import type { TimelineEntry } from '../store/timeline.js';
import { describeError } from '../lib/error-text.js';
import { formatBytes, formatCount, formatDelay, formatDuration, formatInt, formatOffset, measuredTokensPerSecond } from '../lib/format.js';
import { STATUS_LABEL } from '../lib/status.js';
import { STEP_STATUS_ICON, stepEndText, stepRef } from '../lib/step-text.js';

function Body({ e, model }: { e: TimelineEntry; model: string }) {
  switch (e.kind) {
    case 'status': {
      const err = e.error ? describeError(e.error, { model }) : null;
      return (
        <>
          <span className={`tl-status tl-status-${e.status}`}>→ {STATUS_LABEL[e.status].toLowerCase()}</span>
          {e.eventAttempt !== null && <> <span className="tl-tag">attempt {e.eventAttempt}</span></>}
          {e.reason && <> <span className="tl-tag">{e.reason}</span></>}
          {e.retryInMs !== null && <> <span className="tl-tag tl-tag-warn">retry in {formatDelay(e.retryInMs)}</span></>}
          {e.error && (
            <span className="tl-error" data-testid="timeline-error">
              <code>{e.error.code}</code> {err?.detail ?? e.error.message}
            </span>
          )}
        </>
      );
    }
    case 'stream':
      return (
        <>
          <span className="tl-kind">streamed</span> {formatInt(e.chars)} chars
          {e.step && <> <span className="tl-tag">{e.step}</span></>}
          <span className="tl-dim">
            {' '}
            in {formatInt(e.frames)} frame{e.frames === 1 ? '' : 's'} over {formatDuration(e.lastTs - e.ts)}
          </span>
        </>
      );
    case 'file':
      return (
        <>
          <span className="tl-kind">{e.state === 'streaming' ? 'writing' : e.state === 'truncated' ? 'truncated' : 'wrote'}</span> <code>{e.path}</code>
          {e.size !== null && <span className="tl-dim"> · {formatBytes(e.size)}</span>}
          {e.state === 'truncated' && <> <span className="tl-tag tl-tag-warn">the answer ended mid-file</span></>}
        </>
      );
    case 'refused':
      return (
        <>
          <span className="tl-kind tl-warn">refused</span> <code>{e.path}</code> <span className="tl-dim">{e.reason}</span>
        </>
      );
    case 'usage': {
      const tps = measuredTokensPerSecond(e.evalTokens, e.evalDurationMs);
      return (
        <>
          <span className="tl-kind">usage</span> {formatCount(e.promptTokens)} in · {formatCount(e.evalTokens)} out
          {tps !== null && <> · {tps.toFixed(1)} tok/s</>} · {formatDuration(e.totalDurationMs)}
          {e.doneReason && <span className="tl-dim"> · done: {e.doneReason}</span>}
        </>
      );
    }
    case 'log':
      return (
        <>
          <span className={`tl-kind tl-${e.level}`}>{e.level}</span> {e.message}
        </>
      );
    case 'exec':
      return (
        <>
          <span className="tl-kind">ran</span> <code>{e.command.join(' ')}</code> <span className="tl-tag">{e.level}</span>
          {!e.done && <span className="tl-dim"> · running…</span>}
          {e.done && (
            <span className={e.exitCode === 0 ? 'tl-dim' : 'tl-error-inline'}>
              {' '}
              · {e.timedOut ? 'timed out' : e.killed ? 'killed' : `exit ${e.exitCode ?? '?'}`}
              {e.durationMs !== null && <> · {formatDuration(e.durationMs)}</>}
              {e.outputTruncated && <> · output capped</>}
            </span>
          )}
        </>
      );
    case 'step': {
      const ref = stepRef(e.step, e.version);
      if (e.phase === 'start') {
        return (
          <>
            <code>{ref}</code> started
            {e.model && (
              <span className="tl-dim" title={e.modelReason ?? undefined}>
                {' '}
                · {e.model}
              </span>
            )}
            {e.replayOf !== null && <> <span className="tl-tag">replay of {stepRef(e.step, e.replayOf)}</span></>}
          </>
        );
      }
      const err = e.error ? describeError(e.error, { model }) : null;
      const detail = stepEndText(e);
      return (
        <>
          <code>{ref}</code>
          {e.status !== 'succeeded' && !e.report && <span className={`tl-step-word tl-step-${e.status}`}> {e.status}</span>}
          {detail && <span className={e.status === 'failed' ? 'tl-error-inline' : 'tl-dim'}> · {detail}</span>}
          {err && (
            <span className="tl-error" data-testid="timeline-error">
              <code>{e.error?.code}</code> {err.text}
            </span>
          )}
        </>
      );
    }
    case 'audit':
      return (
        <>
          <span className="tl-kind tl-warn">{AUDIT_LABEL[e.auditKind] ?? e.auditKind}</span> {e.message}
          {e.command && <span className="tl-dim"> · {e.command.join(' ')}</span>}
        </>
      );
  }
}

const AUDIT_LABEL: Record<string, string> = {
  denied: 'denied',
  timeout: 'timeout',
  killed: 'killed',
  output_capped: 'output capped',
  unsandboxed: 'unsandboxed',
};

const ICON: Record<TimelineEntry['kind'], string> = { status: '●', stream: '≋', file: '▤', refused: '⚠', usage: 'Σ', log: '›', exec: '$', audit: '⛨', step: '◆' };

export const TimelineRow = memo(function TimelineRow({ entry, start, model }: { entry: TimelineEntry; start: number; model: string }) {
  const level =
    entry.kind === 'log'
      ? entry.level
      : entry.kind === 'refused' || entry.kind === 'audit'
        ? 'warn'
        : (entry.kind === 'status' && entry.error) || (entry.kind === 'exec' && entry.done && entry.exitCode !== 0) || (entry.kind === 'step' && entry.status === 'failed')
          ? 'error'
          : '';
  return (
    <li className={`tl-row tl-row-${entry.kind}${level ? ` tl-level-${level}` : ''}`} data-testid="timeline-row" data-kind={entry.kind}>
      <span className="tl-time" title={new Date(entry.ts).toLocaleTimeString()}>
        {formatOffset(entry.ts - start)}
      </span>
      <span className={`tl-icon${entry.kind === 'step' ? ` tl-step-${entry.phase === 'start' ? 'running' : entry.status}` : ''}`} aria-hidden="true">
        {entry.kind === 'step' ? (entry.phase === 'start' ? '▶' : STEP_STATUS_ICON[entry.status]) : ICON[entry.kind]}
      </span>
      <span className="tl-body">
        <Body e={entry} model={model} />
      </span>
    </li>
  );
});
