// Hardware probe: what GPUs, VRAM, RAM and CPU this machine has, corrected where
// systeminformation is known to be wrong. See shared/hardware.ts for the result types.
export { probeHardware, DEFAULT_PROBE_LIMITS, type ProbeLimits } from './probe.js';
export { HardwareService, type HardwareServiceOptions } from './hardware-service.js';
export { defaultProbeDeps, runCommand } from './default-deps.js';
export { CommandError, type CommandFailure } from './command-error.js';
export { summarize, usableGpus } from './summary.js';
export { formatBytes, formatRam } from './units.js';
export { knownGpuBandwidth, type KnownBandwidth } from './gpu-bandwidth.js';
export { measureCopyBandwidth, bandwidthFromLayout } from './ram-bandwidth.js';
export type { ProbeDeps, RunResult, SiController, SiCpu, SiGraphics, SiMem, SiMemLayout } from './types.js';
