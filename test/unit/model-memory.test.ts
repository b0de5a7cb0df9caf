import { describe, expect, it } from 'vitest';
import type { HardwareInfo } from '../../shared/index.js';
import {
  estimateDetailed,
  estimateModelMemory,
  findCurated,
  fitModel,
  kvCacheBytes,
  loadCuratedModels,
  ollamaDefaultContext,
  parseArchitecture,
  parseCuratedList,
  pickRecommended,
  type ModelArchitecture,
} from '../../electron/core/models/index.js';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** model_info as /api/show returns it (the GGUF keys), so the tests also exercise parseArchitecture. */
function arch(info: Record<string, unknown>): ModelArchitecture {
  const parsed = parseArchitecture({ model_info: info, details: {} });
  if (!parsed) throw new Error('unparseable model_info');
  return parsed.arch;
}

// qwen2.5-coder:32b Q4_K_M: 64 layers, 40 heads, 8 KV heads, head dim 5120/40 = 128.
const QWEN32 = arch({
  'general.architecture': 'qwen2',
  'qwen2.block_count': 64,
  'qwen2.embedding_length': 5120,
  'qwen2.attention.head_count': 40,
  'qwen2.attention.head_count_kv': 8,
  'qwen2.context_length': 32768,
  'qwen2.vocab_size': 152064,
});
const QWEN32_SIZE = 19_851_349_856;
const QWEN7 = arch({
  'general.architecture': 'qwen2',
  'qwen2.block_count': 28,
  'qwen2.embedding_length': 3584,
  'qwen2.attention.head_count': 28,
  'qwen2.attention.head_count_kv': 4,
  'qwen2.context_length': 32768,
});
const QWEN7_SIZE = 4_683_087_332;
// mistral:7b (v0.3, Q4_0): llama architecture, 32 layers, 8 KV heads of 128.
const MISTRAL = arch({
  'general.architecture': 'llama',
  'llama.block_count': 32,
  'llama.embedding_length': 4096,
  'llama.attention.head_count': 32,
  'llama.attention.head_count_kv': 8,
  'llama.context_length': 32768,
  'llama.vocab_size': 32768,
});
// gemma2:9b: 42 layers, 8 KV heads of 256 (key/value length 256 ≠ 3584/16), a 4096-token window on every other layer.
const GEMMA2 = arch({
  'general.architecture': 'gemma2',
  'gemma2.block_count': 42,
  'gemma2.embedding_length': 3584,
  'gemma2.attention.head_count': 16,
  'gemma2.attention.head_count_kv': 8,
  'gemma2.attention.key_length': 256,
  'gemma2.attention.value_length': 256,
  'gemma2.attention.sliding_window': 4096,
  'gemma2.context_length': 8192,
});
// codellama:13b: 40 layers, 40 heads and no head_count_kv key (no GQA: as many KV heads as heads).
const CODELLAMA13 = arch({
  'general.architecture': 'llama',
  'llama.block_count': 40,
  'llama.embedding_length': 5120,
  'llama.attention.head_count': 40,
  'llama.context_length': 16384,
});

const base = { kvCacheType: 'f16' as const, flashAttention: false };

function within(actual: number, expected: number, tolerance = 0.1): void {
  const err = Math.abs(actual - expected) / expected;
  expect(err, `${(actual / GIB).toFixed(3)} GiB vs ${(expected / GIB).toFixed(3)} GiB (${(err * 100).toFixed(1)}%)`).toBeLessThanOrEqual(tolerance);
}

