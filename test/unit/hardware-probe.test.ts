// The hardware probe against recorded outputs (test/fixtures/hardware): one test per
// correction path, plus the summary lines, the service cache and `macs hardware`.
import { describe, expect, it, vi } from 'vitest';
import { HardwareInfoSchema, type Gpu, type HardwareInfo } from '../../shared/hardware.js';
import { MacsError } from '../../shared/errors.js';
import { HardwareService, probeHardware, type ProbeLimits } from '../../electron/core/hardware/index.js';
import { parseNvidiaSmi, NVIDIA_SMI_ARGS } from '../../electron/core/hardware/nvidia.js';
import { parseRegQuery } from '../../electron/core/hardware/windows.js';
import { cleanCpuBrand } from '../../electron/core/hardware/cpu.js';
import { hardwareCommand } from '../../electron/cli/hardware-command.js';
import type { CliContext } from '../../electron/cli/context.js';
import { fakeDeps, type Machine } from '../fixtures/hardware/fake-deps.js';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

async function probe(m: Machine, limits?: ProbeLimits): Promise<{ info: HardwareInfo; calls: ReturnType<typeof fakeDeps>['calls'] }> {
  const deps = fakeDeps(m);
  const info = await probeHardware(deps, limits);
  HardwareInfoSchema.parse(info); // what crosses IPC/REST must match the contract
  return { info, calls: deps.calls };
}

const ran = (calls: Array<{ cmd: string }>, cmd: string) => calls.some((c) => c.cmd === cmd);
const only = (info: HardwareInfo): Gpu => {
  expect(info.gpus).toHaveLength(1);
  return info.gpus[0];
};

const linuxBox = { platform: 'linux', arch: 'x64', mem: 'mem-linux-32g', cpu: 'cpu-ryzen-7700x' } as const;
const container = { platform: 'linux', arch: 'x64', graphics: 'graphics-linux-container', mem: 'mem-linux-container-24g', cpu: 'cpu-linux-container-xeon' } as const;

