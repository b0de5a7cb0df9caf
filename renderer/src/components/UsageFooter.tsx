import { useRef } from 'react';
import type { Usage } from '../store/task-view.js';
import { useNow } from '../hooks/use-now.js';
import { formatCount, formatDuration, formatElapsed } from '../lib/format.js';
import { liveSpeedText, liveTokensPerSecond, type StreamSample } from '../lib/speed.js';
import { StepLeavesBadge } from './ProviderUsageBadges.js';

export function UsageFooter({ usage }: { usage: Usage }) {
  const tps = usage.evalDurationMs > 0 ? usage.evalTokens / (usage.evalDurationMs / 1000) : null;
  return (
    <div className="usage" data-testid="usage">
      <span title="Prompt tokens">{formatCount(usage.promptTokens)} in</span>
      <span title="Generated tokens">{formatCount(usage.evalTokens)} out</span>
      {tps !== null && <span title="Generation speed">{tps.toFixed(1)} tok/s</span>}
      <span title="Total time">{formatDuration(usage.totalDurationMs)}</span>
      {usage.doneReason === 'length' && <span className="usage-warn">stopped at the context limit</span>}
      {usage.leftMachine && <StepLeavesBadge usage={{ leftMachine: true, providers: usage.provider ? [usage.provider] : [] }} />}
    </div>
  );
}

/**
 * While the model streams: its speed (estimated from the text, until the exact usage arrives
 * at the end) and the time since the task started, ticking.
 */
export function LiveUsage({ chars, startedAt }: { chars: number; startedAt: number | null }) {
  const now = useNow(500);
  const first = useRef<StreamSample | null>(null);
  if (first.current === null && chars > 0) first.current = { chars, at: Date.now() };
  const tps = first.current ? liveTokensPerSecond(first.current, { chars, at: Date.now() }) : null;
  return (
    <div className="usage usage-live" data-testid="usage-live" aria-live="off">
      <span className="dot-live" aria-hidden="true" />
      <span title="Estimated from the text so far; the exact figure follows when the answer ends" data-testid="usage-live-speed">
        {liveSpeedText(tps, chars)}
      </span>
      {startedAt !== null && (
        <span title="Time since the task started" data-testid="usage-live-elapsed">
          {formatElapsed(Math.max(0, now - startedAt))}
        </span>
      )}
    </div>
  );
}
