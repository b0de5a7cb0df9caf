import type { Gpu } from '../../../../shared/index.js';
import { formatBytes } from '../../lib/format.js';

const BACKEND: Record<Gpu['backend'], string> = { cuda: 'CUDA', rocm: 'ROCm', metal: 'Metal', vulkan: 'Vulkan', none: 'no GPU runtime' };

/** One GPU: name, runtime, VRAM total/free, and where those figures came from. */
export function GpuRow({ gpu }: { gpu: Gpu }) {
  const used = gpu.vramFreeBytes !== null ? gpu.vramTotalBytes - gpu.vramFreeBytes : null;
  const usedPct = used !== null && gpu.vramTotalBytes > 0 ? Math.round((used / gpu.vramTotalBytes) * 100) : null;
  return (
    <li className="hw-gpu" data-testid="hw-gpu">
      <div className="hw-gpu-line">
        <span className="hw-gpu-name">{gpu.name}</span>
        <span className="chip">{BACKEND[gpu.backend]}</span>
        {gpu.integrated && (
          <span className="chip chip-muted" title="Ollama runs models for integrated GPUs on the CPU from system RAM">
            integrated — counts as CPU + RAM
          </span>
        )}
        <span className="hw-gpu-mem">
          {formatBytes(gpu.vramTotalBytes)} VRAM
          {gpu.vramFreeBytes !== null ? ` · ${formatBytes(gpu.vramFreeBytes)} free` : ' · free memory unknown'}
        </span>
        {usedPct !== null && (
          <div className="meter" aria-label={`${usedPct}% of VRAM in use`}>
            <div className="meter-fill" style={{ width: `${usedPct}%` }} />
          </div>
        )}
        {gpu.bandwidth && (
          <span className="chip chip-muted" title={`${gpu.bandwidth.detail}: generation speed scales with it`}>
            {Math.round(gpu.bandwidth.bytesPerSecond / 1e9)} GB/s
          </span>
        )}
        <span className="chip chip-source" title="Where these figures came from">
          via {gpu.source}
        </span>
      </div>
      {gpu.note && <div className="hw-note">{gpu.note}</div>}
    </li>
  );
}