describe('NVIDIA: nvidia-smi when systeminformation has nothing usable', () => {
  it('container without lspci: systeminformation lists no controller, nvidia-smi has the card', async () => {
    const { info, calls } = await probe({ ...linuxBox, graphics: 'graphics-linux-container', commands: { 'nvidia-smi': { file: 'nvidia-smi/rtx4070.csv' } } });
    expect(calls.find((c) => c.cmd === 'nvidia-smi')?.args).toEqual(NVIDIA_SMI_ARGS);
    const gpu = only(info);
    expect(gpu).toMatchObject({ name: 'NVIDIA GeForce RTX 4070', vendor: 'nvidia', backend: 'cuda', integrated: false, source: 'nvidia-smi' });
    expect(gpu.vramTotalBytes).toBe(12282 * MIB);
    expect(gpu.vramFreeBytes).toBe(11458 * MIB);
    expect(gpu.note).toMatch(/no NVIDIA controller.*lspci/);
    expect(info.summary).toBe('NVIDIA GeForce RTX 4070 · 12.0 GiB VRAM (11.2 GiB free) · 31 GiB RAM · AMD Ryzen 7 7700X (8 cores)');
  });

  it('two GPUs: one entry each, summed in the summary', async () => {
    const { info } = await probe({ ...container, commands: { 'nvidia-smi': { file: 'nvidia-smi/2x-rtx3090.csv' } } });
    expect(info.gpus.map((g) => [g.name, g.vramTotalBytes / MIB, (g.vramFreeBytes ?? 0) / MIB])).toEqual([
      ['NVIDIA GeForce RTX 3090', 24576, 24012],
      ['NVIDIA GeForce RTX 3090', 24576, 24260],
    ]);
    expect(info.summary).toBe('2× NVIDIA GeForce RTX 3090 · 48.0 GiB VRAM (47.1 GiB free) · 23.5 GiB RAM · Intel Xeon Processor (2 cores)');
  });

  it('lspci present but systeminformation got no nvidia-smi data: its 256 MiB PCI BAR is replaced', async () => {
    const { info } = await probe({ ...linuxBox, graphics: 'graphics-linux-rtx4070-lspci', commands: { 'nvidia-smi': { file: 'nvidia-smi/rtx4070.csv' } } });
    const gpu = only(info);
    expect(gpu).toMatchObject({ name: 'NVIDIA GeForce RTX 4070', source: 'nvidia-smi', vramTotalBytes: 12282 * MIB });
    expect(gpu.note).toMatch(/256 MiB.*PCI BAR/);
  });

  it('systeminformation already merged nvidia-smi figures: taken as they are, nvidia-smi not run again', async () => {
    const { info, calls } = await probe({ ...linuxBox, graphics: 'graphics-linux-rtx4070-merged', commands: { 'nvidia-smi': { file: 'nvidia-smi/2x-rtx3090.csv' } } });
    expect(ran(calls, 'nvidia-smi')).toBe(false);
    expect(only(info)).toEqual({
      name: 'NVIDIA GeForce RTX 4070',
      vendor: 'nvidia',
      backend: 'cuda',
      vramTotalBytes: 12282 * MIB,
      vramFreeBytes: 11458 * MIB,
      integrated: false,
      source: 'systeminformation',
      note: null,
      bandwidth: { bytesPerSecond: 504e9, source: 'spec-table', detail: 'NVIDIA GeForce RTX 4070: 504 GB/s (vendor spec)' },
    });
  });

  it('[N/A] memory on a unified-memory board (DGX Spark, linux arm64): system RAM stands in', async () => {
    const { info } = await probe({ platform: 'linux', arch: 'arm64', graphics: 'graphics-linux-container', mem: 'mem-linux-gb10-128g', cpu: 'cpu-gb10', commands: { 'nvidia-smi': { file: 'nvidia-smi/gb10-na.csv' } } });
    const gpu = only(info);
    expect(gpu).toMatchObject({ name: 'NVIDIA GB10', backend: 'cuda', source: 'os', vramTotalBytes: 128378613760, vramFreeBytes: 121860222976 });
    expect(gpu.note).toMatch(/\[N\/A\].*unified-memory/);
  });

  it('[N/A] memory on x64: VRAM unknown (0, free null), said in the note and the summary', async () => {
    const { info } = await probe({ ...container, commands: { 'nvidia-smi': { file: 'nvidia-smi/gb10-na.csv' } } });
    const gpu = only(info);
    expect(gpu).toMatchObject({ source: 'nvidia-smi', vramTotalBytes: 0, vramFreeBytes: null });
    expect(gpu.note).toMatch(/VRAM is unknown/);
    expect(info.summary).toContain('NVIDIA GB10 · VRAM unknown');
  });

  it('nvidia-smi missing (ENOENT): no correction and no error; the BAR figure is flagged', async () => {
    const { info, calls } = await probe({ ...linuxBox, graphics: 'graphics-linux-rtx4070-lspci' });
    expect(ran(calls, 'nvidia-smi')).toBe(true);
    const gpu = only(info);
    expect(gpu).toMatchObject({ name: 'NVIDIA GeForce RTX 4070', source: 'systeminformation', vramTotalBytes: 256 * MIB, vramFreeBytes: null });
    expect(gpu.note).toMatch(/nvidia-smi unavailable.*256 MiB.*PCI BAR/);
  });

  it('nvidia-smi failing (driver not loaded, exit 9): no correction and no error', async () => {
    const { info } = await probe({ ...container, commands: { 'nvidia-smi': { file: 'nvidia-smi/driver-not-loaded.txt', code: 9 } } });
    expect(info.gpus).toEqual([]);
    expect(info.summary).toContain('models run on the CPU');
  });

  it('a hanging nvidia-smi or systeminformation is time-boxed', async () => {
    const t0 = Date.now();
    const hung = await probe({ ...container, commands: { 'nvidia-smi': 'hang' } }, { siMs: 100, commandMs: 100 });
    expect(hung.calls[0].timeoutMs).toBe(100);
    expect(hung.info.gpus).toEqual([]);
    const siHung = await probe({ ...container, graphics: 'hang', commands: { 'nvidia-smi': { file: 'nvidia-smi/rtx4070.csv' } } }, { siMs: 100, commandMs: 100 });
    expect(only(siHung.info).source).toBe('nvidia-smi');
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});

describe('AMD on Linux: sysfs mem_info_vram_*', () => {
  const rx = { ...linuxBox, graphics: 'graphics-linux-rx7900xtx', sysfs: 'rx7900xtx' } as const;

  it('RX 7900 XTX: 24 GiB from sysfs instead of the 256 MiB BAR; the Raphael iGPU beside it is integrated', async () => {
    const { info } = await probe(rx);
    expect(info.gpus).toHaveLength(2);
    const [xtx, igpu] = info.gpus;
    expect(xtx).toMatchObject({ name: 'AMD Radeon RX 7900 XT/7900 XTX/7900M', vendor: 'amd', backend: 'rocm', integrated: false, source: 'sysfs' });
    expect(xtx.vramTotalBytes).toBe(25753026560);
    expect(xtx.vramFreeBytes).toBe(25753026560 - 1384706048);
    expect(xtx.note).toBe('systeminformation reported 256 MiB (the PCI BAR size); sysfs mem_info_vram_total says 24.0 GiB');
    expect(igpu).toMatchObject({ name: 'AMD Raphael', backend: 'none', integrated: true, source: 'sysfs', vramTotalBytes: 512 * MIB });
    expect(igpu.note).toMatch(/APU: 512 MiB carve-out plus 15.5 GiB GTT.*CPU and system RAM/);
    expect(info.summary).toBe('AMD Radeon RX 7900 XT/7900 XTX/7900M · 24.0 GiB VRAM (22.7 GiB free) · 31 GiB RAM · AMD Ryzen 7 7700X (8 cores)');
  });

  it('pairs cards by PCI address, not by order', async () => {
    const deps = fakeDeps(rx);
    const graphics = await deps.si.graphics();
    deps.si.graphics = async () => ({ controllers: [...graphics.controllers].reverse() });
    const info = await probeHardware(deps);
    expect(info.gpus.find((g) => g.name === 'AMD Raphael')?.vramTotalBytes).toBe(512 * MIB);
    expect(info.gpus.find((g) => g.backend === 'rocm')?.vramTotalBytes).toBe(25753026560);
  });

  it('no lspci: the card comes from sysfs alone', async () => {
    const { info } = await probe({ ...rx, graphics: 'graphics-linux-container' });
    expect(info.gpus[0]).toMatchObject({ name: 'AMD GPU 1002:744C', backend: 'rocm', vramTotalBytes: 25753026560, source: 'sysfs' });
    expect(info.gpus[0].note).toMatch(/did not list this card/);
    expect(info.gpus[1]).toMatchObject({ integrated: true, backend: 'none' });
  });

  it('APU (Ryzen 7 5700G, 512 MiB carve-out): integrated, models on the CPU', async () => {
    const { info } = await probe({ platform: 'linux', arch: 'x64', graphics: 'graphics-linux-apu-5700g', mem: 'mem-linux-apu-32g', cpu: 'cpu-ryzen-5700g', sysfs: 'apu-5700g' });
    const gpu = only(info);
    expect(gpu).toMatchObject({ vendor: 'amd', integrated: true, backend: 'none', vramTotalBytes: 512 * MIB, vramFreeBytes: 536870912 - 178515968, source: 'sysfs' });
    expect(info.summary).toBe(
      'No dedicated GPU (AMD Radeon Vega Series / Radeon Vega Mobile Series is integrated) · 30.7 GiB RAM · AMD Ryzen 7 5700G with Radeon Graphics (8 cores) (models run on the CPU)',
    );
  });
});

describe('Apple Silicon: unified memory', () => {
  const mac = { platform: 'darwin', arch: 'arm64', graphics: 'graphics-mac-m2pro', mem: 'mem-mac-32g', cpu: 'cpu-m2pro' } as const;

  it('M2 Pro 32 GB, no wired limit: 2/3 of RAM, free = the same share of available memory', async () => {
    const { info, calls } = await probe({ ...mac, commands: { sysctl: { file: 'sysctl/wired-limit-unset.txt' } } });
    expect(calls.find((c) => c.cmd === 'sysctl')?.args).toEqual(['-n', 'iogpu.wired_limit_mb']);
    expect(ran(calls, 'nvidia-smi')).toBe(false);
    const gpu = only(info);
    expect(gpu).toMatchObject({ name: 'Apple M2 Pro', vendor: 'apple', backend: 'metal', integrated: false, source: 'apple-unified' });
    expect(gpu.vramTotalBytes).toBe(Math.round((32 * GIB * 2) / 3));
    expect(gpu.vramFreeBytes).toBe(Math.round((19366723584 * 2) / 3));
    expect(gpu.note).toMatch(/unified memory.*2\/3 of 32 GiB.*free is an estimate/);
    expect(info.summary).toBe('Apple M2 Pro · 21.3 GiB usable by Metal (12.0 GiB free) · 32 GiB RAM · Apple M2 Pro (12 cores)');
  });

  it('M2 Pro 32 GB with iogpu.wired_limit_mb=28672: the limit overrides the share', async () => {
    const { info } = await probe({ ...mac, commands: { sysctl: { file: 'sysctl/wired-limit-28672.txt' } } });
    const gpu = only(info);
    expect(gpu).toMatchObject({ source: 'sysctl', vramTotalBytes: 28 * GIB });
    expect(gpu.vramFreeBytes).toBe(Math.round(19366723584 * (28 / 32)));
    expect(gpu.note).toMatch(/iogpu\.wired_limit_mb=28672/);
  });

  it('Mac with 64 GB: 3/4 of RAM', async () => {
    const { info } = await probe({ platform: 'darwin', arch: 'arm64', graphics: 'graphics-mac-m2max', mem: 'mem-mac-64g', cpu: 'cpu-m2max', commands: { sysctl: { file: 'sysctl/wired-limit-unset.txt' } } });
    expect(only(info)).toMatchObject({ name: 'Apple M2 Max', vramTotalBytes: 48 * GIB, source: 'apple-unified' });
  });

  it('macOS 13 (no iogpu.wired_limit_mb) or a slow system_profiler: still the chip, from the share of RAM', async () => {
    const { info } = await probe({ ...mac, graphics: 'hang', commands: { sysctl: { stdout: '', code: 1 } } }, { siMs: 50, commandMs: 50 });
    expect(only(info)).toMatchObject({ name: 'Apple M2 Pro', backend: 'metal', source: 'apple-unified', vramTotalBytes: Math.round((32 * GIB * 2) / 3) });
  });
});

describe('Windows: the WMI AdapterRAM 4 GiB cap', () => {
  const win = { platform: 'win32', arch: 'x64', graphics: 'graphics-win-rtx4090-wmi', mem: 'mem-win-64g', cpu: 'cpu-i9-13900k' } as const;
  const reg4090 = { 'reg HardwareInformation.qwMemorySize': { file: 'reg/rtx4090-qwMemorySize.txt' }, 'reg DriverDesc': { file: 'reg/rtx4090-DriverDesc.txt' } };

  it('RTX 4090 reported as 4095 MiB: nvidia-smi has the real 24 GiB; the Intel UHD 770 is integrated', async () => {
    const { info } = await probe({ ...win, commands: { 'nvidia-smi': { file: 'nvidia-smi/rtx4090-windows.csv' }, ...reg4090 } });
    expect(info.gpus).toHaveLength(2);
    const [rtx, uhd] = info.gpus;
    expect(rtx).toMatchObject({ name: 'NVIDIA GeForce RTX 4090', source: 'nvidia-smi', vramTotalBytes: 24564 * MIB, vramFreeBytes: 22738 * MIB });
    expect(rtx.note).toMatch(/WMI AdapterRAM caps at 4 GiB \(systeminformation reported 4095 MiB\)/);
    expect(uhd).toMatchObject({ name: 'Intel UHD Graphics 770', vendor: 'intel', integrated: true, backend: 'none' });
    expect(info.summary).toBe('NVIDIA GeForce RTX 4090 · 24.0 GiB VRAM (22.2 GiB free) · 63.9 GiB RAM · Intel Core i9-13900K (24 cores)');
  });

  it('RTX 4090 at 4095 MiB and no nvidia-smi: the registry qwMemorySize', async () => {
    const { info } = await probe({ ...win, commands: reg4090 });
    expect(info.gpus[0]).toMatchObject({ name: 'NVIDIA GeForce RTX 4090', source: 'registry', vramTotalBytes: 24 * GIB, vramFreeBytes: null });
    expect(info.gpus[0].note).toMatch(/nvidia-smi unavailable; WMI AdapterRAM caps at 4 GiB.*qwMemorySize says 24.0 GiB/);
  });

  it('RX 7800 XT at 4095 MiB: the registry has 16 GiB', async () => {
    const { info } = await probe({
      platform: 'win32', arch: 'x64', graphics: 'graphics-win-rx7800xt-wmi', mem: 'mem-win-32g', cpu: 'cpu-ryzen-7800x3d',
      commands: { 'reg HardwareInformation.qwMemorySize': { file: 'reg/rx7800xt-qwMemorySize.txt', code: 1 }, 'reg DriverDesc': { file: 'reg/rx7800xt-DriverDesc.txt', code: 1 } },
    });
    expect(only(info)).toMatchObject({ name: 'AMD Radeon RX 7800 XT', vendor: 'amd', backend: 'rocm', source: 'registry', vramTotalBytes: 16 * GIB });
    expect(info.summary).toBe('AMD Radeon RX 7800 XT · 16.0 GiB VRAM · 31.9 GiB RAM · AMD Ryzen 7 7800X3D (8 cores)');
  });

  it('capped and no registry figure: kept, with the cap said', async () => {
    const { info } = await probe({ platform: 'win32', arch: 'x64', graphics: 'graphics-win-rx7800xt-wmi', mem: 'mem-win-32g', cpu: 'cpu-ryzen-7800x3d' });
    expect(only(info)).toMatchObject({ source: 'systeminformation', vramTotalBytes: 4095 * MIB });
    expect(only(info).note).toMatch(/may have more than the 4095 MiB/);
  });

  it('systeminformation already read the registry (16384 MiB): no reg.exe call, source registry', async () => {
    const { info, calls } = await probe({ platform: 'win32', arch: 'x64', graphics: 'graphics-win-rx7800xt-registry', mem: 'mem-win-32g', cpu: 'cpu-ryzen-7800x3d' });
    expect(ran(calls, 'reg')).toBe(false);
    expect(only(info)).toMatchObject({ source: 'registry', vramTotalBytes: 16 * GIB });
  });
});

describe('integrated GPUs and no GPU', () => {
  it('Intel Iris Xe laptop: integrated, backend none, models on the CPU', async () => {
    const { info, calls } = await probe({ platform: 'linux', arch: 'x64', graphics: 'graphics-linux-intel-laptop', mem: 'mem-linux-laptop-16g', cpu: 'cpu-i7-1165g7', sysfs: 'intel-laptop' });
    expect(ran(calls, 'nvidia-smi')).toBe(true); // looked for, absent: fine
    expect(only(info)).toMatchObject({ name: 'Intel Iris Xe Graphics', vendor: 'intel', integrated: true, backend: 'none', source: 'systeminformation' });
    expect(only(info).note).toMatch(/integrated GPU/);
    expect(info.summary).toBe('No dedicated GPU (Intel Iris Xe Graphics is integrated) · 15.3 GiB RAM · Intel Core i7-1165G7 (4 cores) (models run on the CPU)');
  });

  it('no GPU at all (this dev container, recorded)', async () => {
    const { info } = await probe(container);
    expect(info).toEqual({
      gpus: [],
      // free = "available", not MemFree; no copy measurement or DIMM clock in this replay: an assumed bandwidth, said so
      ram: { totalBytes: 25276502016, freeBytes: 24783278080, bandwidth: { bytesPerSecond: 19.2e9, source: 'assumed', detail: expect.stringMatching(/^not measurable here/) } },
      cpu: { brand: 'Intel Xeon Processor', cores: 2, threads: 2 },
      platform: 'linux',
      summary: 'No dedicated GPU · 23.5 GiB RAM · Intel Xeon Processor (2 cores) (models run on the CPU)',
      probedAt: 1_700_000_000_000,
    });
  });

  it('systeminformation broken: os figures stand in', async () => {
    const deps = fakeDeps({ ...container, graphics: 'throw' });
    deps.si.mem = () => Promise.reject(new Error('boom'));
    deps.si.cpu = () => Promise.reject(new Error('boom'));
    const info = await probeHardware(deps);
    expect(info.ram).toMatchObject({ totalBytes: 25276502016, freeBytes: 23516311552, bandwidth: { source: 'assumed' } });
    expect(info.cpu).toEqual({ brand: 'Fallback', cores: 1, threads: 1 });
  });
});

describe('parsers', () => {
  it('nvidia-smi CSV: CRLF, [N/A], blank lines', () => {
    expect(parseNvidiaSmi('NVIDIA GeForce RTX 4090, 24564, 1433, 22738\r\n\r\nTesla T4, 15360, [N/A], [Not Supported]\n')).toEqual([
      { name: 'NVIDIA GeForce RTX 4090', totalMib: 24564, usedMib: 1433, freeMib: 22738 },
      { name: 'Tesla T4', totalMib: 15360, usedMib: null, freeMib: null },
    ]);
    expect(parseNvidiaSmi("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")).toEqual([]);
  });

  it('reg.exe output', () => {
    const values = parseRegQuery('\r\nHKEY_LOCAL_MACHINE\\X\\0000\r\n    DriverDesc    REG_SZ    AMD Radeon RX 7800 XT\r\n\r\nEnd of search: 1 match(es) found.\r\n');
    expect([...values]).toEqual([['HKEY_LOCAL_MACHINE\\X\\0000', 'AMD Radeon RX 7800 XT']]);
  });

  it.each([
    ['AMD', 'Ryzen 7 7700X 8-Core Processor', 'AMD Ryzen 7 7700X'],
    ['Intel', 'Core™ i7-1165G7 @ 2.80GHz', 'Intel Core i7-1165G7'],
    ['Apple', 'M2 Pro', 'Apple M2 Pro'],
    ['', 'Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz', 'Intel Xeon E5-2680 v4'],
  ])('cpu %s %s → %s', (maker, brand, expected) => expect(cleanCpuBrand(maker, brand)).toBe(expected));
});

describe('HardwareService', () => {
  const info = (n: number): HardwareInfo => ({ gpus: [], ram: { totalBytes: 1, freeBytes: 1 }, cpu: { brand: 'x', cores: 1, threads: 1 }, platform: 'linux', summary: `probe ${n}`, probedAt: n });

  it('caches; concurrent calls share one probe; refresh probes again', async () => {
    let n = 0;
    const probeFn = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 10));
      return info(++n);
    });
    const service = new HardwareService({ probe: probeFn });
    expect(service.peek()).toBeNull();
    const [a, b] = await Promise.all([service.get(), service.get()]);
    expect(a).toBe(b);
    expect(probeFn).toHaveBeenCalledTimes(1);
    expect((await service.get()).summary).toBe('probe 1');
    expect(probeFn).toHaveBeenCalledTimes(1);
    expect((await service.get({ refresh: true })).summary).toBe('probe 2');
    expect(service.peek()?.summary).toBe('probe 2');
  });

  it('re-probes when older than maxAgeMs', async () => {
    let now = 1000;
    let n = 0;
    const service = new HardwareService({ probe: async () => ({ ...info(++n), probedAt: now }), maxAgeMs: 500, now: () => now });
    await service.get();
    now += 400;
    expect((await service.get()).summary).toBe('probe 1');
    now += 200;
    expect((await service.get()).summary).toBe('probe 2');
  });

  it('a failing probe rejects with a MacsError, and the next call tries again', async () => {
    let fail = true;
    const service = new HardwareService({ probe: async () => (fail ? Promise.reject(new Error('kaput')) : info(1)) });
    await expect(service.get()).rejects.toSatisfy((e: unknown) => e instanceof MacsError && e.code === 'INTERNAL' && /kaput/.test(e.message));
    fail = false;
    expect((await service.get()).summary).toBe('probe 1');
  });
});

