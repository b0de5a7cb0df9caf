// probeHardware: systeminformation first, then the vendor/OS corrections, all time-boxed so
// a probe answers within ~5 s even when a tool hangs.
import type { Bandwidth, Gpu, HardwareInfo } from '../../../shared/hardware.js';
import { appleGpu, readWiredLimit } from './apple.js';
import { mergeAmd, readAmdCards, type AmdCard } from './amd-sysfs.js';
import { fromSystemInformation, mib, usableFirst, vendorOf } from './classify.js';
import { cleanCpuBrand } from './cpu.js';
import { defaultProbeDeps } from './default-deps.js';
import { mergeNvidia, needsNvidiaSmi, queryNvidiaSmi, type NvidiaSmiRow } from './nvidia.js';
import { knownGpuBandwidth } from './gpu-bandwidth.js';
import { assumedRamBandwidth, bandwidthFromLayout, measuredBandwidth } from './ram-bandwidth.js';
import { summarize } from './summary.js';
import type { ProbeDeps, SiController } from './types.js';
import { anyWmiCapped, readRegistryMemory, windowsGpu } from './windows.js';

export interface ProbeLimits {
  /** Each systeminformation call (they run in parallel). */
  siMs: number;
  /** Each outside command / sysfs pass (they run in parallel, after systeminformation). */
  commandMs: number;
}

// 3 s + 1.5 s keeps the worst case under 5 s.
export const DEFAULT_PROBE_LIMITS: ProbeLimits = { siMs: 3000, commandMs: 1500 };

