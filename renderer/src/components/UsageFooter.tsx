import type { Usage } from '../store/task-view.js';
import { formatCount, formatDuration } from '../lib/format.js';

export function UsageFooter({ usage }: { usage: Usage }) {
  const tps = usage.evalDurationMs > 0 ? usage.evalTokens / (usage.evalDurationMs / 1000) : null;
  return (
    <div className="usage" data-testid="usage">
      <span title="Prompt tokens">{formatCount(usage.promptTokens)} in</span>
      <span title="Generated tokens">{formatCount(usage.evalTokens)} out</span>
      {tps !== null && <span title="Generation speed">{tps.toFixed(1)} tok/s</span>}
      <span title="Total time">{formatDuration(usage.totalDurationMs)}</span>
      {usage.doneReason === 'length' && <span className="usage-warn">stopped at the context limit</span>}
    </div>
  );
}
