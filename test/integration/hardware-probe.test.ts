// The REAL probe on this machine (a CI/dev container with no GPU, no lspci, no nvidia-smi):
// it must answer, quickly, that models run on the CPU, and the default deps must survive
// the missing tools.
import { describe, expect, it } from 'vitest';
import { HardwareInfoSchema } from '../../shared/hardware.js';
import { CommandError, HardwareService, defaultProbeDeps, probeHardware, runCommand, usableGpus } from '../../electron/core/hardware/index.js';
import { estimateSpeed, fitModel, loadCuratedModels, pickRecommended } from '../../electron/core/models/index.js';

describe('real hardware probe', () => {
  it('finds no usable GPU here, RAM > 0, and says models run on the CPU, within 5 s', async () => {
    const t0 = Date.now();
    const info = await probeHardware();
    const ms = Date.now() - t0;
    console.log(`[hardware] ${info.summary} (${ms} ms)`);
    HardwareInfoSchema.parse(info);
    expect(ms).toBeLessThan(5000);
    expect(usableGpus(info.gpus)).toEqual([]);
    expect(info.ram.totalBytes).toBeGreaterThan(0);
    expect(info.ram.freeBytes).toBeGreaterThan(0);
    expect(info.ram.freeBytes).toBeLessThanOrEqual(info.ram.totalBytes);
    expect(info.cpu.cores).toBeGreaterThan(0);
    expect(info.cpu.threads).toBeGreaterThanOrEqual(info.cpu.cores);
    expect(info.platform).toBe(process.platform);
    expect(info.summary).toMatch(/^No dedicated GPU.* RAM · .*\(models run on the CPU\)$/);
  });

  it('measures RAM bandwidth here (a ~100 ms copy) and recommends a model this machine can finish a small project with', async () => {
    const info = await probeHardware();
    const bw = info.ram.bandwidth!;
    console.log(`[hardware] RAM bandwidth: ${bw.detail}`);
    expect(bw.source).toBe('measured');
    expect(bw.bytesPerSecond).toBeGreaterThan(0.5e9);
    expect(bw.bytesPerSecond).toBeLessThan(500e9);
    const installed = loadCuratedModels().map((c) => {
      const fit = fitModel({ sizeBytes: c.sizeBytes, arch: c.arch, numCtx: 8192, kvCacheType: 'f16', flashAttention: false }, info);
      const speed = estimateSpeed({ sizeBytes: c.sizeBytes, arch: c.arch, parameterCount: c.parameterCount, quantizationLevel: c.quantizationLevel, fit }, info);
      return { name: c.name, size: c.sizeBytes, digest: c.name, modifiedAt: null, family: c.family, parameterSize: c.parameterSize, quantizationLevel: c.quantizationLevel, host: 'h', contextLength: c.contextLength, fit, loaded: null, speed };
    });
    for (const m of installed) console.log(`[hardware] ${m.name.padEnd(24)} ${m.fit.verdict.padEnd(8)} ${m.speed ? `${m.speed.tokensPerSecond.toFixed(1)} tok/s, small project ${(m.speed.smallProjectSeconds / 60).toFixed(1)} min` : '—'}`);
    const pick = pickRecommended(installed);
    console.log(`[hardware] recommended here: ${pick}`);
    expect(pick).not.toBe('qwen2.5-coder:32b');
    expect(pick).not.toBe('qwen2.5-coder:14b');
  });

  it('default deps: a missing nvidia-smi is a typed not-found, not a crash', async () => {
    const deps = defaultProbeDeps();
    const err = await deps.run('nvidia-smi', ['--query-gpu=name,memory.total,memory.used,memory.free', '--format=csv,noheader,nounits'], { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({ reason: 'not-found', errno: 'ENOENT', code: 'NOT_SUPPORTED' });
  });

  it('default run: exit codes resolve, hangs are killed at the timeout, no shell involved', async () => {
    await expect(runCommand('node', ['-e', 'process.stdout.write("hi"); process.exit(3)'], { timeoutMs: 5000 })).resolves.toEqual({ stdout: 'hi', code: 3 });
    const t0 = Date.now();
    await expect(runCommand('node', ['-e', 'setTimeout(() => {}, 10000)'], { timeoutMs: 300 })).rejects.toMatchObject({ reason: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(3000);
    // A shell would expand this; execFile passes it through verbatim.
    await expect(runCommand('node', ['-e', 'process.stdout.write(process.argv[1])', '$(echo pwned)'], { timeoutMs: 5000 })).resolves.toEqual({ stdout: '$(echo pwned)', code: 0 });
  });

  it('default deps read sysfs safely when /sys/class/drm is absent', async () => {
    const deps = defaultProbeDeps();
    const entries = await deps.readdir('/sys/class/drm').catch(() => null);
    const info = await probeHardware(deps);
    if (entries === null) expect(info.gpus.filter((g) => g.source === 'sysfs')).toEqual([]);
  });

  it('HardwareService shares one real probe between concurrent callers', async () => {
    const service = new HardwareService();
    const [a, b] = await Promise.all([service.get(), service.get()]);
    expect(a).toBe(b);
    expect(await service.get()).toBe(a);
  });
});
