import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HardwareInfo, MethodResult, PullProgress } from '../../shared/index.js';
import { isMacsError } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import type { Db } from '../../electron/core/db/index.js';
import { OllamaProvider, type PullEvent } from '../../electron/core/llm/index.js';
import { buildCatalog, ModelMetadataCache, ModelService, PullManager, type CatalogHost } from '../../electron/core/models/index.js';
import { createRestApi, type RestEngine } from '../../electron/server/rest/index.js';
import { modelsCommand } from '../../electron/cli/models-command.js';
import type { CliContext } from '../../electron/cli/context.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { closedPort } from './helpers.js';
import { GIB, openModelTestBed, SETTINGS, type ModelTestBed } from './model-test-bed.js';

/** An RTX 4070 with 11 GiB free, 24 GiB of RAM free. */
const HARDWARE: HardwareInfo = {
  gpus: [
    {
      name: 'NVIDIA GeForce RTX 4070',
      vendor: 'nvidia',
      backend: 'cuda',
      vramTotalBytes: 12 * GIB,
      vramFreeBytes: 11 * GIB,
      integrated: false,
      source: 'nvidia-smi',
      note: null,
    },
  ],
  ram: { totalBytes: 32 * GIB, freeBytes: 24 * GIB },
  cpu: { brand: 'AMD Ryzen 7 7700X', cores: 8, threads: 16 },
  platform: 'linux',
  summary: 'NVIDIA GeForce RTX 4070 12 GiB (11.0 free) · 32 GiB RAM · AMD Ryzen 7 7700X',
  probedAt: 0,
};

let bed: ModelTestBed;
let standin: OllamaStandin;
let dataDir: string;
let db: Db;
let cache: ModelMetadataCache;

beforeEach(async () => {
  bed = await openModelTestBed('models');
  ({ standin, dataDir, db, cache } = bed);
});
afterEach(() => bed.close());

function hostOf(s: OllamaStandin, hardware?: HardwareInfo | null): CatalogHost {
  return { host: s.url, provider: new OllamaProvider(s.url), hardware };
}

const showCalls = (s: OllamaStandin) => s.requests.filter((r) => r.path === '/api/show').length;

