// The outside world the probe touches, as an injectable seam: tests replay recorded outputs
// through it, the app passes the real modules (default-deps.ts).

/** The part of a systeminformation `graphics().controllers[]` entry the probe reads (sizes in MiB). */
export interface SiController {
  vendor: string;
  vendorId?: string;
  model: string;
  name?: string;
  bus: string;
  busAddress?: string;
  vram: number | null;
  vramDynamic: boolean;
  subDeviceId?: string;
  /** Only ever set from nvidia-smi (systeminformation merges it in when lspci found the card). */
  memoryTotal?: number;
  memoryUsed?: number;
  memoryFree?: number;
}

export interface SiGraphics {
  controllers: SiController[];
}

export interface SiMem {
  total: number;
  /** What the OS can hand out without swapping (MemAvailable on Linux); "free" undercounts caches. */
  available: number;
}

/** One DIMM of systeminformation `memLayout()` (clockSpeed in MT/s; 0 or null when unreadable, as in containers). */
export interface SiMemLayout {
  size: number;
  type?: string;
  clockSpeed: number | null;
}

export interface SiCpu {
  manufacturer: string;
  brand: string;
  /** Logical processors. */
  cores: number;
  physicalCores: number;
}

export interface RunResult {
  stdout: string;
  code: number;
}

export interface ProbeDeps {
  si: {
    graphics(): Promise<SiGraphics>;
    mem(): Promise<SiMem>;
    cpu(): Promise<SiCpu>;
    /** Optional: replays without a recorded layout have none. */
    memLayout?(): Promise<SiMemLayout[]>;
  };
  /** A short timed copy (≈100 ms) measuring RAM bandwidth; absent or null: not measured. */
  measureRamBandwidth?(): Promise<{ bytesPerSecond: number; passes: number; ms: number } | null>;
  /** Runs a program directly (no shell). Resolves on any exit code; rejects when it cannot start (ENOENT) or times out. */
  run(cmd: string, args: string[], opts: { timeoutMs: number }): Promise<RunResult>;
  readFile(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  platform: NodeJS.Platform;
  arch: string;
  totalmem(): number;
  freemem(): number;
  /** Fallback CPU name and thread count when systeminformation fails. */
  cpus(): Array<{ model: string }>;
  now(): number;
}

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;