describe('estimateModelMemory against published figures (±10%)', () => {
  it('qwen2.5-coder:32b is about 19.9 GiB at 4k and 23.8 GiB at 16k (measured)', () => {
    const at4k = estimateModelMemory({ ...base, sizeBytes: QWEN32_SIZE, arch: QWEN32, numCtx: 4096, backend: 'cuda' });
    const at16k = estimateModelMemory({ ...base, sizeBytes: QWEN32_SIZE, arch: QWEN32, numCtx: 16384, backend: 'cuda' });
    within(at4k.totalBytes, 19.9 * GIB);
    within(at16k.totalBytes, 23.8 * GIB);
    // 64 layers × 4096 × 8 heads × (128 + 128) × 2 bytes = exactly 1 GiB.
    expect(at4k.kvCacheBytes).toBe(GIB);
    expect(at16k.kvCacheBytes).toBe(4 * GIB);
    expect(at4k.overheadBytes).toBe(457 * MIB);
    expect(at4k.totalBytes).toBe(at4k.weightsBytes + at4k.kvCacheBytes + at4k.graphBytes + at4k.overheadBytes);
  });

  it('mistral:7b (Q4_0) is about 4.8 GiB at 2k', () => {
    within(estimateModelMemory({ ...base, sizeBytes: 4_113_301_824, arch: MISTRAL, numCtx: 2048, backend: 'cuda' }).totalBytes, 4.8 * GIB);
  });

  it('gemma2:9b has a 2.6 GiB KV cache at 8k: Ollama keeps full context on its 21 sliding-window layers too', () => {
    expect(GEMMA2.slidingWindowPattern?.filter(Boolean)).toHaveLength(21);
    expect(GEMMA2.slidingWindowFullCache).toBe(true);
    within(kvCacheBytes(GEMMA2, 8192, 'f16'), 2.6 * GIB);
    // Were the window honoured, the 21 local layers would hold 4096 + one 512-token batch: ~2.05 GiB.
    within(kvCacheBytes({ ...GEMMA2, slidingWindowFullCache: false }, 8192, 'f16'), 2.05 * GIB, 0.01);
  });

  it('codellama:13b has no GQA, so its KV cache at 8k is about 6.25 GiB', () => {
    expect(CODELLAMA13.headCountKv).toBe(40);
    within(estimateModelMemory({ ...base, sizeBytes: 7_365_960_935, arch: CODELLAMA13, numCtx: 8192, backend: 'cuda' }).kvCacheBytes, 6.25 * GIB, 0.01);
  });
});