/** The promise's value, or `fallback` if it rejects or takes longer than `ms`. */
export async function timebox<T>(work: () => Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(work).catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function readRam(deps: ProbeDeps, ms: number): Promise<HardwareInfo['ram']> {
  const mem = await timebox(() => deps.si.mem(), ms, null);
  const total = mem && mem.total > 0 ? mem.total : deps.totalmem();
  // "available" (MemAvailable) counts reclaimable cache; plain "free" would understate it by gigabytes.
  const free = mem && mem.available > 0 ? mem.available : deps.freemem();
  return { totalBytes: total, freeBytes: free };
}

async function readCpu(deps: ProbeDeps, ms: number): Promise<HardwareInfo['cpu']> {
  const cpu = await timebox(() => deps.si.cpu(), ms, null);
  if (cpu && cpu.cores > 0) {
    return { brand: cleanCpuBrand(cpu.manufacturer, cpu.brand), cores: cpu.physicalCores || cpu.cores, threads: cpu.cores };
  }
  const cpus = deps.cpus();
  // os.cpus() cannot tell cores from threads: report threads for both rather than guess.
  return { brand: cleanCpuBrand('', cpus[0]?.model ?? 'Unknown CPU'), cores: Math.max(1, cpus.length), threads: Math.max(1, cpus.length) };
}

interface Probed {
  nvidiaRows: NvidiaSmiRow[] | null;
  amdCards: AmdCard[];
  wiredLimit: number | null;
  registry: Map<string, number> | null;
}

/** The outside reads the corrections need, only those this machine calls for, in parallel. */
async function readCorrections(deps: ProbeDeps, controllers: SiController[], ms: number): Promise<Probed> {
  const { platform } = deps;
  const [nvidiaRows, amdCards, wiredLimit, registry] = await Promise.all([
    needsNvidiaSmi(platform, controllers) ? timebox(() => queryNvidiaSmi(deps, ms), ms + 250, null) : Promise.resolve(null),
    platform === 'linux' ? timebox(() => readAmdCards(deps), ms, []) : Promise.resolve([]),
    platform === 'darwin' && deps.arch === 'arm64' ? timebox(() => readWiredLimit(deps, ms), ms + 250, null) : Promise.resolve(null),
    platform === 'win32' && anyWmiCapped(controllers) ? timebox(() => readRegistryMemory(deps, ms), ms + 250, null) : Promise.resolve(null),
  ]);
  return { nvidiaRows, amdCards, wiredLimit, registry };
}

/** systeminformation's figure for an NVIDIA card nvidia-smi could not confirm, and why it is suspect. */
function unconfirmedNvidia(c: SiController, deps: ProbeDeps, registry: Map<string, number> | null): Gpu {
  const why = 'nvidia-smi unavailable';
  if (deps.platform === 'win32') return windowsGpu(c, registry, why);
  if (mib(c.memoryTotal) !== null) return fromSystemInformation(c, deps.platform, `${why}: free memory unknown`);
  return fromSystemInformation(c, deps.platform, mib(c.vram) === null ? `${why}: VRAM unknown` : `${why}: the ${mib(c.vram)} MiB figure is systeminformation's PCI BAR size, not the card's memory`);
}

function correctGpus(deps: ProbeDeps, controllers: SiController[], probed: Probed, ram: HardwareInfo['ram'], cpuBrand: string): Gpu[] {
  const { platform } = deps;
  const of = (v: string) => controllers.filter((c) => vendorOf(c) === v);
  const nvidia = of('nvidia');
  const amd = of('amd');
  const apple = of('apple');
  const rest = controllers.filter((c) => !['nvidia', 'amd', 'apple'].includes(vendorOf(c)));
  const plain = (c: SiController) => (platform === 'win32' ? windowsGpu(c, probed.registry) : fromSystemInformation(c, platform));
  const gpus: Gpu[] = [];

  if (needsNvidiaSmi(platform, controllers)) {
    const unified = platform === 'linux' && deps.arch === 'arm64' ? ram : null;
    const merged = mergeNvidia(controllers, probed.nvidiaRows, { platform, unified });
    gpus.push(...merged.gpus, ...merged.unresolved.map((c) => unconfirmedNvidia(c, deps, probed.registry)));
  } else {
    gpus.push(...nvidia.map(plain));
  }

  if (platform === 'linux') gpus.push(...mergeAmd(amd, probed.amdCards));
  else gpus.push(...amd.map(plain));

  if (platform === 'darwin' && deps.arch === 'arm64') {
    // systeminformation may time out (system_profiler is slow): the chip is still there.
    const chips = apple.length ? apple : [undefined];
    gpus.push(...chips.map((c) => appleGpu(c, cpuBrand, ram, probed.wiredLimit)));
  } else {
    gpus.push(...apple.map(plain));
  }

  gpus.push(...rest.map(plain));
  return usableFirst(gpus);
}

/**
 * RAM bandwidth: measured first (what this machine actually does, sharing and all), else the
 * DIMM layout's peak, else an assumption. The measurement runs after the other probes so its
 * ~100 ms of copying does not compete with them.
 */
async function readRamBandwidth(deps: ProbeDeps, ms: number): Promise<Bandwidth> {
  const measured = deps.measureRamBandwidth ? await timebox(() => deps.measureRamBandwidth!(), ms, null) : null;
  if (measured) return measuredBandwidth(measured);
  const layout = deps.si.memLayout ? await timebox(() => deps.si.memLayout!(), ms, []) : [];
  return bandwidthFromLayout(layout) ?? assumedRamBandwidth();
}

function withBandwidth(gpu: Gpu): Gpu {
  const known = knownGpuBandwidth(gpu.name);
  return { ...gpu, bandwidth: known ? { bytesPerSecond: known.bytesPerSecond, source: 'spec-table', detail: known.detail } : null };
}

export async function probeHardware(deps: ProbeDeps = defaultProbeDeps(), limits: ProbeLimits = DEFAULT_PROBE_LIMITS): Promise<HardwareInfo> {
  const [graphics, ram, cpu] = await Promise.all([
    timebox(() => deps.si.graphics(), limits.siMs, null),
    readRam(deps, limits.siMs),
    readCpu(deps, limits.siMs),
  ]);
  const controllers = graphics?.controllers ?? [];
  const probed = await readCorrections(deps, controllers, limits.commandMs);
  const gpus = correctGpus(deps, controllers, probed, ram, cpu.brand).map(withBandwidth);
  const bandwidth = await readRamBandwidth(deps, limits.commandMs);
  return { gpus, ram: { ...ram, bandwidth }, cpu, platform: deps.platform, summary: summarize({ gpus, ram, cpu }), probedAt: deps.now() };
}
