// Expected speed and the default model (issue 13 §5): tokens/s from memory bandwidth and model
// size, "a small project in ≈ M min", measured speed replacing the estimate, and a
// recommendation that a 2-core box without a GPU can live with (never qwen2.5-coder:32b).
import { describe, expect, it } from 'vitest';
import { HardwareInfoSchema, SMALL_PROJECT, type CatalogModel, type HardwareInfo } from '../../shared/index.js';
import { bandwidthFromLayout, knownGpuBandwidth, probeHardware } from '../../electron/core/hardware/index.js';
import { applyMeasured, estimateSpeed, fitModel, loadCuratedModels, parseArchitecture, pickRecommended } from '../../electron/core/models/index.js';
import { fakeDeps, type Machine } from '../fixtures/hardware/fake-deps.js';

const GB = 1e9;
const GIB = 1024 ** 3;
const SETTINGS = { numCtx: 8192, kvCacheType: 'f16' as const, flashAttention: false };

/** The recorded machines (test/fixtures/hardware). */
const MACHINES: Record<string, Machine> = {
  // This dev container: 2 cores, no GPU, no DIMM clock readable, a recorded 64 MiB copy.
  twoCoreNoGpu: { platform: 'linux', arch: 'x64', graphics: 'graphics-linux-container', mem: 'mem-linux-container-24g', cpu: 'cpu-linux-container-xeon', memLayout: 'memlayout-linux-container', memcpy: 'memcpy-linux-container' },
  rtx4090: {
    platform: 'win32',
    arch: 'x64',
    graphics: 'graphics-win-rtx4090-wmi',
    mem: 'mem-win-64g',
    cpu: 'cpu-i9-13900k',
    memLayout: 'memlayout-win-ddr5-5600',
    commands: { 'nvidia-smi': { file: 'nvidia-smi/rtx4090-windows.csv' } },
  },
  m2max: { platform: 'darwin', arch: 'arm64', graphics: 'graphics-mac-m2max', mem: 'mem-mac-64g', cpu: 'cpu-m2max', commands: { sysctl: { file: 'sysctl/wired-limit-unset.txt' } } },
  m2pro: { platform: 'darwin', arch: 'arm64', graphics: 'graphics-mac-m2pro', mem: 'mem-mac-32g', cpu: 'cpu-m2pro' },
};

async function machine(name: keyof typeof MACHINES): Promise<HardwareInfo> {
  const info = await probeHardware(fakeDeps(MACHINES[name]));
  HardwareInfoSchema.parse(info);
  return info;
}

/** Every curated model as if installed on this machine, rated the way the catalog rates it. */
function installedCurated(hw: HardwareInfo): CatalogModel[] {
  return loadCuratedModels().map((c) => {
    const fit = fitModel({ sizeBytes: c.sizeBytes, arch: c.arch, ...SETTINGS }, hw);
    return {
      name: c.name,
      size: c.sizeBytes,
      digest: c.name,
      modifiedAt: null,
      family: c.family,
      parameterSize: c.parameterSize,
      quantizationLevel: c.quantizationLevel,
      host: 'http://127.0.0.1:11434',
      contextLength: c.contextLength,
      fit,
      loaded: null,
      speed: estimateSpeed({ sizeBytes: c.sizeBytes, arch: c.arch, parameterCount: c.parameterCount, quantizationLevel: c.quantizationLevel, fit }, hw),
    };
  });
}

