import { describe, expect, it } from 'vitest';
import { askContextWindow, ContextWindowCache } from '../../electron/core/llm/openai/index.js';

/** A fake server: path → JSON body (anything else 404). */
function server(routes: Record<string, unknown>, asked: string[] = []): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    asked.push(url.pathname);
    const body = routes[url.pathname];
    return body === undefined ? new Response('{"error":{"message":"nope"}}', { status: 404 }) : new Response(JSON.stringify(body), { status: 200 });
  }) as typeof fetch;
}
const ask = (f: typeof fetch, model = 'm') => askContextWindow({ baseUrl: 'http://h:1/v1', fetch: f, headers: () => ({}) }, model);

describe('askContextWindow', () => {
  it('reads OpenRouter-style context_length from the model list and asks nothing more', async () => {
    const asked: string[] = [];
    expect(await ask(server({ '/v1/models': { data: [{ id: 'm', context_length: 200000 }, { id: 'n', context_length: 1 }] } }, asked))).toEqual({ contextLength: 200000, loadedContextLength: null, source: '/models context_length' });
    expect(asked).toEqual(['/v1/models']);
  });

  it('takes a top-level /props n_ctx when default_generation_settings has none', async () => {
    expect(await ask(server({ '/v1/models': { data: [] }, '/props': { n_ctx: 4096, default_generation_settings: {} } }))).toEqual({ contextLength: 4096, loadedContextLength: 4096, source: '/props n_ctx' });
  });

  it('ignores nonsense numbers and returns null when no endpoint says anything', async () => {
    expect(await ask(server({ '/v1/models': { data: [{ id: 'm', max_model_len: -5, meta: { n_ctx_train: 'big' } }] }, '/props': { default_generation_settings: { n_ctx: 0 } } }))).toBeNull();
  });
});

describe('ContextWindowCache', () => {
  it('asks once a minute per model', async () => {
    let now = 0;
    let calls = 0;
    const cache = new ContextWindowCache(() => now);
    const ask = async () => ({ contextLength: ++calls, loadedContextLength: null, source: 'x' });
    expect((await cache.get('a', ask))?.contextLength).toBe(1);
    now = 59_000;
    expect((await cache.get('a', ask))?.contextLength).toBe(1);
    expect((await cache.get('b', ask))?.contextLength).toBe(2);
    now = 61_000;
    expect((await cache.get('a', ask))?.contextLength).toBe(3);
  });
});
