// Apple Silicon: CPU and GPU share one pool of memory. Metal lets the GPU wire only part
// of it (recommendedMaxWorkingSetSize): about 2/3 of RAM below 36 GiB and 3/4 from there,
// unless the user raised it with `sysctl iogpu.wired_limit_mb=…` (macOS 14+).
import type { Gpu } from '../../../shared/hardware.js';
import { displayName } from './classify.js';
import { formatBytes, formatRam } from './units.js';
import { GIB, MIB, type ProbeDeps, type SiController } from './types.js';

export const WIRED_LIMIT_ARGS = ['-n', 'iogpu.wired_limit_mb'];
const LARGE_RAM = 36 * GIB;

/** The user's wired limit in bytes, or null when unset (0), unknown to this macOS, or sysctl failed. */
export async function readWiredLimit(deps: ProbeDeps, timeoutMs: number): Promise<number | null> {
  try {
    const { stdout, code } = await deps.run('sysctl', WIRED_LIMIT_ARGS, { timeoutMs });
    const mb = Number(stdout.trim());
    return code === 0 && Number.isFinite(mb) && mb > 0 ? mb * MIB : null;
  } catch {
    return null;
  }
}

export function metalShare(ramTotalBytes: number): number {
  return ramTotalBytes < LARGE_RAM ? 2 / 3 : 3 / 4;
}

export function appleGpu(c: SiController | undefined, cpuBrand: string, ram: { totalBytes: number; freeBytes: number }, wiredLimitBytes: number | null): Gpu {
  const total = wiredLimitBytes ?? Math.round(ram.totalBytes * metalShare(ram.totalBytes));
  const share = ram.totalBytes > 0 ? total / ram.totalBytes : 0;
  // What the GPU could still wire is not cheaply knowable; the same share of what the OS
  // has available is a fair estimate, and never more than the limit itself.
  const free = Math.min(total, Math.round(ram.freeBytes * share));
  const limit = wiredLimitBytes
    ? `sysctl iogpu.wired_limit_mb=${Math.round(wiredLimitBytes / MIB)} sets the Metal limit to ${formatBytes(total)} of ${formatRam(ram.totalBytes)} RAM`
    : `Metal can use about ${share < 0.7 ? '2/3' : '3/4'} of ${formatRam(ram.totalBytes)} RAM (${formatBytes(total)}; 2/3 below 36 GiB, 3/4 above)`;
  return {
    name: c ? displayName(c, 'apple') : cpuBrand.toLowerCase().startsWith('apple') ? cpuBrand : `Apple ${cpuBrand}`,
    vendor: 'apple',
    backend: 'metal',
    vramTotalBytes: total,
    vramFreeBytes: free,
    integrated: false,
    source: wiredLimitBytes ? 'sysctl' : 'apple-unified',
    note: `unified memory: ${limit}; free is an estimate (that share of the OS's available memory)`,
  };
}
