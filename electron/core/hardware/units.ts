// Byte figures as people read them: GiB with one decimal, MiB below 1 GiB.
import { GIB, MIB } from './types.js';

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GiB`;
  return `${Math.round(bytes / MIB)} MiB`;
}

/** RAM reads better without a trailing ".0" ("32 GiB RAM"). */
export function formatRam(bytes: number): string {
  return formatBytes(bytes).replace(/\.0 GiB$/, ' GiB');
}
