// Rough edges of the providers screens found in screenshots (test/e2e/screenshots/providers-tour-*):
// a key pasted as the variable name, a routed provider's removal, the unreachable tooltip said
// twice, a "not checked" cloud provider shown red on the Models screen, and "memory unknown" for a
// cloud model.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LlmConfigView, ProviderModel, ProviderStatus, ProviderView } from '../../shared/index.js';
import { configFromDraft, draftFromPreset, KEY_IN_ENV_FIELD, looksLikeKey, PROVIDER_PRESETS, removalBlockedText, rolesRoutedTo } from '../../renderer/src/lib/provider-drafts.js';
import { providersStore } from '../../renderer/src/store/providers.js';
import { ProviderStatusLine, providerStatusTitle, statusDotClass } from '../../renderer/src/components/ProviderStatusItems.js';
import { withLineWords } from '../../renderer/src/components/ProvidersYaml.js';
import { ProvidersPanel } from '../../renderer/src/components/ProvidersPanel.js';
import { FIT_CLOUD, FIT_UNKNOWN, ProviderModelsSection } from '../../renderer/src/components/ProviderModelsSection.js';

const OLLAMA: ProviderView = {
  id: 'ollama', kind: 'ollama', label: 'Ollama', enabled: true, baseUrl: 'http://127.0.0.1:11434', model: null, apiKeyEnv: null,
  contextLength: null, keySource: null, keyHint: null, leavesMachine: false,
};
const LLAMA: ProviderView = { ...OLLAMA, id: 'llama-server', kind: 'openai', label: 'llama-server', baseUrl: 'http://127.0.0.1:8080/v1' };
const CLAUDE: ProviderView = { ...OLLAMA, id: 'anthropic', kind: 'anthropic', label: 'Anthropic', baseUrl: 'https://api.anthropic.com', apiKeyEnv: 'ANTHROPIC_API_KEY', leavesMachine: true };

function status(over: Partial<ProviderStatus>): ProviderStatus {
  return { id: 'llama-server', kind: 'openai', label: 'llama-server', host: 'http://127.0.0.1:8080/v1', enabled: true, leavesMachine: false, reachable: false, version: null, error: null, checkedAt: 0, ...over };
}

describe('a key pasted into "Key variable (api_key_env)"', () => {
  const preset = PROVIDER_PRESETS.find((p) => p.key === 'lmstudio')!;
  it.each(['sk-proj-AbC123dEf456GhI789', 'sk-ant-api03-xyz0123456789', 'gsk_0a1b2c3d4e5f6a7b8c9d', 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0'])('%s is said to be a key and where it goes', (key) => {
    expect(looksLikeKey(key)).toBe(true);
    const checked = configFromDraft({ ...draftFromPreset(preset, []), apiKeyEnv: key }, []);
    expect('fields' in checked && checked.fields).toEqual([{ field: 'apiKeyEnv', message: KEY_IN_ENV_FIELD }]);
    expect(KEY_IN_ENV_FIELD).toMatch(/“API key”/);
    expect(KEY_IN_ENV_FIELD).not.toContain(key);
  });
  it.each(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENROUTER_API_KEY', 'groq_key', 'MY_LLM_KEY_2', 'AZURE_OPENAI_API_KEY_2024'])('%s is a variable name', (name) => {
    expect(looksLikeKey(name)).toBe(false);
    expect('config' in configFromDraft({ ...draftFromPreset(preset, []), apiKeyEnv: name }, [])).toBe(true);
  });
});

describe('removing a provider a route uses', () => {
  it('names the routes to change first, in words', () => {
    const routing: LlmConfigView['routing'] = {
      plan: { strategy: 'fallback', targets: [{ provider: 'ollama', model: null, weight: 1 }] },
      implement: { strategy: 'weighted', targets: [{ provider: 'llama-server', model: null, weight: 3 }, { provider: 'anthropic', model: null, weight: 1 }] },
      review: { strategy: 'fallback', targets: [{ provider: 'anthropic', model: null, weight: 1 }] },
    };
    expect(rolesRoutedTo(routing, 'anthropic')).toEqual(['implement', 'review']);
    expect(rolesRoutedTo(routing, 'lmstudio')).toEqual([]);
    expect(removalBlockedText('Anthropic', ['implement', 'review'])).toBe(
      'Anthropic is still in the implement and review routes: take it out under “Routing per role” below and save the routing, then remove the provider.',
    );
    expect(removalBlockedText('Anthropic', ['implement'])).toMatch(/^Anthropic is still in the implement route:/);
  });
});

