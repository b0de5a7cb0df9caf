import { describe, expect, it } from 'vitest';
import { DEFAULT_LLM_CONFIG, type LlmConfig, type ProviderConfig, type RoleRoute } from '../../shared/index.js';
import { orderTargets, overrideProvider, refusal, routeCandidates } from '../../electron/core/providers/routing.js';

const provider = (id: string, over: Partial<ProviderConfig> = {}): ProviderConfig => ({
  id,
  kind: 'openai',
  label: '',
  enabled: true,
  baseUrl: 'http://127.0.0.1:1234/v1',
  model: `${id}-model`,
  apiKeyEnv: null,
  contextLength: null,
  ...over,
});
const cloud = provider('openai', { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1-mini' });
const claude = provider('claude', { kind: 'anthropic', baseUrl: 'https://api.anthropic.com', model: 'claude-sonnet-4-5' });
const config = (over: Partial<LlmConfig> = {}): LlmConfig => ({ ...DEFAULT_LLM_CONFIG, providers: [provider('lmstudio'), cloud, claude], ...over });
const route = (strategy: RoleRoute['strategy'], ...targets: Array<[string, string | null, number?]>): RoleRoute => ({
  strategy,
  targets: targets.map(([p, model, weight]) => ({ provider: p, model, weight: weight ?? 1 })),
});
const refs = (c: LlmConfig, role: Parameters<typeof routeCandidates>[0] = 'plan', turn = 0, task = 'qwen2.5-coder:7b') =>
  routeCandidates(role, task, { config: c, ollamaDefaultModel: 'llama3.2:3b' }, { turn }).map((x) => x.ref);

describe('routing: strategies', () => {
  const r = route('fallback', ['a', null], ['b', null], ['c', null]);
  it('fallback keeps the configured order', () => {
    expect(orderTargets(r, 5).map((t) => t.provider)).toEqual(['a', 'b', 'c']);
  });
  it('round-robin starts one further per call, the rest following as fallbacks', () => {
    const rr = { ...r, strategy: 'round-robin' as const };
    expect([0, 1, 2, 3].map((turn) => orderTargets(rr, turn)[0].provider)).toEqual(['a', 'b', 'c', 'a']);
    expect(orderTargets(rr, 1).map((t) => t.provider)).toEqual(['b', 'c', 'a']);
  });
  it('weighted draws the start by weight', () => {
    const w = route('weighted', ['a', null, 3], ['b', null, 1]);
    expect(orderTargets(w, 0, () => 0.1)[0].provider).toBe('a'); // 0.4 of 4 falls in a's 3
    expect(orderTargets(w, 0, () => 0.8)[0].provider).toBe('b'); // 3.2 of 4 falls in b's 1
    const counts = { a: 0, b: 0 };
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 4000; i++) counts[orderTargets(w, 0, rand)[0].provider as 'a' | 'b'] += 1;
    expect(counts.a / counts.b).toBeGreaterThan(2.5);
    expect(counts.a / counts.b).toBeLessThan(3.5);
    // A zero weight is never drawn first.
    expect(orderTargets(route('weighted', ['a', null, 0], ['b', null, 1]), 0, () => 0)[0].provider).toBe('b');
  });
});

describe('routing: candidates for a role', () => {
  it('tries the route, then the task model; Ollama without a model is the task model', () => {
    const c = config({ mode: 'hybrid', routing: { plan: route('fallback', ['lmstudio', null], ['ollama', null]) } });
    expect(refs(c)).toEqual(['@lmstudio/lmstudio-model', 'qwen2.5-coder:7b']);
    // A task on another provider: Ollama's target falls back to the default model.
    expect(refs(c, 'plan', 0, '@lmstudio/x')).toEqual(['@lmstudio/lmstudio-model', 'llama3.2:3b', '@lmstudio/x']);
  });

  it('docs uses its own route, else implement\'s', () => {
    const c = config({ mode: 'hybrid', routing: { implement: route('fallback', ['lmstudio', 'coder']) } });
    expect(refs(c, 'docs')).toEqual(['@lmstudio/coder', 'qwen2.5-coder:7b']);
    const own = config({ mode: 'hybrid', routing: { implement: route('fallback', ['lmstudio', 'coder']), docs: route('fallback', ['ollama', 'writer:3b']) } });
    expect(refs(own, 'docs')).toEqual(['writer:3b', 'qwen2.5-coder:7b']);
  });

  it('leaves cloud targets out while local only is on, naming them in the next reason', () => {
    const c = config({ mode: 'hybrid', routing: { fix: route('fallback', ['openai', null], ['lmstudio', null]) } });
    const out = routeCandidates('fix', 'qwen2.5-coder:7b', { config: c, ollamaDefaultModel: null });
    expect(out.map((x) => x.ref)).toEqual(['@lmstudio/lmstudio-model', 'qwen2.5-coder:7b']);
    expect(out[0].reason).toMatch(/@openai\/gpt-4\.1-mini skipped: it would send your prompt to api\.openai\.com, and "Local only" is on/);
    // Off: the cloud target is first again.
    expect(refs({ ...c, localOnly: false }, 'fix')).toEqual(['@openai/gpt-4.1-mini', '@lmstudio/lmstudio-model', 'qwen2.5-coder:7b']);
  });

  it('mode local keeps cloud providers out even with local only off', () => {
    const c = config({ mode: 'local', localOnly: false, routing: { plan: route('fallback', ['claude', null]) } });
    expect(refs(c)).toEqual(['qwen2.5-coder:7b']);
    expect(refusal('@claude/claude-sonnet-4-5', c)).toMatchObject({ code: 'LOCAL_ONLY', why: expect.stringContaining('the mode is "local"') });
  });

  it('mode openai / claude answers every role with that provider, ignoring routes', () => {
    const c = config({ mode: 'claude', localOnly: false, routing: { plan: route('fallback', ['lmstudio', null]) } });
    expect(refs(c)).toEqual(['@claude/claude-sonnet-4-5', 'qwen2.5-coder:7b']);
    expect(refs({ ...c, mode: 'openai' }, 'review')).toEqual(['@openai/gpt-4.1-mini', 'qwen2.5-coder:7b']);
  });

  it('skips disabled and unknown providers; when everything is ruled out the first stays so the call explains', () => {
    const c = config({ mode: 'hybrid', providers: [provider('lmstudio', { enabled: false }), claude], routing: { plan: route('fallback', ['lmstudio', null]) } });
    expect(refs(c)).toEqual(['qwen2.5-coder:7b']);
    // Only a cloud model, local only on: kept, so the call fails with LOCAL_ONLY rather than switching silently.
    expect(refs(c, 'chat', 0, '@claude/claude-sonnet-4-5')).toEqual(['@claude/claude-sonnet-4-5']);
    expect(refusal('@nope/x', c)).toMatchObject({ code: 'PROVIDER_NOT_FOUND', why: expect.stringContaining('configured: ollama, lmstudio, claude') });
  });

  it('PROVIDER= puts that provider alone, by id or by kind', () => {
    const c = config({ mode: 'hybrid', localOnly: false, routing: { plan: route('fallback', ['lmstudio', null]) } });
    expect(routeCandidates('plan', 't', { config: c, ollamaDefaultModel: null }, { override: 'anthropic' })).toEqual([{ ref: '@claude/claude-sonnet-4-5', reason: 'PROVIDER=anthropic' }]);
    expect(overrideProvider('claude', c)).toEqual({ id: 'claude', model: 'claude-sonnet-4-5' });
    expect(overrideProvider('openai', c)).toEqual({ id: 'openai', model: 'gpt-4.1-mini' });
    expect(routeCandidates('fix', 'qwen:7b', { config: c, ollamaDefaultModel: null }, { override: 'ollama' }).map((x) => x.ref)).toEqual(['qwen:7b']);
    expect(overrideProvider('mistral', c)).toBeNull();
  });

  it('round-robin routes rotate per call of the role', () => {
    const c = config({ mode: 'hybrid', routing: { implement: route('round-robin', ['lmstudio', 'a'], ['lmstudio', 'b']) } });
    expect([0, 1, 2].map((turn) => refs(c, 'implement', turn)[0])).toEqual(['@lmstudio/a', '@lmstudio/b', '@lmstudio/a']);
  });
});
