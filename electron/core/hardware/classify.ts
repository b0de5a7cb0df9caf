// Turns a systeminformation controller into a Gpu as-is (no corrections), and holds the
// rules every path shares: vendor, "integrated", and which Ollama backend would run on it.
import type { Gpu } from '../../../shared/hardware.js';
import { GIB, MIB, type SiController } from './types.js';

export type Vendor = Gpu['vendor'];

export function vendorOf(c: SiController): Vendor {
  const id = (c.vendorId ?? '').toLowerCase();
  const text = `${c.vendor} ${c.model} ${c.name ?? ''}`.toLowerCase();
  if (id.endsWith('10de') || text.includes('nvidia')) return 'nvidia';
  if (id.endsWith('1002') || /advanced micro devices|\bamd\b|\bati\b|radeon/.test(text)) return 'amd';
  // systeminformation guesses Apple's USB id (0x05ac) when system_profiler gives none.
  if (id.endsWith('106b') || id.endsWith('05ac') || /\bapple\b/.test(text)) return 'apple';
  if (id.endsWith('8086') || /\bintel\b/.test(text)) return 'intel';
  return 'other';
}

const SHORT_VENDOR: Record<Vendor, string> = { nvidia: 'NVIDIA', amd: 'AMD', apple: 'Apple', intel: 'Intel', other: '' };

/**
 * lspci names a card "AD104 [GeForce RTX 4070]" (chip codename, then the marketing name in
 * brackets): keep the marketing name and put the vendor in front, "NVIDIA GeForce RTX 4070".
 */
export function displayName(c: SiController, vendor: Vendor): string {
  let raw = (c.name || c.model || c.vendor || 'Unknown GPU').replace(/\((R|TM)\)|[®™]/gi, '').replace(/\s+/g, ' ').trim();
  const marketing = /^[^[\]]*\[([^\]]+)\]$/.exec(raw);
  if (marketing) raw = marketing[1].trim();
  const prefix = SHORT_VENDOR[vendor];
  return prefix && !raw.toLowerCase().startsWith(prefix.toLowerCase()) ? `${prefix} ${raw}` : raw;
}

/** Arc A/B-series cards are discrete; "Intel Arc Graphics" in Meteor Lake is not. */
const INTEL_DISCRETE = /\barc\s+(pro\s+)?[ab]\d{3}/i;

/**
 * Ollama only offloads to GPUs with their own memory (and Apple's Metal); integrated ones
 * share system RAM, so it schedules the model on the CPU. Linux AMD is decided from sysfs
 * instead (amd-sysfs.ts), because there systeminformation's `vram` is a PCI BAR size.
 */
export function isIntegrated(c: SiController, vendor: Vendor, platform: NodeJS.Platform): boolean {
  if (vendor === 'apple') return false;
  if (vendor === 'intel') return !INTEL_DISCRETE.test(`${c.model} ${c.name ?? ''}`);
  if (c.vramDynamic) return true;
  // Outside Linux an APU reports its carve-out (often 512 MiB) as vram.
  return vendor === 'amd' && platform !== 'linux' && c.vram !== null && c.vram > 0 && c.vram * MIB <= GIB;
}

export function backendFor(vendor: Vendor, integrated: boolean, platform: NodeJS.Platform): Gpu['backend'] {
  if (integrated) return 'none';
  if (vendor === 'nvidia') return 'cuda';
  if (vendor === 'amd') return platform === 'darwin' ? 'none' : 'rocm'; // Ollama has no GPU path on Intel Macs
  if (vendor === 'apple') return 'metal';
  return 'none';
}

export const INTEGRATED_NOTE = 'integrated GPU: Ollama runs models on the CPU and system RAM';

export function joinNotes(...notes: Array<string | null | undefined>): string | null {
  const kept = notes.filter((n): n is string => Boolean(n));
  return kept.length ? kept.join('; ') : null;
}

/** A positive MiB figure, or null for missing / NaN / 0 (systeminformation's "no data"). */
export function mib(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** The controller as systeminformation describes it, with the shared rules applied. */
export function fromSystemInformation(c: SiController, platform: NodeJS.Platform, note: string | null = null): Gpu {
  const vendor = vendorOf(c);
  const integrated = isIntegrated(c, vendor, platform);
  const totalMib = mib(c.memoryTotal) ?? mib(c.vram) ?? 0;
  const freeMib = mib(c.memoryFree);
  return {
    name: displayName(c, vendor),
    vendor,
    backend: backendFor(vendor, integrated, platform),
    vramTotalBytes: totalMib * MIB,
    vramFreeBytes: freeMib === null ? null : freeMib * MIB,
    integrated,
    source: 'systeminformation',
    note: joinNotes(note, integrated ? INTEGRATED_NOTE : null),
  };
}

/** GPUs Ollama offloads to first (it picks the biggest usable one), the rest after, otherwise in probe order. */
export function usableFirst(gpus: Gpu[]): Gpu[] {
  const usable = (g: Gpu) => !g.integrated && g.backend !== 'none';
  return [...gpus.filter(usable), ...gpus.filter((g) => !usable(g))];
}
