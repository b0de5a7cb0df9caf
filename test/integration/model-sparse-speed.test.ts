// Issue 13 §3 and §5 against the Ollama stand-in: a sparse /api/show, /api/ps's effective
// context, and measured speed (eval_count / eval_duration) replacing the estimate.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HardwareInfo } from '../../shared/index.js';
import { CatalogModelSchema } from '../../shared/index.js';
import { OllamaProvider, type ChatChunk } from '../../electron/core/llm/index.js';
import { buildCatalog, type ModelMetadataCache, recordingSpeed, SpeedStore } from '../../electron/core/models/index.js';
import type { OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { defaultModels, importedSparseGguf } from '../fixtures/ollama-standin/catalog.js';
import { GIB, openModelTestBed, SETTINGS, type ModelTestBed } from './model-test-bed.js';
import { modelsCommand } from '../../electron/cli/models-command.js';
import type { CliContext } from '../../electron/cli/context.js';

/** A 2-core box without a GPU and a measured RAM bandwidth. */
const CPU_BOX: HardwareInfo = {
  gpus: [],
  ram: { totalBytes: 24 * GIB, freeBytes: 22 * GIB, bandwidth: { bytesPerSecond: 6.7e9, source: 'measured', detail: 'measured: 6.7 GB/s' } },
  cpu: { brand: 'Intel Xeon Processor', cores: 2, threads: 2 },
  platform: 'linux',
  summary: 'No dedicated GPU · 23.5 GiB RAM · Intel Xeon Processor (2 cores) (models run on the CPU)',
  probedAt: 0,
};

let bed: ModelTestBed;
let standin: OllamaStandin;
let dataDir: string;
let cache: ModelMetadataCache;
let speeds: SpeedStore;

beforeEach(async () => {
  bed = await openModelTestBed('models-speed');
  ({ standin, dataDir, cache } = bed);
  speeds = new SpeedStore(bed.db);
});
afterEach(() => bed.close());

const catalogOf = (hardware: HardwareInfo = CPU_BOX) =>
  buildCatalog({ hosts: [{ host: standin.url, provider: new OllamaProvider(standin.url) }], hardware, settings: SETTINGS, cache, measuredSpeed: (h, m) => speeds.get(h, m) });

describe('sparse /api/show from a real-shaped imported GGUF', () => {
  it('context unknown (null, not 2048), a rough estimate with a KV cache, said in the explanation', async () => {
    standin.setModels([...defaultModels(), importedSparseGguf]);
    const catalog = await catalogOf();
    const imported = catalog.installed.find((m) => m.name === 'imported-coder:7b')!;
    CatalogModelSchema.parse(imported);
    expect(imported.contextLength).toBeNull();
    expect(imported.fit.estimate).toMatchObject({ rough: true, numCtx: 8192 });
    expect(imported.fit.estimate!.kvCacheBytes).toBeGreaterThan(GIB);
    expect(imported.fit.explanation).toMatch(/rough estimate, on the safe side: \/api\/show lacks llama\.block_count, llama\.attention\.head_count/);
    expect(imported.speed?.rough).toBe(true);
    // The complete ones are exact.
    const qwen = catalog.installed.find((m) => m.name === 'qwen2.5-coder:7b')!;
    expect(qwen.fit.estimate?.rough).toBe(false);
    expect(qwen.contextLength).toBe(32768);
  });
});

describe('/api/ps context_length', () => {
  it('reports the effective context: a request above the trained context runs at the trained one', async () => {
    // qwen2.5-coder:7b is trained for 32k; ask for 64k.
    const res = await fetch(`${standin.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'qwen2.5-coder:7b', options: { num_ctx: 65536 }, keep_alive: '5m' }) });
    expect(res.status).toBe(200);
    const ps = (await (await fetch(`${standin.url}/api/ps`)).json()) as { models: Array<{ name: string; context_length: number }> };
    expect(ps.models[0]).toMatchObject({ name: 'qwen2.5-coder:7b', context_length: 32768 });
    const catalog = await catalogOf();
    expect(catalog.installed.find((m) => m.name === 'qwen2.5-coder:7b')!.loaded?.contextLength).toBe(32768);
  });
});

describe('measured speed', () => {
  it('a task provider records eval_count / eval_duration per model and host; the catalog then shows it instead of the estimate', async () => {
    const before = (await catalogOf()).installed.find((m) => m.name === 'llama3.2:3b')!;
    expect(before.speed).toMatchObject({ source: 'estimate' });

    const provider = recordingSpeed(new OllamaProvider(standin.url), speeds);
    expect(provider.host).toBe(standin.url);
    let done: Extract<ChatChunk, { type: 'done' }> | null = null;
    for (let i = 0; i < 2; i++) {
      standin.enqueueChat({ tokens: Array.from({ length: 120 }, (_, k) => `t${k} `), tokensPerSecond: 400 });
      for await (const chunk of provider.chatStream({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }], numCtx: 4096, signal: new AbortController().signal })) {
        if (chunk.type === 'done') done = chunk;
      }
    }
    expect(done!.evalTokens).toBe(120);
    const stored = speeds.get(standin.url, 'llama3.2:3b')!;
    expect(stored).toMatchObject({ evalTokens: 240, samples: 2 });

    const after = (await catalogOf()).installed.find((m) => m.name === 'llama3.2:3b')!;
    expect(after.speed).toMatchObject({ source: 'measured', rough: false });
    expect(after.speed!.tokensPerSecond).toBeCloseTo(240 / (stored.evalMs / 1000), 6);
    // The stand-in paces at 400 tok/s; what Ollama measures (first to last token) is in that region.
    expect(after.speed!.tokensPerSecond).toBeGreaterThan(200);
    expect(after.speed!.basis).toMatch(/^Measured: 240 tokens generated/);
    // Other models keep their estimate.
    expect((await catalogOf()).installed.find((m) => m.name === 'qwen2.5-coder:7b')!.speed?.source).toBe('estimate');
  });
});

describe('macs models', () => {
  it('prints a speed column: tok/s and the time for a small project, rough or measured', async () => {
    standin.setModels([...defaultModels(), importedSparseGguf]);
    speeds.record(standin.url, 'llama3.2:3b', 600, 60_000);
    const out: string[] = [];
    const ctx: CliContext = { version: '0', dataDir, rendererDir: '', env: {}, stdout: (l) => out.push(l), stderr: (l) => out.push(`ERR ${l}`), write: (t) => out.push(t) };
    expect(await modelsCommand(ctx, {}, { loadCatalog: () => catalogOf() })).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/Speed {5}tokens\/s generated, and the time for a small project \(~8k prompt \+ ~4k generated tokens\)/);
    expect(text).toMatch(/FIT\s+MODEL\s+NEEDS\s+SPEED, SMALL PROJECT\s+MAX GPU CTX\s+NOW/);
    expect(text).toMatch(/llama3\.2:3b( ★)?\s+[\d.]+ GiB\s+10 tok\/s \(measured\), \d+ min/);
    expect(text).toMatch(/qwen2\.5-coder:7b ★?\s*[\d.]+ GiB\s+≈ [\d.]+ tok\/s, \d+ min/);
    expect(text).toMatch(/imported-coder:7b\s+[\d.]+ GiB \(rough\)\s+≈ [\d.]+ tok\/s \(rough\), [\d.]+ (min|h)/);
  });
});