describe('estimator rules', () => {
  it('q8_0 halves and q4_0 quarters the KV cache, with flash attention (Ollama ignores the type without it)', () => {
    const f16 = estimateModelMemory({ ...base, flashAttention: true, sizeBytes: QWEN7_SIZE, arch: QWEN7, numCtx: 16384, backend: 'cuda' });
    const q8 = estimateModelMemory({ ...base, flashAttention: true, kvCacheType: 'q8_0', sizeBytes: QWEN7_SIZE, arch: QWEN7, numCtx: 16384, backend: 'cuda' });
    const q4 = estimateModelMemory({ ...base, flashAttention: true, kvCacheType: 'q4_0', sizeBytes: QWEN7_SIZE, arch: QWEN7, numCtx: 16384, backend: 'cuda' });
    expect(q8.kvCacheBytes).toBe(f16.kvCacheBytes / 2);
    expect(q4.kvCacheBytes).toBe(f16.kvCacheBytes / 4);
    const q8NoFa = estimateModelMemory({ ...base, kvCacheType: 'q8_0', sizeBytes: QWEN7_SIZE, arch: QWEN7, numCtx: 16384, backend: 'cuda' });
    expect(q8NoFa.kvCacheBytes).toBe(f16.kvCacheBytes);
  });

  it('the compute graph grows with context without flash attention, and barely with it', () => {
    const graph = (ctx: number, fa: boolean) => estimateModelMemory({ ...base, flashAttention: fa, sizeBytes: QWEN7_SIZE, arch: QWEN7, numCtx: ctx, backend: 'cuda' }).graphBytes;
    expect(graph(32768, false)).toBeGreaterThan(4 * graph(4096, false));
    expect(graph(32768, true)).toBe(graph(4096, true));
    expect(graph(32768, true)).toBeLessThan(graph(32768, false) / 4);
  });

  it('uses Ollama’s default context by VRAM when none is set, capped at the trained context', () => {
    expect(ollamaDefaultContext(0)).toBe(4096);
    expect(ollamaDefaultContext(23.9 * GIB)).toBe(4096);
    expect(ollamaDefaultContext(24 * GIB)).toBe(32768);
    expect(ollamaDefaultContext(47.9 * GIB)).toBe(32768);
    expect(ollamaDefaultContext(48 * GIB)).toBe(262144);
    expect(ollamaDefaultContext(80 * GIB, 8192)).toBe(8192);
    expect(estimateModelMemory({ ...base, sizeBytes: QWEN7_SIZE, arch: QWEN7, backend: 'cuda', totalVramBytes: 12 * GIB }).numCtx).toBe(4096);
    expect(estimateModelMemory({ ...base, sizeBytes: QWEN7_SIZE, arch: QWEN7, backend: 'cuda', totalVramBytes: 24 * GIB }).numCtx).toBe(32768);
    expect(estimateModelMemory({ ...base, sizeBytes: QWEN7_SIZE, arch: QWEN7, backend: 'cuda', totalVramBytes: 96 * GIB }).numCtx).toBe(32768);
    // An explicit request beyond the trained context is clamped, as the runner does.
    expect(estimateModelMemory({ ...base, sizeBytes: QWEN7_SIZE, arch: QWEN7, backend: 'cuda', numCtx: 131072 }).numCtx).toBe(32768);
  });

  it('per-GPU minimum: 457 MiB on CUDA/ROCm, 512 MiB on Metal, none on the CPU', () => {
    const est = (backend: 'cuda' | 'rocm' | 'metal' | 'none') => estimateModelMemory({ ...base, sizeBytes: QWEN7_SIZE, arch: QWEN7, numCtx: 4096, backend }).overheadBytes;
    expect([est('cuda'), est('rocm'), est('metal'), est('none')]).toEqual([457 * MIB, 457 * MIB, 512 * MIB, 0]);
  });

  it('sums KV per layer when head_count_kv is a per-layer array (0 = no attention on that layer)', () => {
    const a = arch({
      'general.architecture': 'hybrid',
      'hybrid.block_count': 4,
      'hybrid.embedding_length': 1024,
      'hybrid.attention.head_count': 8,
      'hybrid.attention.head_count_kv': [4, 0, 4, 2],
      'hybrid.context_length': 4096,
    });
    // (4 + 0 + 4 + 2) heads × 1000 tokens × (128 + 128) × 2 bytes.
    expect(kvCacheBytes(a, 1000, 'f16')).toBe(10 * 1000 * 256 * 2);
  });

  it('gemma3 sliding-window layers hold at most the window plus one batch', () => {
    const g3 = arch({
      'general.architecture': 'gemma3',
      'gemma3.block_count': 12,
      'gemma3.embedding_length': 2560,
      'gemma3.attention.head_count': 8,
      'gemma3.attention.head_count_kv': 4,
      'gemma3.attention.key_length': 256,
      'gemma3.attention.value_length': 256,
      'gemma3.attention.sliding_window': 1024,
      'gemma3.context_length': 131072,
    });
    expect(g3.slidingWindowPattern?.map((swa) => (swa ? 'L' : 'G')).join('')).toBe('LLLLLGLLLLLG');
    const perToken = 4 * 512 * 2;
    expect(kvCacheBytes(g3, 32768, 'f16')).toBe((10 * (1024 + 512) + 2 * 32768) * perToken);
  });
});

