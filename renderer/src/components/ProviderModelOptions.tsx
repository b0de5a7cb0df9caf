// The model picker's groups for providers beside Ollama: one <optgroup> per enabled provider,
// each model by its ref ("@lmstudio/qwen2.5-coder-7b-instruct"). Cloud models carry the badge
// and, while "Local only" is on, are shown but cannot be picked (the reason is on the option).
import type { LlmMode, ProviderModel, ProviderView } from '../../../shared/index.js';
import { formatCtx } from '../lib/fit.js';
import { hostOf, localOnlyBlock, otherEnabled, useProviders } from '../store/providers.js';

const NO_MODELS: ProviderModel[] = [];

export function providerGroupLabel(p: ProviderView, count: number): string {
  return `${p.label || p.id}${p.leavesMachine ? ' — leaves this machine' : ''} (${count})`;
}

function Group({ provider, localOnly, mode }: { provider: ProviderView; localOnly: boolean; mode: LlmMode }) {
  const models = useProviders((s) => s.models[provider.id] ?? NO_MODELS);
  if (models.length === 0) return null;
  return (
    <optgroup label={providerGroupLabel(provider, models.length)} data-provider={provider.id}>
      {models.map((m) => {
        const blocked = localOnlyBlock(localOnly, m.leavesMachine, mode);
        const title = [
          `${m.name} on ${provider.label || provider.id} (${hostOf(provider.baseUrl)})`,
          m.contextLength ? `context ${m.contextLength.toLocaleString('en-US')} tokens (${m.contextSource === 'override' ? 'your override' : 'as the server reports'})` : 'context size not reported',
          m.leavesMachine ? 'Prompts leave this machine.' : '',
          blocked ?? '',
        ]
          .filter(Boolean)
          .join('\n');
        return (
          <option key={m.ref} value={m.ref} disabled={blocked !== null} title={title} data-provider={provider.id} data-leaves={m.leavesMachine ? 'true' : undefined}>
            <span className="mo-line">
              <span className="mo-name">{m.name}</span>
              {m.contextLength !== null && (
                <span className="mo-badge">
                  <span className="mo-sep"> · </span>
                  {formatCtx(m.contextLength)} ctx
                </span>
              )}
              {m.leavesMachine && (
                <span className="mo-badge leaves-badge">
                  <span className="mo-sep"> · </span>leaves this machine
                </span>
              )}
            </span>
            {blocked && (
              <span className="mo-explain">
                <span className="mo-sep"> — </span>
                {blocked}
              </span>
            )}
          </option>
        );
      })}
    </optgroup>
  );
}

export function ProviderModelOptions() {
  const config = useProviders((s) => s.config);
  if (!config) return null;
  return (
    <>
      {otherEnabled(config).map((p) => (
        <Group key={p.id} provider={p} localOnly={config.localOnly} mode={config.mode} />
      ))}
    </>
  );
}
