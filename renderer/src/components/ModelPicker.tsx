import type { CatalogModel, FitVerdict, ModelInfo } from '../../../shared/index.js';
import { useApp } from '../store/app-state.js';
import { pickerModels } from '../store/catalog.js';
import { selectModel } from '../store/engine.js';
import { fitTitle, groupLabel, hasUsableGpu, sameHost, VERDICT_ORDER, verdictBadge } from '../lib/fit.js';
import { formatBytes } from '../lib/format.js';
import { ModelOption } from './ModelOption.js';
import { ProviderModelOptions } from './ProviderModelOptions.js';
import { LeavesMachineBadge } from './LeavesMachineBadge.js';
import { hostOf, useProviders } from '../store/providers.js';
import { parseModelRef, type ProviderModel } from '../../../shared/index.js';

function plainLabel(m: ModelInfo): string {
  return [m.name, m.parameterSize, m.quantizationLevel].filter(Boolean).join(' · ');
}

function byVerdict(models: CatalogModel[]): [FitVerdict, CatalogModel[]][] {
  return VERDICT_ORDER.map((v): [FitVerdict, CatalogModel[]] => [v, models.filter((m) => m.fit.verdict === v)]).filter(([, ms]) => ms.length > 0);
}

export function ModelPicker() {
  const models = useApp((s) => s.models);
  const catalog = useApp((s) => s.catalog);
  const defaultHost = useApp((s) => s.settings?.ollamaHost ?? s.catalog?.hosts[0]?.host ?? null);
  const selected = useApp((s) => s.selectedModel);
  const modelsState = useApp((s) => s.modelsState);
  const reachable = useApp((s) => s.ollama?.reachable ?? null);

  const rich = catalog ? pickerModels(catalog, defaultHost) : null;
  const otherModels = useProviders((s) => s.models);
  const providerViews = useProviders((s) => s.config?.providers);
  const selectedOther: ProviderModel | undefined = selected ? otherModels[parseModelRef(selected).provider]?.find((m) => m.ref === selected) : undefined;
  const selectedProvider = selectedOther ? providerViews?.find((p) => p.id === selectedOther.provider) : undefined;
  const otherCount = Object.values(otherModels).reduce((n, ms) => n + ms.length, 0);
  const known = selected !== null && (models.some((m) => m.name === selected) || selectedOther !== undefined);
  const empty = modelsState === 'ready' && models.length === 0;
  const current = rich?.find((m) => m.name === selected);
  const plain = models.find((m) => m.name === selected);
  const title = selectedOther
    ? `${selectedOther.name} on ${selectedProvider?.label || selectedOther.provider}${selectedOther.leavesMachine ? ' — prompts leave this machine' : ''}`
    : current ? `${current.name}\n${fitTitle(current)}` : plain ? `${plainLabel(plain)} — ${formatBytes(plain.size)}` : 'Model';
  const hasGpu = hasUsableGpu(catalog?.hardware);
  const placeholder =
    modelsState === 'loading' || modelsState === 'idle'
      ? 'Loading models…'
      : reachable === false
        ? 'Ollama not reachable'
        : empty
          ? 'No models installed — open Models to pull one'
          : 'Pick a model';

  return (
    <label className="model-picker" title={title}>
      <span className="model-picker-label">Model</span>
      <select
        data-testid="model-picker"
        data-verdict={current?.fit.verdict}
        value={selected ?? ''}
        disabled={models.length === 0 && otherCount === 0 && !selected}
        onChange={(e) => void selectModel(e.target.value)}
      >
        {/* The closed picker (customizable select) renders this, kept in sync by React. */}
        <button type="button" className="model-picker-button">
          {selected ? (
            <span className="mo-line">
              <span className="mo-name">{selected}</span>
              {selectedOther ? (
                selectedOther.leavesMachine && (
                  <LeavesMachineBadge compact providers={[selectedProvider?.label || selectedOther.provider]} hosts={selectedProvider ? [hostOf(selectedProvider.baseUrl)] : []} testId="picker-leaves-badge" />
                )
              ) : current ? (
                <span className={`verdict verdict-${current.fit.verdict}`}>{verdictBadge(current.fit.verdict, current.fit.gpuLayersPercent)}</span>
              ) : (
                !known && <span className="mo-missing">not available</span>
              )}
            </span>
          ) : (
            <span className="mo-placeholder">{placeholder}</span>
          )}
        </button>
        {!selected && (
          <option value="" disabled>
            {placeholder}
          </option>
        )}
        {selected && !known && <option value={selected}>{selected} (not available)</option>}
        {rich
          ? byVerdict(rich).map(([verdict, group]) => (
              <optgroup key={verdict} label={`${otherCount > 0 ? 'Ollama · ' : ''}${groupLabel(verdict, group, hasGpu)}`} data-verdict={verdict}>
                {group.map((m) => (
                  <ModelOption key={m.name} model={m} recommended={m.name === catalog?.recommended} host={sameHost(m.host, defaultHost) ? null : m.host} />
                ))}
              </optgroup>
            ))
          : models.map((m) => (
              <option key={m.name} value={m.name}>
                {plainLabel(m)}
              </option>
            ))}
        <ProviderModelOptions />
      </select>
    </label>
  );
}
