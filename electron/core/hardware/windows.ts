// Windows: systeminformation takes `vram` from the registry's HardwareInformation.qwMemorySize
// when it can pair the registry entry with the WMI adapter, and otherwise from WMI's
// AdapterRAM, a 32-bit field that tops out at 4 GiB (4095/4096 MiB). When a card reports that
// cap we read the registry ourselves with reg.exe and pair by driver description.
import type { Gpu } from '../../../shared/hardware.js';
import { fromSystemInformation, joinNotes, mib } from './classify.js';
import { isWmiCapped } from './nvidia.js';
import { formatBytes } from './units.js';
import type { ProbeDeps, SiController } from './types.js';

export const DISPLAY_CLASS_KEY = 'HKLM\\SYSTEM\\ControlSet001\\Control\\Class\\{4d36e968-e325-11ce-bfc1-08002be10318}';
export const REG_MEMORY_ARGS = ['query', DISPLAY_CLASS_KEY, '/s', '/v', 'HardwareInformation.qwMemorySize'];
export const REG_DESC_ARGS = ['query', DISPLAY_CLASS_KEY, '/s', '/v', 'DriverDesc'];

/** reg.exe output → value per subkey: "HKEY_…\0000" → "0x600000000". */
export function parseRegQuery(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  let key = '';
  for (const line of stdout.split(/\r?\n/)) {
    if (line.startsWith('HKEY_')) key = line.trim();
    const m = /^\s+(\S+)\s+(REG_\w+)\s+(.*)$/.exec(line);
    if (m && key) values.set(key, m[3].trim());
  }
  return values;
}

/** Adapter memory per driver description (lower-cased), e.g. "amd radeon rx 7800 xt" → bytes. */
export async function readRegistryMemory(deps: ProbeDeps, timeoutMs: number): Promise<Map<string, number> | null> {
  try {
    const [mem, desc] = await Promise.all([deps.run('reg', REG_MEMORY_ARGS, { timeoutMs }), deps.run('reg', REG_DESC_ARGS, { timeoutMs })]);
    // Exit codes are not trusted: without admin rights reg.exe reports "Access is denied" for
    // the Properties subkeys and exits 1, yet has printed every readable value.
    const sizes = parseRegQuery(mem.stdout);
    const names = parseRegQuery(desc.stdout);
    const byName = new Map<string, number>();
    for (const [key, raw] of sizes) {
      const name = names.get(key);
      const bytes = Number(raw); // REG_QWORD prints as hex: Number('0x600000000') parses it
      if (name && Number.isFinite(bytes) && bytes > 0) byName.set(name.toLowerCase(), bytes);
    }
    return byName.size ? byName : null;
  } catch {
    return null;
  }
}

export function windowsGpu(c: SiController, registry: Map<string, number> | null, extraNote: string | null = null): Gpu {
  const vram = mib(c.vram);
  if (!isWmiCapped(vram)) {
    // Above 4 GiB the figure can only have come from the registry.
    const fromRegistry = vram !== null && vram > 4096;
    const gpu = fromSystemInformation(c, 'win32', joinNotes(extraNote, fromRegistry ? 'VRAM from the registry (HardwareInformation.qwMemorySize), as WMI AdapterRAM caps at 4 GiB' : null));
    return fromRegistry && !gpu.integrated ? { ...gpu, source: 'registry' } : gpu;
  }
  const bytes = registry?.get((c.name || c.model).trim().toLowerCase());
  if (bytes === undefined) {
    return fromSystemInformation(c, 'win32', joinNotes(extraNote, `WMI AdapterRAM caps at 4 GiB: this card may have more than the ${vram} MiB reported (no registry figure found)`));
  }
  const gpu = fromSystemInformation(c, 'win32', joinNotes(extraNote, `WMI AdapterRAM caps at 4 GiB (systeminformation reported ${vram} MiB); the registry's HardwareInformation.qwMemorySize says ${formatBytes(bytes)}`));
  return { ...gpu, vramTotalBytes: bytes, source: 'registry' };
}

export const anyWmiCapped = (controllers: SiController[]): boolean => controllers.some((c) => mib(c.memoryTotal) === null && isWmiCapped(mib(c.vram)));
