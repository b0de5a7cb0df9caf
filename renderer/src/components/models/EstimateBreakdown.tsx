import type { MemoryEstimate } from '../../../../shared/index.js';
import { formatCtx } from '../../lib/fit.js';
import { formatBytes } from '../../lib/format.js';

export interface Capacity {
  bytes: number;
  /** "GPU free", "RAM free". */
  label: string;
}

const PARTS = [
  { key: 'weightsBytes', label: 'weights', cls: 'seg-weights', why: 'The model file (its size in /api/tags).' },
  { key: 'kvCacheBytes', label: 'KV cache', cls: 'seg-kv', why: 'Grows with the context length; smaller with a q8_0 / q4_0 cache.' },
  { key: 'graphBytes', label: 'graph', cls: 'seg-graph', why: 'Scratch memory for the compute graph.' },
  { key: 'overheadBytes', label: 'overhead', cls: 'seg-overhead', why: 'Fixed per-GPU runtime minimum.' },
] as const;

/** Where the memory goes at this context, as a stacked bar against what is free. */
export function EstimateBreakdown({ estimate, capacity }: { estimate: MemoryEstimate; capacity: Capacity | null }) {
  const scale = Math.max(estimate.totalBytes, capacity?.bytes ?? 0) || 1;
  const pct = (n: number) => `${(n / scale) * 100}%`;
  const over = capacity !== null && estimate.totalBytes > capacity.bytes;
  return (
    <div className="estimate" data-testid="estimate-breakdown">
      <div className="estimate-bar" aria-hidden="true">
        {PARTS.map((p) => (
          <span key={p.key} className={`estimate-seg ${p.cls}`} style={{ width: pct(estimate[p.key]) }} />
        ))}
        {capacity && (
          <span className={`estimate-cap${over ? ' over' : ''}`} style={{ left: pct(capacity.bytes) }} title={`${capacity.label}: ${formatBytes(capacity.bytes)}`} />
        )}
      </div>
      <div className="estimate-legend">
        {PARTS.filter((p) => estimate[p.key] > 0).map((p) => (
          <span key={p.key} className="estimate-item" title={p.why}>
            <span className={`estimate-swatch ${p.cls}`} />
            {p.label} {formatBytes(estimate[p.key])}
          </span>
        ))}
        <span className="estimate-total">
          = {formatBytes(estimate.totalBytes)} at {formatCtx(estimate.numCtx)}
          {capacity && (
            <span className={over ? 'estimate-over' : 'muted'}>
              {' '}
              · {capacity.label} {formatBytes(capacity.bytes)}
            </span>
          )}
        </span>
      </div>
    </div>
  );
}
