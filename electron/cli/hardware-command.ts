// `macs hardware [--json]`: what the hardware probe found, and which figures it corrected.
import type { HardwareInfo } from '../../shared/hardware.js';
import { toErrorPayload } from '../../shared/errors.js';
import { formatBytes, formatRam, probeHardware } from '../core/hardware/index.js';
import type { CliContext } from './context.js';
import { fields, table } from './format.js';

export interface HardwareCommandOptions {
  json?: boolean;
}

export function hardwareLines(info: HardwareInfo): string[] {
  const lines: string[] = [];
  if (info.gpus.length) {
    const rows = info.gpus.map((g) => [
      g.name,
      g.vramTotalBytes > 0 ? formatBytes(g.vramTotalBytes) : '?',
      g.vramFreeBytes === null ? '?' : formatBytes(g.vramFreeBytes),
      g.integrated ? 'none (integrated)' : g.backend,
      g.bandwidth ? `${Math.round(g.bandwidth.bytesPerSecond / 1e9)} GB/s` : '?',
      g.source,
      g.note ?? '',
    ]);
    lines.push(...table(['GPU', 'VRAM', 'FREE', 'BACKEND', 'BANDWIDTH', 'SOURCE', 'NOTE'], rows), '');
  }
  lines.push(
    ...fields([
      ...(info.gpus.length ? [] : [['GPU', 'none found'] as [string, string]]),
      ['RAM', `${formatRam(info.ram.totalBytes)} total, ${formatBytes(info.ram.freeBytes)} available`],
      ...(info.ram.bandwidth ? [['RAM speed', info.ram.bandwidth.detail] as [string, string]] : []),
      ['CPU', `${info.cpu.brand} (${info.cpu.cores} cores, ${info.cpu.threads} threads)`],
      ['Platform', info.platform],
      ['Summary', info.summary],
    ]),
  );
  return lines;
}

/** Exit 0 on success; 1 if the probe itself failed (it falls back rather than fail, so rarely). */
export async function hardwareCommand(ctx: CliContext, opts: HardwareCommandOptions = {}, probe: () => Promise<HardwareInfo> = () => probeHardware()): Promise<number> {
  try {
    const info = await probe();
    if (opts.json) ctx.stdout(JSON.stringify(info, null, 2));
    else hardwareLines(info).forEach((line) => ctx.stdout(line));
    return 0;
  } catch (err) {
    ctx.stderr(`error: ${toErrorPayload(err).message}`);
    return 1;
  }
}