describe('parseArchitecture', () => {
  it('reads the keys, the quantization and the parameter count', () => {
    const parsed = parseArchitecture({
      model_info: { 'general.architecture': 'llama', 'general.parameter_count': 3_212_749_888, 'llama.block_count': 28, 'llama.embedding_length': 3072, 'llama.attention.head_count': 24, 'llama.attention.head_count_kv': 8, 'llama.attention.key_length': 128, 'llama.attention.value_length': 128, 'llama.context_length': 131072, 'llama.vocab_size': 128256 },
      details: { quantization_level: 'Q4_K_M', parameter_size: '3.2B' },
    });
    expect(parsed).toMatchObject({
      arch: { architecture: 'llama', blockCount: 28, embeddingLength: 3072, headCount: 24, headCountKv: 8, keyLength: 128, valueLength: 128, contextLength: 131072, vocabSize: 128256 },
      quantizationLevel: 'Q4_K_M',
      parameterCount: 3_212_749_888,
      needsVerbose: false,
    });
  });

  it('asks for a verbose show when Ollama blanked a per-layer array, and is null without the essentials', () => {
    const blanked = parseArchitecture({ model_info: { 'general.architecture': 'x', 'x.block_count': 30, 'x.embedding_length': 2048, 'x.attention.head_count': 16, 'x.attention.head_count_kv': [] }, details: {} });
    expect(blanked?.needsVerbose).toBe(true);
    expect(blanked?.arch.headCountKv).toBe(16); // conservative until the verbose answer arrives
    expect(parseArchitecture({ model_info: {}, details: {} })).toBeNull();
    expect(parseArchitecture({ model_info: { 'general.architecture': 'llama', 'llama.block_count': 32 }, details: {} })).toBeNull();
  });
});

function hw(opts: { gpus?: Array<{ name?: string; backend?: 'cuda' | 'rocm' | 'metal'; totalGiB: number; freeGiB: number; integrated?: boolean }>; ramFreeGiB: number }): HardwareInfo {
  return {
    gpus: (opts.gpus ?? []).map((g, i) => ({
      name: g.name ?? `GPU ${i}`,
      vendor: 'nvidia',
      backend: g.backend ?? 'cuda',
      vramTotalBytes: g.totalGiB * GIB,
      vramFreeBytes: g.freeGiB * GIB,
      integrated: g.integrated ?? false,
      source: 'nvidia-smi',
      note: null,
    })),
    ram: { totalBytes: Math.max(64, opts.ramFreeGiB) * GIB, freeBytes: opts.ramFreeGiB * GIB },
    cpu: { brand: 'Test CPU', cores: 8, threads: 16 },
    platform: 'linux',
    summary: 'test machine',
    probedAt: 0,
  };
}

const q7 = { ...base, sizeBytes: QWEN7_SIZE, arch: QWEN7, numCtx: 8192 };
const q32 = { ...base, sizeBytes: QWEN32_SIZE, arch: QWEN32, numCtx: 8192 };

