import type { ModelInfo } from '../../../shared/index.js';
import { useApp } from '../store/app-state.js';
import { selectModel } from '../store/engine.js';
import { formatBytes } from '../lib/format.js';

function label(m: ModelInfo): string {
  const parts = [m.name];
  if (m.parameterSize) parts.push(m.parameterSize);
  if (m.quantizationLevel) parts.push(m.quantizationLevel);
  return parts.join(' · ');
}

export function ModelPicker() {
  const models = useApp((s) => s.models);
  const selected = useApp((s) => s.selectedModel);
  const modelsState = useApp((s) => s.modelsState);
  const reachable = useApp((s) => s.ollama?.reachable ?? null);

  const known = selected !== null && models.some((m) => m.name === selected);
  const empty = modelsState === 'ready' && models.length === 0;
  const current = models.find((m) => m.name === selected);

  return (
    <label className="model-picker" title={current ? `${label(current)} — ${formatBytes(current.size)}` : 'Model'}>
      <span className="model-picker-label">Model</span>
      <select
        data-testid="model-picker"
        value={selected ?? ''}
        disabled={models.length === 0 && !selected}
        onChange={(e) => void selectModel(e.target.value)}
      >
        {!selected && (
          <option value="" disabled>
            {modelsState === 'loading'
              ? 'Loading models…'
              : reachable === false
                ? 'Ollama not reachable'
                : empty
                  ? 'No models installed — run `ollama pull`'
                  : 'Pick a model'}
          </option>
        )}
        {selected && !known && <option value={selected}>{selected} (not available)</option>}
        {models.map((m) => (
          <option key={m.name} value={m.name}>
            {label(m)}
          </option>
        ))}
      </select>
    </label>
  );
}
