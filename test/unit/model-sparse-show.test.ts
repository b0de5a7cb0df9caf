// A sparse /api/show (issue 13 §3): imported GGUFs, some architectures and remote models come
// without head_count / head_count_kv / context_length / block_count. Then the trained context
// is unknown (never an invented 2048 that caps builds), and the memory estimate still counts a
// KV cache, sized on the safe side and flagged rough.
import { describe, expect, it } from 'vitest';
import type { HardwareInfo } from '../../shared/index.js';
import { MemoryEstimateSchema } from '../../shared/index.js';
import { fitModel, kvCacheBytes, parseArchitecture, showNeedsVerbose, type ModelArchitecture } from '../../electron/core/models/index.js';
import { ModelDirectory } from '../../electron/core/pipeline/model-directory.js';
import { chooseNumCtx } from '../../electron/core/pipeline/context-budget.js';

const GIB = 1024 ** 3;
const base = { kvCacheType: 'f16' as const, flashAttention: false };

function cpuBox(ramFreeGiB: number): HardwareInfo {
  return { gpus: [], ram: { totalBytes: 64 * GIB, freeBytes: ramFreeGiB * GIB }, cpu: { brand: 'x', cores: 8, threads: 16 }, platform: 'linux', summary: 't', probedAt: 0 };
}
function gpuBox(freeBytes: number): HardwareInfo {
  return {
    ...cpuBox(64),
    gpus: [{ name: 'RTX', vendor: 'nvidia', backend: 'cuda', vramTotalBytes: freeBytes + GIB, vramFreeBytes: freeBytes, integrated: false, source: 'nvidia-smi', note: null }],
  };
}

// An imported Mistral-7B GGUF whose metadata lost the attention keys (as converters of the time wrote them).
const SPARSE_7B = {
  model_info: { 'general.architecture': 'llama', 'general.parameter_count': 7_241_732_096, 'llama.embedding_length': 4096, 'llama.block_count': 32 },
  details: { parameter_size: '7.2B', quantization_level: 'Q4_0' },
};
// A remote (cloud) model: GetModelInfo sends only general.architecture, <arch>.context_length and <arch>.embedding_length
// (ollama server/routes.go, the RemoteHost branch).
const REMOTE = { model_info: { 'general.architecture': 'qwen3', 'qwen3.context_length': 262144, 'qwen3.embedding_length': 4096 }, details: { parameter_size: '8.2B' } };

// Real per-token KV numbers of popular 7B-class models (llama.cpp metadata).
const REAL_7B_CLASS: Array<[string, Record<string, unknown>]> = [
  ['codellama:7b (no GQA)', { 'general.architecture': 'llama', 'llama.block_count': 32, 'llama.embedding_length': 4096, 'llama.attention.head_count': 32, 'llama.context_length': 16384 }],
  ['mistral:7b', { 'general.architecture': 'llama', 'llama.block_count': 32, 'llama.embedding_length': 4096, 'llama.attention.head_count': 32, 'llama.attention.head_count_kv': 8, 'llama.context_length': 32768 }],
  ['qwen2.5-coder:7b', { 'general.architecture': 'qwen2', 'qwen2.block_count': 28, 'qwen2.embedding_length': 3584, 'qwen2.attention.head_count': 28, 'qwen2.attention.head_count_kv': 4, 'qwen2.context_length': 32768 }],
];

const archOf = (show: Parameters<typeof parseArchitecture>[0], size?: number): ModelArchitecture => {
  const parsed = parseArchitecture(show, size);
  if (!parsed) throw new Error('no architecture');
  return parsed.arch;
};