describe('fitModel verdicts', () => {
  it('gpu: fits in the free VRAM of the best GPU, and says so in numbers', () => {
    const fit = fitModel(q7, hw({ gpus: [{ name: 'RTX 4070', totalGiB: 12, freeGiB: 11.2 }], ramFreeGiB: 24 }));
    expect(fit.verdict).toBe('gpu');
    expect(fit.gpuLayersPercent).toBe(100);
    expect(fit.explanation).toMatch(/^fits on the GPU: needs ~\d+\.\d GiB at 8k context; RTX 4070 has 11\.2 GiB free$/);
    expect(fit.maxGpuContext).toBe(32768);
  });

  it('gpu across two same-backend GPUs when neither alone is enough', () => {
    const two = hw({ gpus: [{ totalGiB: 12, freeGiB: 11.5 }, { totalGiB: 12, freeGiB: 11.5 }], ramFreeGiB: 32 });
    const fit = fitModel({ ...q32, numCtx: 4096 }, two);
    expect(fit.verdict).toBe('gpu');
    expect(fit.explanation).toContain('2 CUDA GPUs together');
    expect(fitModel({ ...q32, numCtx: 4096 }, hw({ gpus: [{ totalGiB: 12, freeGiB: 11.5 }], ramFreeGiB: 32 })).verdict).toBe('partial');
  });

  it('partial: the share of layers that fit after the GPU minimum and the graph', () => {
    const machine = hw({ gpus: [{ name: 'RTX 3060', totalGiB: 12, freeGiB: 11 }], ramFreeGiB: 48 });
    const fit = fitModel(q32, machine);
    expect(fit.verdict).toBe('partial');
    const est = estimateDetailed({ ...q32, backend: 'cuda' });
    const expected = Math.floor((11 * GIB - 457 * MIB - est.graphPartialBytes) / est.layerBytes) / 64;
    expect(fit.gpuLayersPercent).toBe(Math.round(expected * 100));
    expect(fit.explanation).toMatch(/needs ~2\d\.\d GiB at 8k context; RTX 3060 has 11\.0 GiB free: about \d+% of the layers run on the GPU/);
    // A smaller context would still not fit 32b on 11 GiB.
    expect(fit.maxGpuContext).toBeNull();
  });

  it('cpu: no usable GPU (integrated ones do not count), fits in RAM', () => {
    const fit = fitModel(q7, hw({ gpus: [{ name: 'Iris Xe', totalGiB: 2, freeGiB: 2, integrated: true }], ramFreeGiB: 16 }));
    expect(fit.verdict).toBe('cpu');
    expect(fit.explanation).toMatch(/^no GPU: runs on the CPU in ~\d+\.\d GiB of RAM at 8k context \(slow\)$/);
    expect(fit.estimate?.overheadBytes).toBe(0);
  });

  it('cpu: a GPU too small for even one layer', () => {
    const fit = fitModel(q32, hw({ gpus: [{ name: 'GT 1030', totalGiB: 2, freeGiB: 1 }], ramFreeGiB: 48 }));
    expect(fit.verdict).toBe('cpu');
    expect(fit.explanation).toContain('too little for one layer');
  });

  it('too_big: does not fit in RAM + VRAM', () => {
    expect(fitModel(q32, hw({ ramFreeGiB: 12 })).verdict).toBe('too_big');
    const withGpu = fitModel(q32, hw({ gpus: [{ totalGiB: 8, freeGiB: 7.5 }], ramFreeGiB: 6 }));
    expect(withGpu.verdict).toBe('too_big');
    expect(withGpu.explanation).toMatch(/more than the 6\.0 GiB of free RAM/);
  });

  it('unknown hardware → unknown; unknown architecture → a rough estimate with a KV cache (never weights only), with a note', () => {
    expect(fitModel(q7, null).verdict).toBe('unknown');
    const noArch = fitModel({ ...q7, arch: null }, hw({ gpus: [{ totalGiB: 12, freeGiB: 11 }], ramFreeGiB: 16 }));
    expect(noArch.verdict).toBe('gpu');
    expect(noArch.explanation).toContain('rough estimate');
    expect(noArch.estimate?.rough).toBe(true);
    expect(noArch.estimate!.kvCacheBytes).toBeGreaterThan(fitModel(q7, null).estimate!.kvCacheBytes);
    expect(noArch.maxGpuContext).toBeNull();
  });

  it('uses Ollama’s default context for the machine when no context is set', () => {
    expect(fitModel({ ...q7, numCtx: undefined }, hw({ gpus: [{ totalGiB: 12, freeGiB: 11 }], ramFreeGiB: 16 })).estimate?.numCtx).toBe(4096);
    expect(fitModel({ ...q7, numCtx: undefined }, hw({ gpus: [{ totalGiB: 24, freeGiB: 23 }], ramFreeGiB: 16 })).estimate?.numCtx).toBe(32768);
    expect(fitModel({ ...q7, numCtx: undefined }, hw({ gpus: [{ totalGiB: 24, freeGiB: 23 }, { totalGiB: 24, freeGiB: 23 }], ramFreeGiB: 16 })).estimate?.numCtx).toBe(32768);
  });

  it('maxGpuContext grows with free VRAM, shrinks with a larger cache, and is the edge of fitting', () => {
    const sizes = [5, 6, 7, 8, 10, 12, 16, 24, 48];
    const maxes = sizes.map((free) => fitModel(q32, hw({ gpus: [{ totalGiB: free + 1, freeGiB: free }], ramFreeGiB: 64 })).maxGpuContext ?? 0);
    const maxes7 = sizes.map((free) => fitModel(q7, hw({ gpus: [{ totalGiB: free + 1, freeGiB: free }], ramFreeGiB: 64 })).maxGpuContext ?? 0);
    for (const series of [maxes, maxes7]) for (let i = 1; i < series.length; i++) expect(series[i]).toBeGreaterThanOrEqual(series[i - 1]);
    expect(maxes7[0]).toBe(0); // 7b does not fit fully into 5 GiB at any context
    expect(maxes7[1]).toBeGreaterThan(0);
    expect(maxes7[1]).toBeLessThan(32768);
    expect(maxes[maxes.length - 1]).toBe(32768);

    const machine = hw({ gpus: [{ totalGiB: 8, freeGiB: 7 }], ramFreeGiB: 64 });
    const edge = fitModel(q7, machine).maxGpuContext!;
    expect(fitModel({ ...q7, numCtx: edge }, machine).verdict).toBe('gpu');
    expect(fitModel({ ...q7, numCtx: edge + 1024 }, machine).verdict).toBe('partial');
    const q8 = fitModel({ ...q7, flashAttention: true, kvCacheType: 'q8_0' }, machine).maxGpuContext!;
    expect(q8).toBeGreaterThan(edge);
  });
});