async function loadModel(s: OllamaStandin, model: string, numCtx: number): Promise<void> {
  // An empty /api/generate loads the model (what the stand-in then reports in /api/ps).
  const res = await fetch(`${s.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model, options: { num_ctx: numCtx }, keep_alive: '5m' }) });
  expect(res.status).toBe(200);
}

describe('buildCatalog against the stand-in', () => {
  it('lists installed models with fit verdicts from /api/show architecture, curated with installed flags, and a recommendation', async () => {
    const catalog = await buildCatalog({ hosts: [hostOf(standin)], hardware: HARDWARE, settings: SETTINGS, cache });
    expect(catalog.hosts).toEqual([{ host: standin.url, reachable: true, error: null }]);
    expect(catalog.numCtx).toBe(8192);
    expect(catalog.installed.map((m) => m.name).sort()).toEqual(['llama3.2:3b', 'qwen2.5-coder:7b']);

    const qwen = catalog.installed.find((m) => m.name === 'qwen2.5-coder:7b')!;
    expect(qwen).toMatchObject({ host: standin.url, contextLength: 32768, quantizationLevel: 'Q4_K_M', loaded: null });
    expect(qwen.fit.verdict).toBe('gpu');
    // 28 layers × 8192 × 4 KV heads × (128 + 128) × 2 bytes, from the stand-in's real qwen2 numbers.
    expect(qwen.fit.estimate?.kvCacheBytes).toBe(28 * 8192 * 4 * 256 * 2);
    expect(qwen.fit.estimate?.weightsBytes).toBe(4_683_087_332);
    expect(qwen.fit.explanation).toMatch(/needs ~5\.\d GiB at 8k context; NVIDIA GeForce RTX 4070 has 11\.0 GiB free/);
    expect(qwen.fit.maxGpuContext).toBe(32768);

    expect(catalog.recommended).toBe('qwen2.5-coder:7b'); // a coding model beats the general llama3.2
    const curated = new Map(catalog.curated.map((c) => [c.name, c]));
    expect(curated.get('qwen2.5-coder:7b')).toMatchObject({ installed: true, fit: { verdict: 'gpu' } });
    expect(curated.get('qwen2.5-coder:32b')).toMatchObject({ installed: false, fit: { verdict: 'partial' } });
    expect(curated.get('qwen2.5-coder:32b')!.fit.gpuLayersPercent).toBeGreaterThan(20);
  });

  it('shows what /api/ps reports for a loaded model beside the estimate', async () => {
    await loadModel(standin, 'qwen2.5-coder:7b', 8192);
    const catalog = await buildCatalog({ hosts: [hostOf(standin)], hardware: HARDWARE, settings: SETTINGS, cache });
    const qwen = catalog.installed.find((m) => m.name === 'qwen2.5-coder:7b')!;
    expect(qwen.loaded).toMatchObject({ name: 'qwen2.5-coder:7b', contextLength: 8192, expiresAt: expect.any(String) });
    // The stand-in reports weights + f16 KV at the loaded context; the estimate has the same KV plus graph and minimum.
    expect(qwen.loaded!.sizeBytes - qwen.fit.estimate!.weightsBytes).toBe(qwen.fit.estimate!.kvCacheBytes);
    expect(qwen.fit.estimate!.totalBytes).toBeGreaterThan(qwen.loaded!.sizeBytes);
    expect(catalog.installed.find((m) => m.name === 'llama3.2:3b')!.loaded).toBeNull();
  });

  it('caches /api/show by digest: a second build (or a restart) asks Ollama nothing; a new digest is fetched once', async () => {
    await buildCatalog({ hosts: [hostOf(standin)], hardware: HARDWARE, settings: SETTINGS, cache });
    expect(showCalls(standin)).toBe(2);
    expect(db.prepare('SELECT COUNT(*) FROM model_meta').pluck().get()).toBe(2);

    await buildCatalog({ hosts: [hostOf(standin)], hardware: HARDWARE, settings: SETTINGS, cache });
    await buildCatalog({ hosts: [hostOf(standin)], hardware: HARDWARE, settings: SETTINGS, cache: new ModelMetadataCache(db) });
    expect(showCalls(standin)).toBe(2);

    standin.setModels([...standin_models(), { name: 'codellama:7b', size: 3_825_910_662, family: 'llama', parameterSize: '7B', quantizationLevel: 'Q4_0' }]);
    const catalog = await buildCatalog({ hosts: [hostOf(standin)], hardware: HARDWARE, settings: SETTINGS, cache });
    expect(showCalls(standin)).toBe(3);
    expect(catalog.installed.find((m) => m.name === 'codellama:7b')!.fit.estimate!.kvCacheBytes).toBeGreaterThan(0);
  });

  it('asks again verbosely when Ollama blanked a per-layer array, stores no token lists, and fetches a digest once when asked twice at once', async () => {
    const calls: boolean[] = [];
    const info = { 'general.architecture': 'x', 'x.block_count': 6, 'x.embedding_length': 1024, 'x.attention.head_count': 8, 'x.context_length': 4096 };
    const fetchShow = async (verbose: boolean) => {
      calls.push(verbose);
      await new Promise((r) => setTimeout(r, 20));
      return verbose
        ? { model_info: { ...info, 'x.attention.head_count_kv': [2, 2, 0, 2, 2, 0], 'tokenizer.ggml.tokens': Array.from({ length: 5000 }, (_, i) => `t${i}`) }, details: {} }
        : { model_info: { ...info, 'x.attention.head_count_kv': [], 'tokenizer.ggml.tokens': [] }, details: {} };
    };
    const model = { name: 'hybrid:1b', digest: 'd1' };
    const [a, b] = await Promise.all([cache.resolve(model, fetchShow), cache.resolve(model, fetchShow)]);
    expect(calls).toEqual([false, true]);
    expect(a).toEqual(b);
    expect(a.model_info['x.attention.head_count_kv']).toEqual([2, 2, 0, 2, 2, 0]);
    expect(a.model_info['x.vocab_size']).toBe(5000);
    expect(a.model_info['tokenizer.ggml.tokens']).toBeUndefined();
    const stored = db.prepare('SELECT name, show_json FROM model_meta WHERE digest = ?').get('d1') as { name: string; show_json: string };
    expect(stored.name).toBe('hybrid:1b');
    expect(stored.show_json.length).toBeLessThan(2000);
    await cache.resolve(model, fetchShow);
    expect(calls).toHaveLength(2);
  });

  it('lists a host that is down as unreachable and still answers for the others', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const catalog = await buildCatalog({
      hosts: [hostOf(standin), { host: down, provider: new OllamaProvider(down) }],
      hardware: HARDWARE,
      settings: SETTINGS,
      cache,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(catalog.hosts[0]).toEqual({ host: standin.url, reachable: true, error: null });
    expect(catalog.hosts[1]).toMatchObject({ host: down, reachable: false, error: expect.stringContaining('not reachable') });
    expect(catalog.installed.every((m) => m.host === standin.url)).toBe(true);
    expect(catalog.installed).toHaveLength(2);
  });

  it('a host with unknown hardware gets "unknown", or the verdict /api/ps implies for a loaded model', async () => {
    await loadModel(standin, 'llama3.2:3b', 4096);
    const remote = standin.url.replace('127.0.0.1', 'localhost');
    const catalog = await buildCatalog({ hosts: [{ host: remote, provider: new OllamaProvider(remote), hardware: null }], hardware: HARDWARE, settings: SETTINGS, cache });
    expect(catalog.installed.find((m) => m.name === 'qwen2.5-coder:7b')!.fit.verdict).toBe('unknown');
    // The default stand-in is a CPU-only server: /api/ps reports size_vram 0.
    const llama = catalog.installed.find((m) => m.name === 'llama3.2:3b')!;
    expect(llama.fit.verdict).toBe('cpu');
    expect(llama.fit.explanation).toContain('/api/ps');
  });

  it('a remote GPU server: the verdict follows what /api/ps reports on the GPU', async () => {
    const gpuServer = await startOllamaStandin({ vramBytes: 64 * 2 ** 30 });
    try {
      await loadModel(gpuServer, 'llama3.2:3b', 4096);
      const remote = gpuServer.url.replace('127.0.0.1', 'localhost');
      const catalog = await buildCatalog({ hosts: [{ host: remote, provider: new OllamaProvider(remote), hardware: null }], hardware: HARDWARE, settings: SETTINGS, cache });
      const llama = catalog.installed.find((m) => m.name === 'llama3.2:3b')!;
      expect(llama.fit).toMatchObject({ verdict: 'gpu', gpuLayersPercent: 100 });
      expect(llama.fit.explanation).toContain('/api/ps');
    } finally {
      await gpuServer.close();
    }
  });
});

// The stand-in's default installed models, for setModels calls that add one.
function standin_models() {
  return [
    { name: 'qwen2.5-coder:7b', size: 4_683_087_332, family: 'qwen2', parameterSize: '7.6B', quantizationLevel: 'Q4_K_M' },
    { name: 'llama3.2:3b', size: 2_019_393_189, family: 'llama', parameterSize: '3.2B', quantizationLevel: 'Q4_K_M' },
  ];
}

describe('pull and delete', () => {
  function manager(s: OllamaStandin, events: PullProgress[], extra: { throttleMs?: number } = {}) {
    return new PullManager({ providerFor: (h) => new OllamaProvider(h), defaultHost: () => s.url, onProgress: (p) => events.push(p), ...extra });
  }

  it('reports progress summed over layers, throttled, to success; the model is then installed', async () => {
    const events: PullProgress[] = [];
    const pulls = manager(standin, events);
    const pullId = pulls.start('qwen2.5-coder:14b');
    expect(pulls.start('qwen2.5-coder:14b')).toBe(pullId); // the same pull, joined
    const final = await pulls.wait(pullId);
    expect(final).toMatchObject({ pullId, name: 'qwen2.5-coder:14b', host: standin.url, status: 'success', done: true, cancelled: false, error: null });
    expect(final.totalBytes).toBe(8_988_124_069);
    expect(final.completedBytes).toBe(final.totalBytes);
    expect(events[events.length - 1]).toEqual(final);
    for (let i = 1; i < events.length; i++) expect(events[i].completedBytes).toBeGreaterThanOrEqual(events[i - 1].completedBytes);
    // The stand-in sends 5 lines per big layer with one status: at most the first and a trailing one go out.
    const perStatus = new Map<string, number>();
    for (const e of events) perStatus.set(e.status, (perStatus.get(e.status) ?? 0) + 1);
    for (const n of perStatus.values()) expect(n).toBeLessThanOrEqual(2);
    expect(events.length).toBeLessThan(standin.requests.length + 20);

    const names = (await new OllamaProvider(standin.url).listModels()).map((m) => m.name);
    expect(names).toContain('qwen2.5-coder:14b');
  });

  it('computes bytes per second over a sliding window while a pull runs', async () => {
    const slow = await startOllamaStandin({ pullStepDelayMs: 40 });
    try {
      const events: PullProgress[] = [];
      const mgr = manager(slow, events, { throttleMs: 0 });
      expect((await mgr.wait(mgr.start('qwen2.5-coder:3b'))).status).toBe('success');
      const moving = events.filter((e) => !e.done && e.bytesPerSecond > 0);
      expect(moving.length).toBeGreaterThan(0);
      // ~1.9 GB in 4 steps of 40 ms: far more than 1 MB/s, far less than the whole size per millisecond.
      for (const e of moving) expect(e.bytesPerSecond).toBeGreaterThan(1e6);
    } finally {
      await slow.close();
    }
  });

  it('cancel aborts the HTTP stream; the model is not installed', async () => {
    // 17 progress lines × 60 ms: the whole pull would take ~1 s.
    const slow = await startOllamaStandin({ pullStepDelayMs: 60 });
    try {
      const events: PullProgress[] = [];
      const pulls = manager(slow, events);
      const pullId = pulls.start('qwen2.5-coder:32b');
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if (events.length > 0) {
            clearInterval(t);
            resolve();
          }
        }, 5);
      });
      expect(pulls.cancel(pullId)).toBe(true);
      const final = await pulls.wait(pullId);
      expect(final).toMatchObject({ status: 'cancelled', done: true, cancelled: true, error: null });
      expect(pulls.cancel(pullId)).toBe(false);
      await new Promise((r) => setTimeout(r, 1500)); // longer than the whole pull would have taken
      expect((await new OllamaProvider(slow.url).listModels()).map((m) => m.name)).not.toContain('qwen2.5-coder:32b');
    } finally {
      await slow.close();
    }
  });

  it('abort works before the first byte (a host that accepts and never answers)', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const mute = http.createServer(() => {
      /* never answers */
    });
    mute.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(mute.address() as AddressInfo).port}`;
    try {
      const controller = new AbortController();
      const iterate = (async () => {
        const seen: PullEvent[] = [];
        for await (const e of new OllamaProvider(url).pull('qwen2.5-coder:7b', controller.signal)) seen.push(e);
        return seen;
      })();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      await expect(iterate).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => mute.close(r));
    }
  });

  it('maps a name that is not in the library to MODEL_NOT_FOUND', async () => {
    const events: PullProgress[] = [];
    const pulls = manager(standin, events);
    const final = await pulls.wait(pulls.start('no-such-model:1b'));
    expect(final).toMatchObject({ done: true, status: 'error', error: { code: 'MODEL_NOT_FOUND' } });
    expect(final.error!.message).toContain('no-such-model:1b');
  });

  it('deletes a model; deleting it again is MODEL_NOT_FOUND', async () => {
    const provider = new OllamaProvider(standin.url);
    await provider.delete('llama3.2:3b');
    expect((await provider.listModels()).map((m) => m.name)).toEqual(['qwen2.5-coder:7b']);
    const err = await provider.delete('llama3.2:3b').catch((e: unknown) => e);
    expect(isMacsError(err) && err.code).toBe('MODEL_NOT_FOUND');
  });

  it('show and ps map errors: an unknown model is MODEL_NOT_FOUND, a down host OLLAMA_UNREACHABLE', async () => {
    const err = await new OllamaProvider(standin.url).show('ghost:1b').catch((e: unknown) => e);
    expect(isMacsError(err) && err.code).toBe('MODEL_NOT_FOUND');
    const down = `http://127.0.0.1:${await closedPort()}`;
    const psErr = await new OllamaProvider(down).ps().catch((e: unknown) => e);
    expect(isMacsError(psErr) && psErr.code).toBe('OLLAMA_UNREACHABLE');
  });
});