describe('sparse /api/show', () => {
  it('an unknown trained context stays unknown: no invented 2048', () => {
    const arch = archOf({ model_info: { 'general.architecture': 'llama', 'llama.block_count': 32, 'llama.embedding_length': 4096, 'llama.attention.head_count': 32 }, details: {} });
    expect(arch.contextLength).toBeNull();
    expect(archOf(REMOTE).contextLength).toBe(262144);
  });

  it('an unknown trained context does not cap a build at 2048', () => {
    const arch = archOf({ model_info: { 'general.architecture': 'llama', 'llama.block_count': 32, 'llama.embedding_length': 4096, 'llama.attention.head_count': 32 }, details: {} });
    const facts = new Map([['imported:7b', { digest: 'd', contextLength: arch.contextLength, maxGpuContext: null }]]);
    const directory = new ModelDirectory(facts, null, 'http://h');
    // On the CPU the user's own num_ctx is the ceiling; a model-imposed 2048 would cut it.
    expect(chooseNumCtx(12_000, directory.limits('imported:7b', 8192))).toBe(8192);
    // On a GPU, up to what fits.
    const onGpu = new ModelDirectory(new Map([['imported:7b', { digest: 'd', contextLength: arch.contextLength, maxGpuContext: 16384 }]]), null, 'http://h');
    expect(chooseNumCtx(12_000, onGpu.limits('imported:7b', 8192))).toBe(12288);
  });

  it('the Modelfile num_ctx sizes a model whose trained context is unknown', () => {
    const parsed = parseArchitecture({ ...SPARSE_7B, parameters: 'num_ctx                        8192\nstop                           "</s>"' }, 3_825_910_662);
    expect(parsed?.arch.contextLength).toBeNull();
    expect(parsed?.arch.sizingContext).toBe(8192);
    const fit = fitModel({ ...base, sizeBytes: 3_825_910_662, arch: parsed!.arch }, gpuBox(40 * GIB));
    expect(fit.verdict).toBe('gpu');
    // Fully on the GPU up to the Modelfile's context, not up to an invented one.
    expect(fit.maxGpuContext).toBe(8192);
  });

  it('the estimate counts a KV cache (never weights only), flagged rough with the reason', () => {
    const fit = fitModel({ ...base, sizeBytes: 3_825_910_662, arch: archOf(SPARSE_7B, 3_825_910_662), numCtx: 8192 }, cpuBox(32));
    const est = MemoryEstimateSchema.parse(fit.estimate);
    expect(est.kvCacheBytes).toBeGreaterThan(GIB);
    expect(est.rough).toBe(true);
    expect(est.roughReason).toMatch(/head_count/);
    expect(fit.explanation).toMatch(/rough/);

    // With no architecture at all (the show failed, or model_info was empty) it is still not weights only.
    const blind = fitModel({ ...base, sizeBytes: 3_825_910_662, arch: null, numCtx: 8192 }, cpuBox(32));
    expect(blind.estimate!.kvCacheBytes).toBeGreaterThan(GIB);
    expect(blind.estimate!.rough).toBe(true);

    // A complete model_info is not rough.
    const exact = fitModel({ ...base, sizeBytes: 4_113_301_824, arch: archOf({ model_info: REAL_7B_CLASS[1][1], details: {} }), numCtx: 8192 }, cpuBox(32));
    expect(exact.estimate!.rough).toBe(false);
    expect(exact.estimate!.roughReason).toBeNull();
  });

  it('errs on the safe side: the rough KV cache is at least that of any popular model of its size', () => {
    const rough = kvCacheBytes(archOf(SPARSE_7B, 3_825_910_662), 8192, 'f16');
    const remote = kvCacheBytes(archOf(REMOTE), 8192, 'f16');
    for (const [name, info] of REAL_7B_CLASS) {
      const real = kvCacheBytes(archOf({ model_info: info, details: {} }), 8192, 'f16');
      expect(rough, name).toBeGreaterThanOrEqual(real);
      expect(remote, name).toBeGreaterThanOrEqual(real);
    }
    // Only the parameter size known (an imported GGUF with nothing but general.architecture).
    const bare = archOf({ model_info: { 'general.architecture': 'llama' }, details: { parameter_size: '7B' } });
    expect(kvCacheBytes(bare, 8192, 'f16')).toBeGreaterThanOrEqual(kvCacheBytes(archOf({ model_info: REAL_7B_CLASS[0][1], details: {} }), 8192, 'f16'));
  });

  it('a rough estimate never says "fits on the GPU" when the margin is thin', () => {
    const size = 3_825_910_662;
    const arch = archOf(SPARSE_7B, size);
    const need = fitModel({ ...base, sizeBytes: size, arch, numCtx: 4096 }, null).estimate!.totalBytes;
    // 5% more free than the estimate: an exact estimate would fit, a rough one must not claim it.
    const thin = fitModel({ ...base, sizeBytes: size, arch, numCtx: 4096 }, gpuBox(need * 1.05));
    expect(thin.verdict).toBe('partial');
    const roomy = fitModel({ ...base, sizeBytes: size, arch, numCtx: 4096 }, gpuBox(need * 1.5));
    expect(roomy.verdict).toBe('gpu');
    // Same on the CPU: RAM just above the rough need is "too big", not "runs".
    expect(fitModel({ ...base, sizeBytes: size, arch, numCtx: 4096 }, cpuBox((need * 1.05) / GIB)).verdict).toBe('too_big');
  });

  it('a per-layer head_count blanked by a non-verbose show asks again verbosely (routes.go getModelData empties arrays longer than 5)', () => {
    // e.g. OpenELM: attention.head_count is one number per layer.
    const show = { model_info: { 'general.architecture': 'openelm', 'openelm.block_count': 16, 'openelm.embedding_length': 1280, 'openelm.attention.head_count': [], 'openelm.attention.head_count_kv': [], 'openelm.context_length': 2048 }, details: { parameter_size: '270M' } };
    expect(showNeedsVerbose(show)).toBe(true);
    const parsed = parseArchitecture(show);
    expect(parsed?.needsVerbose).toBe(true);
    // Until the verbose answer arrives, a rough shape (every layer at full width), never weights only.
    expect(parsed?.arch.rough).toMatch(/openelm\.attention\.head_count/);
    expect(parsed?.arch.contextLength).toBe(2048); // the model's own figure is kept
  });
});
