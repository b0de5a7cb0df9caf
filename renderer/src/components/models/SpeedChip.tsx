import type { ModelSpeed } from '../../../../shared/index.js';
import { isSlow, speedLabel, speedTitle } from '../../lib/speed.js';

/** "≈ 12 tok/s · a small project in ≈ 6 min", amber when slower than the recommendation's limit. */
export function SpeedChip({ speed }: { speed: ModelSpeed | null | undefined }) {
  if (!speed) return null;
  return (
    <span
      className={`speed ${isSlow(speed) ? 'speed-slow' : 'speed-ok'}${speed.source === 'measured' ? ' speed-measured' : ''}`}
      data-testid="model-speed"
      data-source={speed.source}
      title={speedTitle(speed)}
    >
      {speedLabel(speed)}
      {speed.rough && speed.source === 'estimate' && <span className="speed-rough"> (rough)</span>}
    </span>
  );
}

/** "≈ rough" beside a memory estimate built from a conservative stand-in shape; the tooltip says why. */
export function RoughChip({ reason }: { reason: string | null }) {
  return (
    <span className="chip chip-warn" data-testid="estimate-rough" title={`Rough estimate, erring high: ${reason ?? 'the architecture numbers are missing'}.`}>
      ≈ rough
    </span>
  );
}
