/**
 * Ollama's own OpenAI-compatible endpoint configured as an "OpenAI-compatible" provider at
 * http://127.0.0.1:11434/v1: routes answered as ollama/ollama does (openai/openai.go,
 * middleware/openai.go, server/routes.go; gin answers unknown routes "404 page not found").
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleProvider } from '../../electron/core/llm/openai/index.js';
import { MacsError } from '../../shared/index.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const MODEL = 'qwen2.5-coder:7b';
const seen: string[] = [];

async function fakeOllama(opts: { loaded: boolean }): Promise<string> {
  seen.length = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      seen.push(`${req.method} ${path}`);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as { model?: string }) : {};
      if (req.method === 'GET' && path === '/v1/models') return json(200, { object: 'list', data: [{ id: MODEL, object: 'model', created: 1_733_000_000, owned_by: 'library' }] });
      if (req.method === 'POST' && path === '/api/show') {
        if (body.model !== MODEL) return json(404, { error: `model '${body.model}' not found` });
        return json(200, { model_info: { 'general.architecture': 'qwen2', 'qwen2.context_length': 32768 }, details: { family: 'qwen2' }, capabilities: ['completion'] });
      }
      if (req.method === 'GET' && path === '/api/ps') return json(200, { models: opts.loaded ? [{ name: MODEL, model: MODEL, size: 1, size_vram: 1, context_length: 4096 }] : [] });
      if (req.method === 'POST' && path === '/v1/chat/completions') {
        // openai.NewError(404, …) for a model not pulled: type not_found_error, param and code null.
        return json(404, { error: { message: `model "${body.model}" not found, try pulling it first`, type: 'not_found_error', param: null, code: null } });
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const provider = (baseUrl: string) => new OpenAICompatibleProvider({ id: 'ollama-v1', baseUrl, apiKey: () => null, leavesMachine: false, contextOverride: null });

describe('Ollama /v1 as an OpenAI-compatible provider', () => {
  it('the context window comes from Ollama /api/show and, when loaded, /api/ps (its /v1 cannot set num_ctx)', async () => {
    const p = provider(await fakeOllama({ loaded: true }));
    expect(await p.contextWindow(MODEL)).toMatchObject({ contextLength: 32768, loadedContextLength: 4096 });
    expect(seen).toContain('POST /api/show');
    const q = provider(await fakeOllama({ loaded: false }));
    expect(await q.contextWindow(MODEL)).toMatchObject({ contextLength: 32768, loadedContextLength: null });
  });

  it('lists its models, and a model not pulled is MODEL_NOT_FOUND in Ollama words', async () => {
    const p = provider(await fakeOllama({ loaded: false }));
    expect((await p.listModels()).map((m) => m.name)).toEqual([MODEL]);
    let error: unknown;
    try {
      for await (const _ of p.chatStream({ model: 'llama9', messages: [{ role: 'user', content: 'hi' }], numCtx: 4096, signal: new AbortController().signal })) void _;
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MacsError);
    expect((error as MacsError).code).toBe('MODEL_NOT_FOUND');
    expect((error as MacsError).message).toContain('try pulling it first');
  });
});
