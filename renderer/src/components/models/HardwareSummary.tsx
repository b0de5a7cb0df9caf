import type { HardwareInfo } from '../../../../shared/index.js';
import { hasUsableGpu } from '../../lib/fit.js';
import { formatBytes, formatClock } from '../../lib/format.js';
import { GpuRow } from './GpuRow.js';

/** What this machine has, with the source of each figure, and what that means for models. */
export function HardwareSummary({ hardware }: { hardware: HardwareInfo }) {
  const gpu = hasUsableGpu(hardware);
  return (
    <section className="models-section hw" data-testid="hardware-summary">
      <h3 className="models-section-title">
        This machine
        <span className="models-section-meta">probed {formatClock(hardware.probedAt)}</span>
      </h3>
      <p className="hw-summary" data-testid="hardware-summary-line">
        {hardware.summary}
      </p>
      {hardware.gpus.length > 0 && (
        <ul className="hw-gpus">
          {hardware.gpus.map((g, i) => (
            <GpuRow key={`${g.name}-${i}`} gpu={g} />
          ))}
        </ul>
      )}
      {!gpu && (
        <div className="hw-cpu-notice" data-testid="hw-cpu-notice">
          <strong>{hardware.gpus.length === 0 ? 'No GPU found.' : 'No dedicated GPU Ollama can use.'}</strong> Models run on the CPU from system RAM.
          That works, but generation is several times slower than on a GPU — prefer small coding models (1.5B–7B) and a modest context.
        </div>
      )}
      <dl className="hw-facts">
        <div>
          <dt>RAM</dt>
          <dd>
            {formatBytes(hardware.ram.totalBytes)} total · {formatBytes(hardware.ram.freeBytes)} free
          </dd>
        </div>
        {hardware.ram.bandwidth && (
          <div>
            <dt>RAM speed</dt>
            <dd data-testid="ram-bandwidth" title="Models on the CPU generate about this many bytes of weights per second; it sets their tokens/s">
              {(hardware.ram.bandwidth.bytesPerSecond / 1e9).toFixed(1)} GB/s · {hardware.ram.bandwidth.source === 'memLayout' ? 'from the DIMMs (peak)' : hardware.ram.bandwidth.source}
            </dd>
          </div>
        )}
        <div>
          <dt>CPU</dt>
          <dd>
            {hardware.cpu.brand} · {hardware.cpu.cores} cores / {hardware.cpu.threads} threads
          </dd>
        </div>
        <div>
          <dt>Platform</dt>
          <dd>{hardware.platform}</dd>
        </div>
      </dl>
    </section>
  );
}
