// Issue 18 §4: the Models screen showed qwen2.5-coder:1.5b at one figure in the curated list and
// a larger one in the installed list at the same context. The curated row reads the real GGUF numbers
// from curated.json; the installed row read /api/show, which (an old or remote Ollama, the
// stand-in's pulled tags) can lack the attention keys, so it fell back to the rough stand-in
// shape (no grouped-query attention: 192 KiB of KV per token instead of 28). Same model, same
// size, same context: one figure.
import { describe, expect, it } from 'vitest';
import type { HardwareInfo } from '../../shared/index.js';
import type { ModelProvider, ShowResponse } from '../../electron/core/llm/index.js';
import { buildCatalog, type ModelMetadataCache } from '../../electron/core/models/index.js';
import { installedArchitecture } from '../../electron/core/models/catalog.js';
import { loadCuratedModels } from '../../electron/core/models/curated.js';
import { parseArchitecture } from '../../electron/core/models/architecture.js';

const GIB = 1024 ** 3;
const HARDWARE: HardwareInfo = {
  gpus: [{ name: 'RTX', vendor: 'nvidia', backend: 'cuda', vramTotalBytes: 12 * GIB, vramFreeBytes: 11 * GIB, integrated: false, source: 'nvidia-smi', note: null }],
  ram: { totalBytes: 32 * GIB, freeBytes: 24 * GIB },
  cpu: { brand: 'x', cores: 8, threads: 16 },
  platform: 'linux',
  summary: 't',
  probedAt: 0,
};
const SIZE_1_5B = 986_062_089;
// What /api/show says for a pulled tag whose GGUF metadata did not come along: details only.
const SPARSE_SHOW: ShowResponse = { model_info: {}, details: { family: 'qwen2', parameter_size: '1.5B', quantization_level: 'Q4_K_M' } } as ShowResponse;

function providerWith(show: ShowResponse): ModelProvider {
  return {
    id: 'ollama',
    kind: 'ollama',
    leavesMachine: false,
    contextWindow: async () => null,
    host: 'http://local',
    status: async () => ({ reachable: true }) as never,
    listModels: async () => [{ name: 'qwen2.5-coder:1.5b', size: SIZE_1_5B, digest: 'd1', modifiedAt: '', family: 'qwen2', parameterSize: '1.5B', quantizationLevel: 'Q4_K_M' }] as never,
    ps: async () => [],
    show: async () => show,
    chatStream: () => (async function* () {})(),
    pull: () => (async function* () {})(),
    delete: async () => {},
  };
}
const passThroughCache = { resolve: (_m: unknown, fetchShow: (v: boolean) => Promise<ShowResponse>) => fetchShow(false) } as unknown as ModelMetadataCache;

describe('the memory estimate of one model', () => {
  it('is the same in the curated and the installed list at the same context', async () => {
    const catalog = await buildCatalog({
      hosts: [{ host: 'http://local', provider: providerWith(SPARSE_SHOW) }],
      hardware: HARDWARE,
      settings: { numCtx: 8192, kvCacheType: 'f16', flashAttention: false },
      cache: passThroughCache,
    });
    const installed = catalog.installed.find((m) => m.name === 'qwen2.5-coder:1.5b');
    const curated = catalog.curated.find((m) => m.name === 'qwen2.5-coder:1.5b');
    expect(installed?.fit.estimate?.totalBytes).toBeGreaterThan(0);
    expect(installed?.fit.estimate?.totalBytes).toBe(curated?.fit.estimate?.totalBytes);
    // Not by making both rough: the real numbers, not the stand-in shape.
    expect(installed?.fit.estimate?.rough).toBe(false);
    expect(installed?.contextLength).toBe(32768);
  });

  it('keeps the rough shape for a tag the curated list lacks, or a same-named file of another size', () => {
    const parsed = parseArchitecture(SPARSE_SHOW, SIZE_1_5B)?.arch ?? null;
    expect(parsed?.rough).toBeTruthy();
    const curated = loadCuratedModels();
    expect(installedArchitecture('my-coder:1.5b', SIZE_1_5B, parsed, curated)).toBe(parsed);
    expect(installedArchitecture('qwen2.5-coder:1.5b', SIZE_1_5B * 2, parsed, curated)).toBe(parsed);
    expect(installedArchitecture('qwen2.5-coder:1.5b', SIZE_1_5B, parsed, curated)?.rough).toBeUndefined();
  });
});
