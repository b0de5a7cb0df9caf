// System RAM bandwidth, for models that run (partly) on the CPU: their speed is bound by how
// fast the weights stream from RAM. Measured when we can (a short timed memcpy), else from the
// DIMM layout (transfers/s × 8 bytes × channels), else a cautious assumption. Which one is
// always said, so the UI can tell a measurement from a guess.
import type { Bandwidth } from '../../../shared/hardware.js';
import type { SiMemLayout } from './types.js';

const GB = 1e9;

/** Buffers well beyond any CPU cache, so the copy runs at DRAM speed. */
const COPY_BYTES = 64 * 1024 * 1024;
/** The probe's time box: the copy loop stops after this, so a probe stays cheap. */
export const COPY_BUDGET_MS = 100;

/**
 * Times repeated copies of a 64 MiB buffer for about `budgetMs` and returns bytes moved per
 * second (a copy reads and writes each byte: 2 × size per pass). One thread, like the memory
 * traffic of one llama.cpp generation step on a small machine; null when it cannot run.
 */
export function measureCopyBandwidth(budgetMs = COPY_BUDGET_MS): { bytesPerSecond: number; passes: number; ms: number } | null {
  try {
    const src = Buffer.alloc(COPY_BYTES, 1);
    const dst = Buffer.allocUnsafe(COPY_BYTES);
    src.copy(dst); // first touch: page faults are not bandwidth
    const start = process.hrtime.bigint();
    let passes = 0;
    let elapsedNs = 0;
    do {
      src.copy(dst);
      passes++;
      elapsedNs = Number(process.hrtime.bigint() - start);
    } while (elapsedNs < budgetMs * 1e6 && passes < 64);
    const bytesPerSecond = (2 * COPY_BYTES * passes) / (elapsedNs / 1e9);
    return Number.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? { bytesPerSecond, passes, ms: elapsedNs / 1e6 } : null;
  } catch {
    return null;
  }
}

export function measuredBandwidth(m: { bytesPerSecond: number; passes: number; ms: number }): Bandwidth {
  return {
    bytesPerSecond: m.bytesPerSecond,
    source: 'measured',
    detail: `measured: ${(m.bytesPerSecond / GB).toFixed(1)} GB/s copying 64 MiB ${m.passes}× in ${Math.round(m.ms)} ms (one thread)`,
  };
}

/**
 * Peak bandwidth from the DIMMs systeminformation lists: MT/s × 8 bytes per channel. Desktop
 * boards run two channels however many DIMMs are fitted (four DIMMs share two channels), so
 * the count is min(populated DIMMs, 2); servers with more channels are under-rated, which errs slow.
 * null when no DIMM reports a clock (containers, VMs and non-root Linux often do not).
 */
export function bandwidthFromLayout(layout: SiMemLayout[]): Bandwidth | null {
  const dimms = layout.filter((d) => d.size > 0 && d.clockSpeed && d.clockSpeed > 0);
  if (dimms.length === 0) return null;
  const mts = Math.min(...dimms.map((d) => d.clockSpeed ?? 0));
  const channels = Math.min(dimms.length, 2);
  const type = dimms[0].type ? `${dimms[0].type} ` : '';
  return {
    bytesPerSecond: mts * 1e6 * 8 * channels,
    source: 'memLayout',
    detail: `from the DIMMs: ${type}${mts} MT/s × 8 bytes × ${channels} channel${channels > 1 ? 's' : ''} = ${((mts * 8 * channels) / 1000).toFixed(1)} GB/s peak`,
  };
}

/** When nothing could be read: one channel of DDR4-2400, slow on purpose (a guess must not promise speed). */
export function assumedRamBandwidth(): Bandwidth {
  return { bytesPerSecond: 19.2 * GB, source: 'assumed', detail: 'not measurable here: assumed 19.2 GB/s (one channel of DDR4-2400)' };
}