describe('status words', () => {
  it("does not say the provider and its URL twice, nor end with '?.'", () => {
    const msg = 'Provider "llama-server" at http://127.0.0.1:8080/v1 is not reachable (ECONNREFUSED): is its server running?';
    const t = providerStatusTitle(status({ error: { code: 'PROVIDER_UNREACHABLE', message: msg } }));
    expect(t).toBe(msg);
    expect(t.split('127.0.0.1:8080').length - 1).toBe(1);
  });
  it('keeps the name and host when the message has neither', () => {
    const t = providerStatusTitle(status({ error: { code: 'PROVIDER_AUTH', message: 'The key was refused (401)' } }));
    expect(t).toBe('llama-server at http://127.0.0.1:8080/v1 is not reachable: The key was refused (401).');
  });
  it('a provider Local only keeps from being asked is grey everywhere, not red', () => {
    expect(statusDotClass(status({ error: { code: 'LOCAL_ONLY', message: 'Not checked' }, leavesMachine: true }))).toBe('dot-grey');
    expect(statusDotClass(status({ error: { code: 'PROVIDER_UNREACHABLE', message: 'down' } }))).toBe('dot-red');
    expect(statusDotClass(status({ reachable: true }))).toBe('dot-green');
  });
});

describe('Models screen', () => {
  const m = (provider: string, name: string, leavesMachine: boolean): ProviderModel => ({
    provider, name, ref: `@${provider}/${name}`, contextLength: null, loadedContextLength: null, contextSource: null, leavesMachine, fit: 'unknown',
  } as ProviderModel);
  it('a cloud model runs at the provider (no memory guess), and an unchecked provider is grey with the reason', () => {
    providersStore.setState({
      state: 'ready',
      config: { mode: 'hybrid', localOnly: true, providers: [OLLAMA, LLAMA, CLAUDE], routing: {}, keyStore: { backend: 'file', plaintext: true, consented: true } },
      statuses: [status({ reachable: true }), status({ id: 'anthropic', kind: 'anthropic', label: 'Anthropic', leavesMachine: true, error: { code: 'LOCAL_ONLY', message: 'Not checked: "Local only" is on.' } })],
      models: { 'llama-server': [m('llama-server', 'qwen', false)], anthropic: [m('anthropic', 'claude-haiku-4-5', true)] },
    });
    const html = renderToStaticMarkup(createElement(ProviderModelsSection));
    expect(html.split(FIT_UNKNOWN).length - 1).toBe(1);
    expect(html.split(FIT_CLOUD).length - 1).toBe(1);
    const claude = html.slice(html.indexOf('data-provider="anthropic"'));
    expect(claude).toMatch(/class="dot dot-grey"/);
    expect(claude).not.toMatch(/dot-red/);
    expect(claude).toContain('Not asked for its models while “Local only” is on');
  });
});

describe('small words', () => {
  it("a YAML error's position reads as line and column, not a bare 4:1", () => {
    expect(withLineWords('4:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented')).toBe(
      'line 4, column 1: YAML syntax error: Flow sequence in block collection must be sufficiently indented',
    );
    expect(withLineWords('providers.0.base_url: not a URL')).toBe('providers.0.base_url: not a URL');
  });
  it("a card says in words why its server does not answer (not only a red dot)", () => {
    const msg = 'Provider "llama-server" at http://127.0.0.1:8080/v1 is not reachable (ECONNREFUSED): is its server running?';
    providersStore.setState({ statuses: [status({ error: { code: 'PROVIDER_UNREACHABLE', message: msg } }), status({ id: 'lm', reachable: true }), status({ id: 'anthropic', error: { code: 'LOCAL_ONLY', message: 'x' } })] });
    expect(renderToStaticMarkup(createElement(ProviderStatusLine, { id: 'llama-server' }))).toContain(msg.replace(/"/g, '&quot;'));
    expect(renderToStaticMarkup(createElement(ProviderStatusLine, { id: 'lm' }))).toBe('');
    expect(renderToStaticMarkup(createElement(ProviderStatusLine, { id: 'anthropic' }))).toContain('Not checked while “Local only” is on.');
  });
});

describe('Settings → Providers with Ollama alone', () => {
  it('says what to add (a server here or a cloud API), not just a row of buttons', () => {
    providersStore.setState({ state: 'ready', config: { mode: 'local', localOnly: true, providers: [OLLAMA], routing: {}, keyStore: { backend: 'file', plaintext: true, consented: false } }, statuses: [] });
    const html = renderToStaticMarkup(createElement(ProvidersPanel));
    expect(html).toContain('data-testid="providers-empty"');
    expect(html).toContain('Only Ollama so far.');
    providersStore.setState({ config: { mode: 'local', localOnly: true, providers: [OLLAMA, LLAMA], routing: {}, keyStore: { backend: 'file', plaintext: true, consented: false } } });
    expect(renderToStaticMarkup(createElement(ProvidersPanel))).not.toContain('providers-empty');
  });
});
