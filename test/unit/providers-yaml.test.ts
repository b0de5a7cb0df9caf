import { describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/index.js';
import { exportLlmYaml, parseLlmYaml } from '../../electron/core/providers/index.js';

// Software Maker's example, as the issue gives it.
const SOFTWARE_MAKER = `llm:
  mode: hybrid            # local | openai | claude | hybrid
  local_only: true
  providers:
    ollama:   { enabled: true, base_url: http://127.0.0.1:11434, model: qwen2.5-coder:7b }
    lmstudio: { kind: openai, enabled: true, base_url: http://127.0.0.1:1234/v1, model: qwen2.5-coder-7b-instruct, context_length: 32768 }
    openai:   { enabled: false, base_url: https://api.openai.com/v1, model: gpt-4.1-mini, api_key_env: OPENAI_API_KEY }
    claude:   { enabled: false, model: claude-sonnet-4-5, api_key_env: ANTHROPIC_API_KEY }
  routing:
    strategy: fallback    # default for roles that give none
    plan: [lmstudio, ollama]                 # plain list = targets; "provider" or "provider/model"
    fix: { strategy: weighted, targets: [{ provider: lmstudio, weight: 3 }, { provider: ollama, model: qwen2.5-coder:14b, weight: 1 }] }
`;

function refusal(text: string): MacsError {
  try {
    parseLlmYaml(text);
  } catch (err) {
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('CONFIG_INVALID');
    return err as MacsError;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('Software Maker YAML import', () => {
  it('reads the example: kinds and addresses inferred from names, Ollama to settings, routes', () => {
    const { config, ollama } = parseLlmYaml(SOFTWARE_MAKER);
    expect(ollama).toEqual({ host: 'http://127.0.0.1:11434', model: 'qwen2.5-coder:7b' });
    expect(config.mode).toBe('hybrid');
    expect(config.localOnly).toBe(true);
    expect(config.providers).toEqual([
      { id: 'lmstudio', kind: 'openai', label: '', enabled: true, baseUrl: 'http://127.0.0.1:1234/v1', model: 'qwen2.5-coder-7b-instruct', apiKeyEnv: null, contextLength: 32768 },
      { id: 'openai', kind: 'openai', label: '', enabled: false, baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1-mini', apiKeyEnv: 'OPENAI_API_KEY', contextLength: null },
      { id: 'claude', kind: 'anthropic', label: '', enabled: false, baseUrl: 'https://api.anthropic.com', model: 'claude-sonnet-4-5', apiKeyEnv: 'ANTHROPIC_API_KEY', contextLength: null },
    ]);
    expect(config.routing).toEqual({
      plan: { strategy: 'fallback', targets: [{ provider: 'lmstudio', model: null, weight: 1 }, { provider: 'ollama', model: null, weight: 1 }] },
      fix: { strategy: 'weighted', targets: [{ provider: 'lmstudio', model: null, weight: 3 }, { provider: 'ollama', model: 'qwen2.5-coder:14b', weight: 1 }] },
    });
  });

  it('accepts a document without the llm: wrapper, default addresses for well-known names, and "provider/model" targets', () => {
    const { config, ollama } = parseLlmYaml('mode: local\nproviders:\n  llamacpp: {}\n  vllm: { model: Qwen/Qwen2.5-Coder-7B }\n  openrouter: { model: "qwen/qwen3-coder:free", enabled: false }\nrouting:\n  strategy: round-robin\n  review: [vllm, "openrouter/qwen/qwen3-coder:free"]\n');
    expect(ollama).toEqual({});
    expect(config.providers.map((p) => [p.id, p.kind, p.baseUrl])).toEqual([
      ['llamacpp', 'openai', 'http://127.0.0.1:8080/v1'],
      ['vllm', 'openai', 'http://127.0.0.1:8000/v1'],
      ['openrouter', 'openai', 'https://openrouter.ai/api/v1'],
    ]);
    expect(config.routing.review).toEqual({ strategy: 'round-robin', targets: [{ provider: 'vllm', model: null, weight: 1 }, { provider: 'openrouter', model: 'qwen/qwen3-coder:free', weight: 1 }] });
  });

  it('refuses a key in the file (never stored from a file), naming the field', () => {
    const err = refusal('llm:\n  providers:\n    openai: { enabled: true, api_key: sk-live-123456789 }\n');
    expect(err.message).toContain('put keys in the keychain or an environment variable; api_key_env names it');
    expect(err.details!.fields).toEqual([expect.objectContaining({ path: 'llm.providers.openai.api_key' })]);
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain('sk-live-123456789');
  });

  it('a YAML syntax error says line:col', () => {
    const err = refusal('llm:\n  mode: hybrid\n  providers: { lmstudio: [\n');
    expect(err.message).toMatch(/^\d+:\d+: YAML syntax error/);
    expect(err.details!.line).toBeTypeOf('number');
  });

  it('shape errors name the field in the file’s terms, with its line', () => {
    const bad = refusal('llm:\n  mode: turbo\n  providers:\n    lmstudio: { base_url: not-a-url }\n');
    const paths = (bad.details!.fields as { path: string; message: string }[]).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['llm.mode', 'llm.providers.lmstudio.base_url']));
    expect((bad.details!.fields as { message: string }[])[0].message).toMatch(/\(line 2\)$/);
  });

  it('an unknown name without kind, a route to an unknown provider, mode openai without one, a second "ollama" kind', () => {
    expect((refusal('providers:\n  gpu-box: { base_url: http://gpu-box:9000/v1 }\n').details!.fields as { path: string }[])[0].path).toBe('providers.gpu-box.kind');
    expect(refusal('routing:\n  plan: [lmstudio]\n').details!.fields).toEqual([expect.objectContaining({ path: 'routing.plan.targets.0.provider' })]);
    expect((refusal('llm:\n  mode: openai\n  providers:\n    openai: { enabled: false }\n').details!.fields as { path: string }[])[0].path).toBe('llm.mode');
    expect((refusal('providers:\n  box: { kind: ollama, base_url: http://box:11434 }\n').details!.fields as { path: string }[])[0].path).toBe('providers.box.kind');
    expect((refusal('providers:\n  myserver: { kind: openai }\n').details!.fields as { path: string }[])[0].path).toBe('providers.myserver.base_url');
    expect((refusal('llm:\n  routing:\n    deploy: [ollama]\n').details!.fields as { path: string }[])[0].path).toBe('llm.routing');
  });
});

describe('export', () => {
  it('writes the canonical form, keeps api_key_env and writes no key field', () => {
    const { config } = parseLlmYaml(SOFTWARE_MAKER);
    const text = exportLlmYaml({ config, settings: { ollamaHost: 'http://127.0.0.1:11434', defaultModel: 'qwen2.5-coder:7b' } });
    expect(text).toContain('  mode: hybrid\n');
    expect(text).toContain('    ollama: { enabled: true, base_url: http://127.0.0.1:11434, model: qwen2.5-coder:7b }\n');
    expect(text).toContain('api_key_env: OPENAI_API_KEY');
    expect(text).toContain('    plan: [ lmstudio, ollama ]\n');
    expect(text).not.toMatch(/api_key:/);
  });

  it('round-trips: import(export(x)) is x, Ollama’s address and model included', () => {
    const first = parseLlmYaml(SOFTWARE_MAKER);
    const settings = { ollamaHost: first.ollama.host!, defaultModel: first.ollama.model ?? null };
    const text = exportLlmYaml({ config: first.config, settings });
    const second = parseLlmYaml(text);
    expect(second.config).toEqual(first.config);
    expect(second.ollama).toEqual(first.ollama);
    expect(exportLlmYaml({ config: second.config, settings })).toBe(text);
  });
});
