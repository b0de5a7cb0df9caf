// Settings → Providers and the provider views of the renderer (issue 17): presets, a card's
// draft checked with the contract's schema, the engine's field errors sorted to their card,
// routes cleaned for providers.update, the key line (masked only), CONFIG_INVALID's line:col,
// the picker's cloud models disabled while Local only is on, and "unknown" memory fit.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LlmConfigView, ProviderModel, ProviderStatus, ProviderView } from '../../shared/index.js';
import { ClientError } from '../../renderer/src/client/index.js';
import { cleanRouting, configFromDraft, draftFromPreset, draftOf, fieldsForProvider, PROVIDER_PRESETS, storedProviders } from '../../renderer/src/lib/provider-drafts.js';
import { localOnlyBlock, providerOfRef, providersStore } from '../../renderer/src/store/providers.js';
import { keySourceLine } from '../../renderer/src/components/ProviderKeyField.js';
import { importErrorLines } from '../../renderer/src/components/ProvidersYaml.js';
import { providerStatusTitle } from '../../renderer/src/components/ProviderStatusItems.js';
import { ProviderModelOptions } from '../../renderer/src/components/ProviderModelOptions.js';
import { FIT_UNKNOWN, ProviderModelsSection } from '../../renderer/src/components/ProviderModelsSection.js';
import { ProviderKeyField } from '../../renderer/src/components/ProviderKeyField.js';