describe('ModelService, GET /v1/models and macs models', () => {
  let engine: Engine;
  let service: ModelService;
  let server: http.Server;
  let base: string;
  const published: PullProgress[] = [];
  const changed: string[] = [];
  let extraHosts: string[] = [];
  let key = '';
  // /v1/models names the Ollama hosts and the hardware: it needs a credential like every /v1 read.
  const get = (urlPath: string) => fetch(`${base}${urlPath}`, { headers: { 'x-api-key': key } });

  beforeEach(async () => {
    engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, env: {} });
    extraHosts = [];
    service = new ModelService({
      db,
      settings: () => ({ ollamaHost: standin.url, extraOllamaHosts: extraHosts, ...SETTINGS }),
      providerFor: (h) => new OllamaProvider(h),
      hardware: async () => HARDWARE,
      publishPullProgress: (p) => published.push(p),
      onModelsChanged: (h) => changed.push(h),
    });
    // What the lead's handler will do: models.catalog answered by the service, everything else by the engine.
    const rest: RestEngine = {
      dbPath: engine.dbPath,
      onTopic: engine.onTopic,
      exportTask: engine.exportTask,
      stats: engine.stats,
      apiKey: engine.apiKey,
      invoke: (method, params) => (method === 'models.catalog' ? service.catalog(params as object) : engine.invoke(method, params)),
    };
    const api = createRestApi(rest);
    server = http.createServer((req, res) => void api.handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    key = engine.apiKey().apiKey;
  });
  afterEach(async () => {
    service.close();
    await new Promise((r) => server.close(r));
    await engine.close();
  });

  it('GET /v1/models keeps the old fields and adds verdicts; ?fits and ?language filter', async () => {
    const all = await (await get(`/v1/models`)).json();
    expect(all.models.map((m: { name: string }) => m.name).sort()).toEqual(['llama3.2:3b', 'qwen2.5-coder:7b']);
    const qwen = all.models.find((m: { name: string }) => m.name === 'qwen2.5-coder:7b');
    expect(qwen).toMatchObject({
      size: 4_683_087_332,
      digest: expect.any(String),
      modified_at: expect.any(String),
      family: 'qwen2',
      parameter_size: '7.6B',
      quantization_level: 'Q4_K_M',
      host: standin.url,
      context_length: 32768,
      coding: true,
      languages: expect.arrayContaining(['python', 'typescript']),
      fit: { verdict: 'gpu', gpu_layers_percent: 100, max_gpu_context: 32768, explanation: expect.stringContaining('GiB free'), estimate: { num_ctx: 8192 } },
      loaded: null,
    });
    expect(all).toMatchObject({ recommended: 'qwen2.5-coder:7b', num_ctx: 8192, hardware: HARDWARE.summary, hosts: [{ reachable: true }] });

    // Speed beside the fit (estimated from the recorded hardware until the model has run here).
    expect(qwen.speed).toMatchObject({ tokens_per_second: expect.any(Number), small_project_seconds: expect.any(Number), source: 'estimate' });
    expect(qwen.fit.estimate).toMatchObject({ rough: false });

    const partial = await (await get(`/v1/models?fits=partial&language=python`)).json();
    expect(partial.models).toEqual([]);
    expect(partial.curated.length).toBeGreaterThan(0);
    expect(partial.curated.every((c: { fit: { verdict: string }; languages: string[] }) => c.fit.verdict === 'partial' && c.languages.includes('python'))).toBe(true);
    expect(partial.curated.map((c: { name: string }) => c.name)).toContain('qwen2.5-coder:32b');

    // Both installed models are listed for Python; only the coder for Rust (llama3.2 is a general model).
    const gpuPython = await (await get(`/v1/models?fits=gpu&language=Python`)).json();
    expect(gpuPython.models.map((m: { name: string }) => m.name).sort()).toEqual(['llama3.2:3b', 'qwen2.5-coder:7b']);
    const gpuRust = await (await get(`/v1/models?fits=gpu&language=rust`)).json();
    expect(gpuRust.models.map((m: { name: string }) => m.name)).toEqual(['qwen2.5-coder:7b']);
    const cpp = await (await get(`/v1/models?language=C%2B%2B`)).json();
    expect(cpp.curated.map((c: { name: string }) => c.name)).toContain('codellama:13b');

    const bad = await get(`/v1/models?fits=huge`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('INVALID_INPUT');
  });

  it('GET /v1/models is 503 when no host answers', async () => {
    await standin.close();
    const res = await get(`/v1/models`);
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('OLLAMA_UNREACHABLE');
  });

  it('the service pulls (publishing progress), cancels and deletes, and says which host changed', async () => {
    const { pullId } = service.pull({ name: 'llama3.2:1b' });
    const final = await service.pulls.wait(pullId);
    expect(final.status).toBe('success');
    expect(published.filter((p) => p.pullId === pullId).at(-1)).toEqual(final);
    expect(service.pullCancel({ pullId })).toEqual({ cancelled: false });
    expect(await service.delete({ name: 'llama3.2:1b' })).toEqual({ deleted: true });
    expect(changed).toEqual([standin.url, standin.url]);
    const catalog = await service.catalog({});
    expect(catalog.installed.map((m) => m.name)).not.toContain('llama3.2:1b');
  });

  it('macs models prints the verdicts, --json the filtered catalog; exit 1 when no host answers', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = { version: 'test', dataDir, rendererDir: dataDir, env: {}, stdout: (l) => out.push(l), stderr: (l) => err.push(l), write: (t) => out.push(t) };
    const loadCatalog = async () => (await service.catalog({})) as MethodResult<'models.catalog'>;

    expect(await modelsCommand(ctx, {}, { loadCatalog })).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('Hardware  NVIDIA GeForce RTX 4070');
    expect(text).toMatch(/✓ gpu\s+qwen2\.5-coder:7b ★/);
    expect(text).toMatch(/◐ partial \d+%\s+qwen2\.5-coder:32b/);
    expect(text).toContain('Recommended default: qwen2.5-coder:7b');

    out.length = 0;
    expect(await modelsCommand(ctx, { json: true, fits: 'gpu', language: 'rust' }, { loadCatalog })).toBe(0);
    const json = JSON.parse(out.join('\n'));
    expect(json.installed.map((m: { name: string }) => m.name)).toEqual(['qwen2.5-coder:7b']);
    expect(json.curated.every((c: { fit: { verdict: string } }) => c.fit.verdict === 'gpu')).toBe(true);

    expect(await modelsCommand(ctx, { fits: 'huge' }, { loadCatalog })).toBe(2);
    expect(err.join('\n')).toContain('--fits');

    extraHosts = [];
    await standin.close();
    out.length = 0;
    expect(await modelsCommand(ctx, {}, { loadCatalog })).toBe(1);
    expect(out.join('\n')).toContain('unreachable');
  });
});