describe('curated list', () => {
  const curated = loadCuratedModels();

  it('validates, and carries the models the Models screen offers', () => {
    const names = curated.map((c) => c.name);
    for (const n of ['qwen2.5-coder:1.5b', 'qwen2.5-coder:7b', 'qwen2.5-coder:14b', 'qwen2.5-coder:32b', 'deepseek-coder-v2:16b', 'codellama:7b', 'codellama:13b', 'llama3.1:8b', 'llama3.2:3b', 'qwen3:8b', 'gemma2:9b', 'mistral:7b', 'starcoder2:7b']) {
      expect(names).toContain(n);
    }
    for (const c of curated) {
      expect(c.arch.contextLength).toBe(c.contextLength);
      expect(c.languages.length).toBeGreaterThan(0);
      const est = estimateModelMemory({ ...base, sizeBytes: c.sizeBytes, arch: c.arch, numCtx: 8192, backend: 'cuda' });
      expect(est.totalBytes).toBeGreaterThan(c.sizeBytes);
      expect(est.totalBytes).toBeLessThan(c.sizeBytes * 3);
    }
    expect(() => parseCuratedList({ version: 1, models: [{ name: 'x' }] })).toThrow();
  });

  it('matches installed names by tag, or the same model under another tag', () => {
    expect(findCurated('qwen2.5-coder:7b')).toMatchObject({ exact: true, entry: { name: 'qwen2.5-coder:7b' } });
    expect(findCurated('QWEN2.5-CODER:7B-instruct-q8_0')).toMatchObject({ exact: false, entry: { family: 'qwen2' } });
    expect(findCurated('phi4:14b')).toBeNull();
  });
});

describe('pickRecommended', () => {
  const fit = (verdict: 'gpu' | 'partial' | 'cpu' | 'too_big') => ({ verdict, gpuLayersPercent: null, estimate: null, maxGpuContext: null, explanation: '' });
  const model = (name: string, parameterSize: string, verdict: 'gpu' | 'partial' | 'cpu' | 'too_big') => ({
    name,
    size: 1,
    digest: name,
    modifiedAt: null,
    family: null,
    parameterSize,
    quantizationLevel: null,
    host: 'h',
    contextLength: null,
    fit: fit(verdict),
    loaded: null,
  });

  it('the largest coding model that fits on the GPU; else the best that runs at all', () => {
    expect(
      pickRecommended([model('llama3.1:8b', '8.0B', 'gpu'), model('qwen2.5-coder:7b', '7.6B', 'gpu'), model('qwen2.5-coder:1.5b', '1.5B', 'gpu'), model('qwen2.5-coder:32b', '32.8B', 'partial')]),
    ).toBe('qwen2.5-coder:7b');
    expect(pickRecommended([model('qwen2.5-coder:32b', '32.8B', 'partial'), model('qwen2.5-coder:14b', '14.8B', 'cpu'), model('llama3.1:70b', '70B', 'too_big')])).toBe('qwen2.5-coder:32b');
    expect(pickRecommended([model('llama3.1:8b', '8.0B', 'gpu'), model('qwen2.5-coder:14b', '14.8B', 'cpu')])).toBe('llama3.1:8b');
    expect(pickRecommended([model('llama3.1:405b', '405B', 'too_big')])).toBeNull();
  });
});