describe('bandwidth', () => {
  it('knows common GPUs by name, the specific model before its family', () => {
    expect(knownGpuBandwidth('NVIDIA GeForce RTX 4090')?.bytesPerSecond).toBe(1008 * GB);
    expect(knownGpuBandwidth('NVIDIA GeForce RTX 4070 Ti SUPER')?.bytesPerSecond).toBe(672 * GB);
    expect(knownGpuBandwidth('NVIDIA GeForce RTX 4070')?.bytesPerSecond).toBe(504 * GB);
    expect(knownGpuBandwidth('NVIDIA GeForce RTX 3090')?.bytesPerSecond).toBe(936 * GB);
    expect(knownGpuBandwidth('AMD Radeon RX 7900 XTX')?.bytesPerSecond).toBe(960 * GB);
    expect(knownGpuBandwidth('Apple M2 Max')?.bytesPerSecond).toBe(400 * GB);
    expect(knownGpuBandwidth('Apple M2 Pro')?.bytesPerSecond).toBe(200 * GB);
    expect(knownGpuBandwidth('Apple M2')?.bytesPerSecond).toBe(100 * GB);
    expect(knownGpuBandwidth('NVIDIA A100-SXM4-80GB')?.bytesPerSecond).toBe(2039 * GB);
    expect(knownGpuBandwidth('NVIDIA GeForce RTX 4090 Laptop GPU')!.bytesPerSecond).toBeLessThan(1008 * GB);
    expect(knownGpuBandwidth('Matrox G200eR2')).toBeNull();
  });

  it('RAM from the DIMM layout: MT/s × 8 bytes × channels (at most two on a desktop); nothing without a clock', () => {
    expect(bandwidthFromLayout([{ size: 32 * GIB, type: 'DDR5', clockSpeed: 5600 }, { size: 32 * GIB, type: 'DDR5', clockSpeed: 5600 }])).toMatchObject({ bytesPerSecond: 89.6 * GB, source: 'memLayout' });
    const four = bandwidthFromLayout(Array.from({ length: 4 }, () => ({ size: 16 * GIB, type: 'DDR4', clockSpeed: 3200 })));
    expect(four?.bytesPerSecond).toBe(51.2 * GB);
    expect(bandwidthFromLayout([{ size: 24 * GIB, type: '', clockSpeed: 0 }])).toBeNull();
  });

  it('the probe says where each figure came from: measured RAM, the DIMMs, the spec table', async () => {
    const box = await machine('twoCoreNoGpu');
    expect(box.ram.bandwidth).toMatchObject({ source: 'measured', bytesPerSecond: 6675672361.8 });
    expect(box.ram.bandwidth!.detail).toMatch(/measured: 6\.7 GB\/s copying 64 MiB/);
    const rtx = await machine('rtx4090');
    expect(rtx.gpus[0].bandwidth).toMatchObject({ source: 'spec-table', bytesPerSecond: 1008 * GB });
    expect(rtx.ram.bandwidth).toMatchObject({ source: 'memLayout', bytesPerSecond: 89.6 * GB });
    expect(rtx.gpus[1].bandwidth).toBeNull(); // the integrated UHD 770 is not in the table (and runs nothing)
    const mac = await machine('m2max');
    expect(mac.gpus[0].bandwidth?.bytesPerSecond).toBe(400 * GB);
    expect(mac.ram.bandwidth?.source).toBe('assumed');
  });
});