const OLLAMA: ProviderView = {
  id: 'ollama', kind: 'ollama', label: 'Ollama', enabled: true, baseUrl: 'http://127.0.0.1:11434', model: null, apiKeyEnv: null,
  contextLength: null, keySource: null, keyHint: null, leavesMachine: false,
};
const LMSTUDIO: ProviderView = { ...OLLAMA, id: 'lmstudio', kind: 'openai', label: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' };
const OPENAI: ProviderView = {
  ...OLLAMA, id: 'openai', kind: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY',
  keySource: 'file', keyHint: '••••••••3xQz', leavesMachine: true,
};

function view(over: Partial<LlmConfigView> = {}): LlmConfigView {
  return { mode: 'hybrid', localOnly: true, providers: [OLLAMA, LMSTUDIO, OPENAI], routing: {}, keyStore: { backend: 'file', plaintext: true, consented: false }, ...over };
}

function model(provider: string, name: string, over: Partial<ProviderModel> = {}): ProviderModel {
  return { ref: `@${provider}/${name}`, provider, name, contextLength: 32768, contextSource: 'server', loadedContextLength: null, leavesMachine: false, fit: 'unknown', ...over };
}

describe('presets and drafts', () => {
  it('offers the documented base URLs', () => {
    const urls = Object.fromEntries(PROVIDER_PRESETS.map((p) => [p.key, p.baseUrl]));
    expect(urls).toMatchObject({
      lmstudio: 'http://127.0.0.1:1234/v1',
      'llama-server': 'http://127.0.0.1:8080/v1',
      vllm: 'http://127.0.0.1:8000/v1',
      openrouter: 'https://openrouter.ai/api/v1',
      openai: 'https://api.openai.com/v1',
      anthropic: 'https://api.anthropic.com',
    });
    expect(PROVIDER_PRESETS.find((p) => p.key === 'anthropic')?.kind).toBe('anthropic');
  });

  it('gives a preset a free id', () => {
    const lm = PROVIDER_PRESETS.find((p) => p.key === 'lmstudio')!;
    expect(draftFromPreset(lm, []).id).toBe('lmstudio');
    expect(draftFromPreset(lm, ['lmstudio', 'lmstudio-2']).id).toBe('lmstudio-3');
  });

  it('checks a draft with the contract schema and says which field is wrong', () => {
    const d = { ...draftOf(LMSTUDIO), baseUrl: 'not a url', contextLength: '12k', apiKeyEnv: 'MY KEY' };
    const out = configFromDraft(d, []);
    expect('fields' in out && out.fields.map((f) => f.field).sort()).toEqual(['apiKeyEnv', 'baseUrl', 'contextLength']);
    const ok = configFromDraft({ ...draftOf(LMSTUDIO), contextLength: '65536', model: ' qwen ' }, []);
    expect(ok).toEqual({ config: { id: 'lmstudio', kind: 'openai', label: 'LM Studio', enabled: true, baseUrl: 'http://127.0.0.1:1234/v1', model: 'qwen', apiKeyEnv: null, contextLength: 65536 } });
    expect('fields' in configFromDraft(draftOf(LMSTUDIO), ['lmstudio'])).toBe(true);
  });

  it('sends the stored list without Ollama and without view-only fields', () => {
    const list = storedProviders(view());
    expect(list.map((p) => p.id)).toEqual(['lmstudio', 'openai']);
    expect(Object.keys(list[1]).sort()).toEqual(['apiKeyEnv', 'baseUrl', 'contextLength', 'enabled', 'id', 'kind', 'label', 'model']);
  });

  it("sorts the engine's field errors to the card they name, in any path spelling", () => {
    const fields = [
      { field: 'providers[1].baseUrl', message: 'bad url' },
      { field: 'providers.1.contextLength', message: 'too small' },
      { field: 'providers.0.id', message: 'other card' },
    ];
    expect(fieldsForProvider(fields, 1)).toEqual([
      { field: 'baseUrl', message: 'bad url' },
      { field: 'contextLength', message: 'too small' },
    ]);
  });

  it('drops roles without targets from the routes sent', () => {
    expect(cleanRouting({ plan: { strategy: 'fallback', targets: [] }, fix: { strategy: 'weighted', targets: [{ provider: 'lmstudio', model: null, weight: 2 }] } })).toEqual({
      fix: { strategy: 'weighted', targets: [{ provider: 'lmstudio', model: null, weight: 2 }] },
    });
  });
});

describe('texts', () => {
  it('describes a key by where it lives and its masked hint only', () => {
    expect(keySourceLine(OPENAI)).toBe('Key ••••••••3xQz in a 0600 file in the data directory (plain text).');
    expect(keySourceLine({ ...OPENAI, keySource: 'env', keyHint: '••••••••abcd' })).toBe('Key ••••••••abcd from $OPENAI_API_KEY.');
    expect(keySourceLine({ ...OPENAI, keySource: null, keyHint: null })).toMatch(/set OPENAI_API_KEY/);
  });

  it("shows CONFIG_INVALID's line:col and fields", () => {
    const lines = importErrorLines(new ClientError('CONFIG_INVALID', 'bad indentation', { line: 3, col: 7, fields: [{ path: ['llm', 'mode'], message: 'one of local, openai, claude, hybrid' }] }));
    expect(lines[0]).toBe('Not imported (line 3, column 7): bad indentation');
    expect(lines).toContain('llm.mode: one of local, openai, claude, hybrid');
    // The engine's own message already says where and what: not said twice.
    const again = importErrorLines(
      new ClientError('CONFIG_INVALID', '3:7: YAML syntax error: Nested mappings are not allowed', { line: 3, col: 7, fields: [{ path: '3:7', message: 'Nested mappings are not allowed' }] }),
    );
    expect(again).toEqual(['Not imported: line 3, column 7: YAML syntax error: Nested mappings are not allowed']);
  });

  it('puts the error of an unreachable provider in its tooltip and marks a cloud one', () => {
    const s: ProviderStatus = {
      id: 'openai', kind: 'openai', label: 'OpenAI', host: 'api.openai.com', enabled: true, leavesMachine: true, reachable: false, version: null,
      error: { code: 'PROVIDER_AUTH', message: 'The key was refused (401)' }, checkedAt: 0,
    };
    const t = providerStatusTitle(s);
    expect(t).toContain('The key was refused (401)');
    expect(t).toContain('leave this machine');
  });

  it('knows which refs name a cloud provider and when Local only blocks them', () => {
    expect(providerOfRef(view(), '@openai/gpt-4.1')?.leavesMachine).toBe(true);
    expect(providerOfRef(view(), 'qwen2.5-coder:7b')).toBeNull();
    expect(localOnlyBlock(true, true)).toMatch(/Local only is on — turn it off in Settings → Providers/);
    expect(localOnlyBlock(true, false)).toBeNull();
    expect(localOnlyBlock(false, true)).toBeNull();
    // Mode local refuses a cloud model too (the engine says so only after Send otherwise).
    expect(localOnlyBlock(false, true, 'local')).toMatch(/mode is Local/);
    expect(localOnlyBlock(false, false, 'local')).toBeNull();
  });
});

describe('rendered', () => {
  beforeEach(() => {
    providersStore.setState({
      state: 'ready',
      config: view(),
      models: { lmstudio: [model('lmstudio', 'qwen-7b', { loadedContextLength: 8192 })], openai: [model('openai', 'gpt-4.1', { leavesMachine: true, contextLength: null, contextSource: null })] },
    });
  });

  it('groups the picker by provider, badges cloud models and disables them while Local only is on', () => {
    const html = renderToStaticMarkup(createElement('select', null, createElement(ProviderModelOptions)));
    expect(html).toMatch(/<optgroup label="LM Studio \(1\)"/);
    expect(html).toMatch(/<optgroup label="OpenAI — leaves this machine \(1\)"/);
    expect(html).toMatch(/<option value="@openai\/gpt-4.1" disabled=""/);
    expect(html).toContain('Local only is on — turn it off in Settings → Providers');
    expect(html).not.toMatch(/<option value="@lmstudio\/qwen-7b" disabled/);
    providersStore.setState({ config: view({ localOnly: false }) });
    expect(renderToStaticMarkup(createElement('select', null, createElement(ProviderModelOptions)))).not.toMatch(/disabled/);
    providersStore.setState({ config: view({ localOnly: false, mode: 'local' }) });
    expect(renderToStaticMarkup(createElement('select', null, createElement(ProviderModelOptions)))).toMatch(/<option value="@openai\/gpt-4.1" disabled=""/);
  });

  it('says memory fit is unknown on the Models screen rather than guessing, with the context and its source', () => {
    const html = renderToStaticMarkup(createElement(ProviderModelsSection));
    // The local server's model: unknown; the cloud one runs at the provider (this machine's memory does not matter).
    expect(html.split(FIT_UNKNOWN).length - 1).toBe(1);
    expect(html).toContain('runs at the provider, not here');
    expect(html).toContain('32,768 (loaded with 8,192)');
    expect(html).toContain('not reported');
  });

  it('renders a key field with the hint, an empty password input, and no key', () => {
    const html = renderToStaticMarkup(createElement(ProviderKeyField, { provider: OPENAI }));
    expect(html).toMatch(/type="password"[^>]*value=""/);
    expect(html).toContain('••••••••3xQz');
  });
});

describe('provider error codes', () => {
  it("shows the engine's sentence for provider errors, not 'something went wrong inside the engine'", async () => {
    const { errorLine } = await import('../../renderer/src/lib/error-text.js');
    const line = errorLine(new ClientError('PROVIDER_UNREACHABLE', 'Provider "lmstudio" at http://127.0.0.1:1234/v1 is not reachable: is its server running?'));
    expect(line).toBe('Provider "lmstudio" at http://127.0.0.1:1234/v1 is not reachable: is its server running?');
    expect(errorLine(new ClientError('LOCAL_ONLY', 'Local only is on: "openai" would send the prompt off this machine.'))).not.toMatch(/inside the engine/);
  });
});

describe('leaves-this-machine badges on what ran', () => {
  beforeEach(() => providersStore.setState({ state: 'ready', config: view() }));

  it('marks a step whose calls left the machine, naming the provider and its host', async () => {
    const { StepLeavesBadge, TaskLeavesBadge } = await import('../../renderer/src/components/ProviderUsageBadges.js');
    const html = renderToStaticMarkup(createElement(StepLeavesBadge, { usage: { leftMachine: true, providers: ['openai'] } }));
    // Compact ("cloud"): the answer's head carries the full badge; the sentence is in its title and label.
    expect(html).toContain('leaves-badge-compact');
    expect(html).toMatch(/<\/svg>cloud<\/span>$/);
    expect(html).toContain('Prompts were sent off this machine to OpenAI at api.openai.com.');
    expect(renderToStaticMarkup(createElement(StepLeavesBadge, { usage: { leftMachine: false, providers: ['lmstudio'] } }))).toBe('');
    // A task: by its usage, or by its model ref's provider even before it ran.
    expect(renderToStaticMarkup(createElement(TaskLeavesBadge, { model: '@openai/gpt-4.1', leftMachine: false, provider: null }))).toContain('data-testid="task-leaves-badge"');
    expect(renderToStaticMarkup(createElement(TaskLeavesBadge, { model: '@lmstudio/qwen', leftMachine: false, provider: null }))).toBe('');
    expect(renderToStaticMarkup(createElement(TaskLeavesBadge, { model: 'qwen2.5-coder:7b', leftMachine: true, provider: 'openai' }))).toContain('were sent off this machine to OpenAI');
  });

  it("the empty state no longer says 'Nothing leaves this machine' when the picked model is a cloud one", async () => {
    const { PromptDestination } = await import('../../renderer/src/components/ProviderUsageBadges.js');
    expect(renderToStaticMarkup(createElement(PromptDestination, { model: 'qwen2.5-coder:7b' }))).toBe('Nothing leaves this machine.');
    expect(renderToStaticMarkup(createElement(PromptDestination, { model: '@lmstudio/qwen' }))).toBe('Nothing leaves this machine.');
    expect(renderToStaticMarkup(createElement(PromptDestination, { model: '@openai/gpt-4.1' }))).toContain('Prompts go to OpenAI at api.openai.com: they leave this machine.');
  });
});

describe('status changes', () => {
  it('names the providers that became reachable (their models are listed again)', async () => {
    const { cameBack } = await import('../../renderer/src/store/providers.js');
    const s = (id: string, reachable: boolean): ProviderStatus => ({ id, kind: 'openai', label: id, host: 'h', enabled: true, leavesMachine: false, reachable, version: null, error: null, checkedAt: 0 });
    expect(cameBack([s('lmstudio', false), s('vllm', true)], [s('lmstudio', true), s('vllm', true), s('ollama', true), s('new', true)]).map((x) => x.id)).toEqual(['lmstudio', 'new']);
  });
});

describe('formatCtx: context sizes as servers report them', () => {
  it('shows binary and decimal millions as M, never "1000k"', async () => {
    const { formatCtx } = await import('../../renderer/src/lib/fit.js');
    expect(formatCtx(1_048_576)).toBe('1M');
    expect(formatCtx(1_000_000)).toBe('1M');
    expect(formatCtx(2_000_000)).toBe('2M');
    expect(formatCtx(131_072)).toBe('128k');
    expect(formatCtx(200_000)).toBe('200k');
  });
});
