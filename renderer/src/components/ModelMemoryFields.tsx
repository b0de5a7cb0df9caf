import type { Settings } from '../../../shared/index.js';

type KvCacheType = Settings['kvCacheType'];

const KV_TYPES: { value: KvCacheType; label: string }[] = [
  { value: 'f16', label: 'f16 (Ollama default)' },
  { value: 'q8_0', label: 'q8_0 (half the memory)' },
  { value: 'q4_0', label: 'q4_0 (a quarter, some quality loss)' },
];

interface Props {
  kvCacheType: KvCacheType;
  flashAttention: boolean;
  onKvCacheType: (v: KvCacheType) => void;
  onFlashAttention: (v: boolean) => void;
}

/** How the Ollama server runs models, so the memory estimates match it. */
export function ModelMemoryFields({ kvCacheType, flashAttention, onKvCacheType, onFlashAttention }: Props) {
  return (
    <fieldset className="field-group" data-testid="settings-memory">
      <legend>Model memory</legend>
      <div className="field-row memory-row">
        <label className="field">
          <span className="field-label">KV cache type</span>
          <select className="field-select" data-testid="settings-kv-cache" value={kvCacheType} onChange={(e) => onKvCacheType(e.target.value as KvCacheType)}>
            {KV_TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-check">
          <input type="checkbox" data-testid="settings-flash-attention" checked={flashAttention} onChange={(e) => onFlashAttention(e.target.checked)} />
          <span>Flash attention</span>
        </label>
      </div>
      <span className="field-help">
        These do not change Ollama: set them to match the server's <code>OLLAMA_KV_CACHE_TYPE</code> and <code>OLLAMA_FLASH_ATTENTION</code> so the fit
        estimates are right.
      </span>
      {kvCacheType !== 'f16' && !flashAttention && (
        <span className="field-warn" data-testid="settings-kv-warning">
          Ollama quantizes the KV cache only with flash attention on; without it the cache stays f16.
        </span>
      )}
    </fieldset>
  );
}