describe('estimateSpeed against published measurements', () => {
  const llama3_8b = parseArchitecture({
    model_info: { 'general.architecture': 'llama', 'llama.block_count': 32, 'llama.embedding_length': 4096, 'llama.attention.head_count': 32, 'llama.attention.head_count_kv': 8, 'llama.context_length': 8192 },
    details: { parameter_size: '8.0B', quantization_level: 'Q6_K' },
  })!;

  it('RTX 4090, llama3 8B Q6_K: about 93 tok/s (dmatora/LLM-inference-speed-benchmarks#10)', async () => {
    const hw = await machine('rtx4090');
    const size = 6_596_006_880;
    const fit = fitModel({ sizeBytes: size, arch: llama3_8b.arch, ...SETTINGS, numCtx: 4096 }, hw);
    const speed = estimateSpeed({ sizeBytes: size, arch: llama3_8b.arch, parameterCount: 8.03e9, quantizationLevel: 'Q6_K', fit }, hw)!;
    expect(speed.tokensPerSecond).toBeGreaterThan(93 * 0.7);
    expect(speed.tokensPerSecond).toBeLessThan(93 * 1.3);
    expect(speed.source).toBe('estimate');
    expect(speed.rough).toBe(false);
    expect(speed.basis).toMatch(/1008 GB\/s/);
  });

  it('a 2-core laptop without a GPU, 7B Q4_0: about 1.7 tok/s (llama.cpp#34: 604 ms per token)', () => {
    const hw: HardwareInfo = {
      gpus: [],
      ram: { totalBytes: 8 * GIB, freeBytes: 7 * GIB, bandwidth: { bytesPerSecond: 25.6 * GB, source: 'memLayout', detail: 'DDR3 1600 MT/s × 2 channels' } },
      cpu: { brand: 'Intel Core i5', cores: 2, threads: 4 },
      platform: 'darwin',
      summary: '',
      probedAt: 0,
    };
    const arch = parseArchitecture({ model_info: { 'general.architecture': 'llama', 'llama.block_count': 32, 'llama.embedding_length': 4096, 'llama.attention.head_count': 32, 'llama.context_length': 2048 }, details: {} })!.arch;
    const fit = fitModel({ sizeBytes: 4_212_859_520, arch, ...SETTINGS, numCtx: 512 }, hw);
    const speed = estimateSpeed({ sizeBytes: 4_212_859_520, arch, parameterCount: 6.74e9, quantizationLevel: 'Q4_0', fit }, hw)!;
    expect(speed.tokensPerSecond).toBeGreaterThan(1.65 * 0.6);
    expect(speed.tokensPerSecond).toBeLessThan(1.65 * 1.5);
    expect(speed.basis).toMatch(/2 cores of arithmetic/);
  });

  it('a partial offload is slower than all on the GPU and faster than none; a small project adds prompt and answer time', async () => {
    const hw = await machine('rtx4090');
    const q32 = loadCuratedModels().find((c) => c.name === 'qwen2.5-coder:32b')!;
    const rate = (verdict: 'gpu' | 'partial' | 'cpu', pct: number) =>
      estimateSpeed({ sizeBytes: q32.sizeBytes, arch: q32.arch, parameterCount: q32.parameterCount, quantizationLevel: 'Q4_K_M', fit: { verdict, gpuLayersPercent: pct, estimate: null, maxGpuContext: null, explanation: '' } }, hw)!;
    const [gpu, partial, cpu] = [rate('gpu', 100), rate('partial', 60), rate('cpu', 0)];
    expect(gpu.tokensPerSecond).toBeGreaterThan(partial.tokensPerSecond);
    expect(partial.tokensPerSecond).toBeGreaterThan(cpu.tokensPerSecond);
    expect(gpu.smallProjectSeconds).toBeCloseTo(SMALL_PROJECT.generatedTokens / gpu.tokensPerSecond + SMALL_PROJECT.promptTokens / gpu.promptTokensPerSecond, 6);
    expect(gpu.promptTokensPerSecond).toBeGreaterThan(gpu.tokensPerSecond);
    expect(estimateSpeed({ sizeBytes: q32.sizeBytes, arch: q32.arch, parameterCount: null, quantizationLevel: null, fit: { verdict: 'too_big', gpuLayersPercent: 0, estimate: null, maxGpuContext: null, explanation: '' } }, hw)).toBeNull();
    expect(estimateSpeed({ sizeBytes: q32.sizeBytes, arch: q32.arch, parameterCount: null, quantizationLevel: null, fit: gpu as never }, null)).toBeNull();
  });

  it('a mixture-of-experts reads only its routed experts per token', async () => {
    const hw = await machine('twoCoreNoGpu');
    const moe = loadCuratedModels().find((c) => c.name === 'deepseek-coder-v2:16b')!;
    const fit = fitModel({ sizeBytes: moe.sizeBytes, arch: moe.arch, ...SETTINGS }, hw);
    const sparse = estimateSpeed({ sizeBytes: moe.sizeBytes, arch: moe.arch, parameterCount: moe.parameterCount, quantizationLevel: moe.quantizationLevel, fit }, hw)!;
    const dense = estimateSpeed({ sizeBytes: moe.sizeBytes, arch: { ...moe.arch, expertCount: undefined, expertUsedCount: undefined }, parameterCount: moe.parameterCount, quantizationLevel: moe.quantizationLevel, fit }, hw)!;
    expect(sparse.tokensPerSecond).toBeGreaterThan(dense.tokensPerSecond * 3);
    expect(sparse.basis).toMatch(/active experts/);
  });

  it('a measured speed replaces the estimate once a model has run', () => {
    const estimate = { tokensPerSecond: 10, promptTokensPerSecond: 100, smallProjectSeconds: 480, source: 'estimate' as const, rough: true, basis: 'Estimated' };
    const measured = applyMeasured(estimate, { evalTokens: 2000, evalMs: 100_000, samples: 3 })!;
    expect(measured).toMatchObject({ tokensPerSecond: 20, promptTokensPerSecond: 200, source: 'measured', rough: false });
    expect(measured.smallProjectSeconds).toBeCloseTo(4000 / 20 + 8000 / 200, 6);
    expect(measured.basis).toMatch(/Measured: 2,000 tokens generated in 100\.0 s over 3 answers/);
    // Too little to go by: the estimate stays.
    expect(applyMeasured(estimate, { evalTokens: 20, evalMs: 1000, samples: 1 })).toBe(estimate);
  });
});

