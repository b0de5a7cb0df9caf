// AMD on Linux: systeminformation's `vram` comes from the largest PCI memory region lspci
// shows, i.e. the BAR (often 256 MiB), not the card's memory. The amdgpu driver publishes
// the real figures in sysfs: /sys/class/drm/cardN/device/mem_info_vram_{total,used}.
import type { Gpu } from '../../../shared/hardware.js';
import { INTEGRATED_NOTE, displayName, fromSystemInformation, joinNotes, mib } from './classify.js';
import { formatBytes } from './units.js';
import { GIB, type ProbeDeps, type SiController } from './types.js';

export const DRM_DIR = '/sys/class/drm';
const AMD_VENDOR_ID = '0x1002';

export interface AmdCard {
  card: string;
  /** PCI_SLOT_NAME from uevent, e.g. "0000:03:00.0", to pair with lspci's "03:00.0". */
  slot: string | null;
  /** PCI_ID from uevent, e.g. "1002:744C". */
  pciId: string | null;
  productName: string | null;
  vramTotal: number | null;
  vramUsed: number | null;
  gttTotal: number | null;
}

async function readOr(deps: ProbeDeps, file: string): Promise<string | null> {
  try {
    return (await deps.readFile(file)).trim();
  } catch {
    return null;
  }
}

function bytes(text: string | null): number | null {
  if (text === null || !/^\d+$/.test(text)) return null;
  return Number(text);
}

function ueventField(uevent: string | null, key: string): string | null {
  const line = (uevent ?? '').split('\n').find((l) => l.startsWith(`${key}=`));
  return line ? line.slice(key.length + 1).trim() : null;
}

/** AMD cards under /sys/class/drm; [] when sysfs is not there (not Linux, sandboxed). */
export async function readAmdCards(deps: ProbeDeps): Promise<AmdCard[]> {
  let entries: string[];
  try {
    entries = await deps.readdir(DRM_DIR);
  } catch {
    return [];
  }
  // cardN only: cardN-DP-1 etc. are connectors of the same card, renderD128 its render node.
  const cards = entries.filter((e) => /^card\d+$/.test(e)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const read = await Promise.all(
    cards.map(async (card): Promise<AmdCard | null> => {
      const dev = `${DRM_DIR}/${card}/device`;
      if ((await readOr(deps, `${dev}/vendor`))?.toLowerCase() !== AMD_VENDOR_ID) return null;
      const [total, used, gtt, uevent, product] = await Promise.all(
        ['mem_info_vram_total', 'mem_info_vram_used', 'mem_info_gtt_total', 'uevent', 'product_name'].map((f) => readOr(deps, `${dev}/${f}`)),
      );
      return {
        card,
        slot: ueventField(uevent, 'PCI_SLOT_NAME'),
        pciId: ueventField(uevent, 'PCI_ID'),
        productName: product || null,
        vramTotal: bytes(total),
        vramUsed: bytes(used),
        gttTotal: bytes(gtt),
      };
    }),
  );
  return read.filter((c): c is AmdCard => c !== null && c.vramTotal !== null);
}

/** A carve-out of 1 GiB or less is an APU's: the rest of its memory is GTT in system RAM. */
const isApu = (card: AmdCard, c: SiController | undefined): boolean => Boolean(c?.vramDynamic) || (card.vramTotal ?? 0) <= GIB;

function cardToGpu(card: AmdCard, c: SiController | undefined): Gpu {
  const total = card.vramTotal ?? 0;
  const integrated = isApu(card, c);
  const siVram = mib(c?.vram);
  const why = !c
    ? 'systeminformation did not list this card (it needs lspci); read from sysfs'
    : siVram !== null
      ? `systeminformation reported ${siVram} MiB (the PCI BAR size); sysfs mem_info_vram_total says ${formatBytes(total)}`
      : 'systeminformation had no VRAM figure; read from sysfs mem_info_vram_total';
  const apuNote = integrated ? `APU: ${formatBytes(total)} carve-out${card.gttTotal ? ` plus ${formatBytes(card.gttTotal)} GTT in system RAM` : ''}; ${INTEGRATED_NOTE}` : null;
  return {
    name: c ? displayName(c, 'amd') : card.productName || `AMD GPU ${card.pciId ?? card.card}`,
    vendor: 'amd',
    backend: integrated ? 'none' : 'rocm',
    vramTotalBytes: total,
    vramFreeBytes: card.vramUsed === null ? null : Math.max(0, total - card.vramUsed),
    integrated,
    source: 'sysfs',
    note: joinNotes(why, apuNote),
  };
}

/** Pairs systeminformation's AMD controllers with sysfs cards: by PCI address, else by order. */
export function mergeAmd(controllers: SiController[], cards: AmdCard[]): Gpu[] {
  const unused = [...cards];
  const take = (c: SiController): AmdCard | undefined => {
    const addr = (c.busAddress ?? '').toLowerCase();
    let i = addr ? unused.findIndex((card) => (card.slot ?? '').toLowerCase().endsWith(addr)) : -1;
    if (i < 0) i = unused.findIndex((card) => card.slot === null || !controllers.some((o) => o.busAddress && card.slot?.toLowerCase().endsWith(o.busAddress.toLowerCase())));
    return i < 0 ? undefined : unused.splice(i, 1)[0];
  };
  const gpus = controllers.map((c) => {
    const card = take(c);
    if (card) return cardToGpu(card, c);
    return fromSystemInformation(c, 'linux', 'no sysfs mem_info_vram_total for this card: the VRAM figure is systeminformation\'s and may be the PCI BAR size');
  });
  return [...gpus, ...unused.map((card) => cardToGpu(card, undefined))];
}
