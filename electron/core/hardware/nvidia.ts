// NVIDIA: nvidia-smi is the authority. systeminformation only merges its figures when lspci
// found the card (so containers without pciutils get nothing), and on Windows falls back to
// WMI's AdapterRAM, which is capped at 4 GiB. Here we ask nvidia-smi ourselves when needed.
import type { Gpu } from '../../../shared/hardware.js';
import { mib, vendorOf } from './classify.js';
import { MIB, type ProbeDeps, type SiController } from './types.js';

export const NVIDIA_SMI_ARGS = ['--query-gpu=name,memory.total,memory.used,memory.free', '--format=csv,noheader,nounits'];

export interface NvidiaSmiRow {
  name: string;
  /** MiB; null when nvidia-smi printed [N/A] / [Not Supported]. */
  totalMib: number | null;
  usedMib: number | null;
  freeMib: number | null;
}

function cell(value: string | undefined): number | null {
  const text = (value ?? '').trim();
  if (!text || text.startsWith('[')) return null; // [N/A], [Not Supported], [Unknown Error]
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

export function parseNvidiaSmi(stdout: string): NvidiaSmiRow[] {
  return stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.split(','))
    .filter((parts) => parts.length === 4 && parts[0].trim() !== '')
    .map(([name, total, used, free]) => ({ name: name.trim(), totalMib: cell(total), usedMib: cell(used), freeMib: cell(free) }));
}

/** The rows, or null when nvidia-smi is missing, fails or times out: then nothing is corrected. */
export async function queryNvidiaSmi(deps: ProbeDeps, timeoutMs: number): Promise<NvidiaSmiRow[] | null> {
  try {
    const { stdout, code } = await deps.run('nvidia-smi', NVIDIA_SMI_ARGS, { timeoutMs });
    if (code !== 0) return null; // e.g. "couldn't communicate with the NVIDIA driver" (exit 9)
    const rows = parseNvidiaSmi(stdout);
    return rows.length ? rows : null;
  } catch {
    return null;
  }
}

/** WMI's AdapterRAM is a 32-bit field: 4095 or 4096 MiB means "4 GiB or more". */
export const isWmiCapped = (vramMib: number | null): boolean => vramMib !== null && vramMib >= 4095 && vramMib <= 4096;

export function needsNvidiaSmi(platform: NodeJS.Platform, controllers: SiController[]): boolean {
  if (platform !== 'linux' && platform !== 'win32') return false;
  const nvidia = controllers.filter((c) => vendorOf(c) === 'nvidia');
  return nvidia.length === 0 || nvidia.some((c) => mib(c.memoryTotal) === null || mib(c.memoryFree) === null);
}

/** Why systeminformation's figure for this controller was replaced. */
function reason(c: SiController | undefined, platform: NodeJS.Platform): string {
  if (!c) return 'systeminformation found no NVIDIA controller (it needs lspci, often missing in containers); figures read from nvidia-smi';
  const vram = mib(c.vram);
  if (mib(c.memoryTotal) === null) {
    if (platform === 'win32' && isWmiCapped(vram)) return `WMI AdapterRAM caps at 4 GiB (systeminformation reported ${vram} MiB); figures read from nvidia-smi`;
    if (vram !== null) return `systeminformation reported ${vram} MiB (a PCI BAR size, not the card's memory: its own nvidia-smi call gave nothing); figures read from nvidia-smi`;
    return 'systeminformation had no memory figure for this card; figures read from nvidia-smi';
  }
  return 'systeminformation had no free-memory figure; read from nvidia-smi';
}

export interface UnifiedMemory {
  totalBytes: number;
  freeBytes: number;
}

function rowToGpu(row: NvidiaSmiRow, why: string, unified: UnifiedMemory | null): Gpu {
  const base = { name: row.name, vendor: 'nvidia', backend: 'cuda', integrated: false } as const;
  if (row.totalMib === null) {
    // Grace/GB10 (DGX Spark) and Jetson print [N/A]: the GPU shares system memory with the CPU.
    if (unified) {
      return { ...base, vramTotalBytes: unified.totalBytes, vramFreeBytes: unified.freeBytes, source: 'os', note: `${why}; nvidia-smi reports [N/A] memory, as on unified-memory boards (DGX Spark, Jetson): using system RAM` };
    }
    return { ...base, vramTotalBytes: 0, vramFreeBytes: null, source: 'nvidia-smi', note: `${why}; nvidia-smi reports [N/A] memory, so VRAM is unknown` };
  }
  const freeMib = row.freeMib ?? (row.usedMib !== null ? Math.max(0, row.totalMib - row.usedMib) : null);
  const freeNote = row.freeMib === null ? (freeMib === null ? 'free memory [N/A]' : 'free memory [N/A], computed as total − used') : null;
  return {
    ...base,
    vramTotalBytes: row.totalMib * MIB,
    vramFreeBytes: freeMib === null ? null : freeMib * MIB,
    source: 'nvidia-smi',
    note: freeNote ? `${why}; ${freeNote}` : why,
  };
}

/**
 * The NVIDIA GPUs, from nvidia-smi rows when there are any (they replace systeminformation's
 * NVIDIA controllers, paired by order for the note). `unresolved` are the controllers no
 * row could correct, for the caller's fallbacks.
 */
export function mergeNvidia(
  controllers: SiController[],
  rows: NvidiaSmiRow[] | null,
  opts: { platform: NodeJS.Platform; unified: UnifiedMemory | null },
): { gpus: Gpu[]; unresolved: SiController[] } {
  const nvidia = controllers.filter((c) => vendorOf(c) === 'nvidia');
  if (!rows) return { gpus: [], unresolved: nvidia };
  const countNote = nvidia.length > 0 && nvidia.length !== rows.length ? `systeminformation listed ${nvidia.length} NVIDIA controller(s), nvidia-smi ${rows.length}; figures from nvidia-smi` : null;
  const gpus = rows.map((row, i) => rowToGpu(row, countNote ?? reason(nvidia[i], opts.platform), opts.unified));
  return { gpus, unresolved: [] };
}