describe('the recommended default by speed and fit, on recorded machines', () => {
  it('a 2-core box without a GPU: never qwen2.5-coder:32b; the quickest coding model', async () => {
    const hw = await machine('twoCoreNoGpu');
    const installed = installedCurated(hw);
    const q32 = installed.find((m) => m.name === 'qwen2.5-coder:32b')!;
    expect(q32.fit.verdict).toBe('cpu'); // it fits in 23 GiB of RAM…
    expect(q32.speed!.tokensPerSecond).toBeLessThan(1); // …at well under a token a second
    const pick = pickRecommended(installed);
    expect(pick).not.toBe('qwen2.5-coder:32b');
    expect(pick).toBe('qwen2.5-coder:1.5b');
  });

  it('a 24 GB RTX 4090: qwen2.5-coder:32b fits on the GPU and finishes a small project in minutes', async () => {
    const installed = installedCurated(await machine('rtx4090'));
    const q32 = installed.find((m) => m.name === 'qwen2.5-coder:32b')!;
    expect(q32.fit.verdict).toBe('gpu');
    expect(q32.speed!.smallProjectSeconds).toBeLessThan(SMALL_PROJECT.reasonableSeconds);
    expect(pickRecommended(installed)).toBe('qwen2.5-coder:32b');
  });

  it('Apple M2 Max 64 GB: the 32b on Metal; M2 Pro 32 GB: the largest coder that fits Metal\'s share (the 32b would spill to the CPU)', async () => {
    expect(pickRecommended(installedCurated(await machine('m2max')))).toBe('qwen2.5-coder:32b');
    const pro = installedCurated(await machine('m2pro'));
    expect(pro.find((m) => m.name === 'qwen2.5-coder:32b')!.fit.verdict).not.toBe('gpu');
    const pick = pro.find((m) => m.name === pickRecommended(pro))!;
    // deepseek-coder-v2:16b (15.7B, a mixture of experts) edges out qwen2.5-coder:14b (14.8B) on size; both run on Metal in minutes.
    expect(pick.name).toBe('deepseek-coder-v2:16b');
    expect(pick.fit.verdict).toBe('gpu');
    expect(pick.speed!.smallProjectSeconds).toBeLessThan(SMALL_PROJECT.reasonableSeconds);
  });
});
