// The Models screen beside Ollama's catalog: each enabled provider's models with their context
// size and where that figure comes from. Memory fit is shown only where the engine knows the
// memory (fit ≠ "unknown"); elsewhere it says so rather than guessing.
import type { ProviderModel, ProviderView } from '../../../shared/index.js';
import { errorLine } from '../lib/error-text.js';
import { hostOf, loadProviderModels, otherEnabled, useProviders } from '../store/providers.js';
import { LeavesMachineBadge } from './LeavesMachineBadge.js';
import { notChecked, ProviderStatusDot } from './ProviderStatusItems.js';

export const FIT_UNKNOWN = 'unknown — memory is not known for this server';
/** A cloud model runs on the provider's machines: this machine's memory does not matter. */
export const FIT_CLOUD = 'runs at the provider, not here';

const FIT_TEXT: Record<ProviderModel['fit'], string> = {
  gpu: 'fits in GPU memory',
  partial: 'partly on the GPU',
  cpu: 'runs on the CPU',
  too_big: 'too large for this machine',
  unknown: FIT_UNKNOWN,
};

export function contextText(m: ProviderModel): string {
  if (m.contextLength === null) return 'not reported';
  const size = m.contextLength.toLocaleString('en-US');
  const loaded = m.loadedContextLength !== null && m.loadedContextLength !== m.contextLength ? ` (loaded with ${m.loadedContextLength.toLocaleString('en-US')})` : '';
  return `${size}${loaded}`;
}

function sourceText(m: ProviderModel): string {
  return m.contextSource === 'override' ? 'your override' : m.contextSource === 'server' ? 'the server' : '—';
}

function ProviderModels({ p }: { p: ProviderView }) {
  const models = useProviders((s) => s.models[p.id]);
  const error = useProviders((s) => s.modelErrors[p.id]);
  const status = useProviders((s) => s.statuses.find((x) => x.id === p.id));
  const titleId = `provider-models-${p.id}`;
  return (
    <section className="models-section provider-models" data-testid="provider-models" data-provider={p.id} aria-labelledby={titleId}>
      <h3 className="models-section-title provider-models-head" id={titleId}>
        {p.label || p.id}
        <span className="models-section-meta">{hostOf(p.baseUrl)}</span>
        <ProviderStatusDot id={p.id} />
        {p.leavesMachine && <LeavesMachineBadge providers={[p.label || p.id]} hosts={[hostOf(p.baseUrl)]} />}
        <span className="provider-card-spacer" />
        <button type="button" className="btn btn-small" aria-label={`Refresh ${p.label || p.id}'s models`} onClick={() => void loadProviderModels(p.id, true)}>
          ↻
        </button>
      </h3>
      {status && notChecked(status) && (
        <span className="field-help" data-testid="provider-models-not-checked">
          Not asked for its models while “Local only” is on (that would send your key out); the configured model is listed.
        </span>
      )}
      {error && (
        <div className="field-error" role="alert">
          Could not list the models: {errorLine(error)}
        </div>
      )}
      {models && models.length === 0 && <span className="field-help">The server lists no models.</span>}
      {models && models.length > 0 && (
        <table className="provider-models-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Context</th>
              <th scope="col">Context from</th>
              <th scope="col">Memory fit</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.ref} data-testid="provider-model-row" data-ref={m.ref} data-fit={m.fit}>
                <td>
                  <code>{m.name}</code>
                </td>
                <td>{contextText(m)}</td>
                <td>{sourceText(m)}</td>
                <td className={m.fit === 'unknown' ? 'fit-unknown' : undefined}>{m.leavesMachine && m.fit === 'unknown' ? FIT_CLOUD : FIT_TEXT[m.fit]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ProviderModelsSection() {
  const config = useProviders((s) => s.config);
  return (
    <>
      {otherEnabled(config).map((p) => (
        <ProviderModels key={p.id} p={p} />
      ))}
    </>
  );
}