describe('macs hardware', () => {
  const capture = () => {
    const out: string[] = [];
    const ctx: CliContext = { version: '0', dataDir: '', rendererDir: '', env: {}, stdout: (l) => out.push(l), stderr: (l) => out.push(`ERR ${l}`), write: (t) => out.push(t) };
    return { out, ctx };
  };

  it('prints a GPU table with total/free/source/note, then RAM, CPU and the summary', async () => {
    const { out, ctx } = capture();
    const code = await hardwareCommand(ctx, {}, () => probeHardware(fakeDeps({ ...linuxBox, graphics: 'graphics-linux-rx7900xtx', sysfs: 'rx7900xtx' })));
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^GPU\s+VRAM\s+FREE\s+BACKEND\s+BANDWIDTH\s+SOURCE\s+NOTE$/);
    // The name covers the XT and the XTX: the lower bandwidth (800 GB/s) errs slow.
    expect(out[1]).toMatch(/^AMD Radeon RX 7900 XT\/7900 XTX\/7900M\s+24\.0 GiB\s+22\.7 GiB\s+rocm\s+800 GB\/s\s+sysfs\s+systeminformation reported 256 MiB/);
    expect(out[2]).toMatch(/^AMD Raphael\s+512 MiB\s+487 MiB\s+none \(integrated\)\s+\?\s+sysfs\s+/);
    expect(out).toContain('RAM speed  not measurable here: assumed 19.2 GB/s (one channel of DDR4-2400)');
    expect(out).toContain('RAM        31 GiB total, 24.9 GiB available');
    expect(out).toContain('CPU        AMD Ryzen 7 7700X (8 cores, 16 threads)');
    expect(out.at(-1)).toMatch(/^Summary {4}AMD Radeon RX 7900/);
  });

  it('--json prints HardwareInfo', async () => {
    const { out, ctx } = capture();
    await hardwareCommand(ctx, { json: true }, () => probeHardware(fakeDeps(container)));
    expect(HardwareInfoSchema.parse(JSON.parse(out.join('\n'))).summary).toContain('models run on the CPU');
  });

  it('a failed probe exits 1 with the message', async () => {
    const { out, ctx } = capture();
    expect(await hardwareCommand(ctx, {}, () => Promise.reject(new MacsError('INTERNAL', 'no luck')))).toBe(1);
    expect(out).toEqual(['ERR error: no luck']);
  });
});
