// The one-line description shown in the status bar, the CLI and logs.
import type { Gpu, HardwareInfo } from '../../../shared/hardware.js';
import { formatBytes, formatRam } from './units.js';

/** GPUs Ollama would actually offload to (integrated ones and unsupported backends run on the CPU). */
export const usableGpus = (gpus: Gpu[]): Gpu[] => gpus.filter((g) => !g.integrated && g.backend !== 'none');

/** "2× NVIDIA GeForce RTX 3090 + NVIDIA GeForce RTX 3060". */
function names(gpus: Gpu[]): string {
  const counts = new Map<string, number>();
  for (const g of gpus) counts.set(g.name, (counts.get(g.name) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${n}× ${name}` : name)).join(' + ');
}

function memoryPart(gpus: Gpu[]): string {
  const total = gpus.reduce((s, g) => s + g.vramTotalBytes, 0);
  const label = gpus.every((g) => g.backend === 'metal') ? 'usable by Metal' : 'VRAM';
  if (total <= 0) return 'VRAM unknown';
  const free = gpus.every((g) => g.vramFreeBytes !== null) ? ` (${formatBytes(gpus.reduce((s, g) => s + (g.vramFreeBytes ?? 0), 0))} free)` : '';
  return `${formatBytes(total)} ${label}${free}`;
}

export function summarize(info: Pick<HardwareInfo, 'gpus' | 'ram' | 'cpu'>): string {
  const ram = `${formatRam(info.ram.totalBytes)} RAM`;
  const cpu = `${info.cpu.brand} (${info.cpu.cores} cores)`;
  const usable = usableGpus(info.gpus);
  if (usable.length) return [names(usable), memoryPart(usable), ram, cpu].join(' · ');

  const unsupported = info.gpus.filter((g) => !g.integrated);
  const integrated = info.gpus.filter((g) => g.integrated);
  const gpu = unsupported.length
    ? `No GPU Ollama can use (${names(unsupported)})`
    : integrated.length
      ? `No dedicated GPU (${names(integrated)} ${integrated.length > 1 ? 'are' : 'is'} integrated)`
      : 'No dedicated GPU';
  return `${gpu} · ${ram} · ${cpu} (models run on the CPU)`;
}
