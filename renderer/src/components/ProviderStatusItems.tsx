// The status bar's providers beside Ollama: each enabled one with a green/red dot, its label,
// the error on hover, and a cloud mark where prompts leave this machine.
import { OLLAMA_PROVIDER_ID, type ProviderStatus } from '../../../shared/index.js';
import { useProviders } from '../store/providers.js';

/** A cloud provider "Local only" rules out is not even asked whether it is up (that would send the key out): grey, not red. */
export function notChecked(p: ProviderStatus): boolean {
  return !p.reachable && p.error?.code === 'LOCAL_ONLY';
}

/** The dot's colour: grey when not asked (Local only), else green / red. */
export function statusDotClass(p: ProviderStatus | undefined): string {
  if (!p) return 'dot-grey';
  return notChecked(p) ? 'dot-grey' : p.reachable ? 'dot-green' : 'dot-red';
}

/** A sentence ends once: "…is its server running?" gets no "." after it. */
function sentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

export function providerStatusTitle(p: ProviderStatus): string {
  const where = `${p.label || p.id} at ${p.host}`;
  const cloud = p.leavesMachine ? ' Prompts sent here leave this machine.' : '';
  if (notChecked(p)) return `${where}: ${p.error?.message ?? 'not checked while Local only is on.'}`;
  if (!p.reachable) {
    const msg = p.error?.message ?? 'no answer';
    // The engine's sentence usually names the provider and its URL already: not said twice.
    const named = msg.includes(p.host) || msg.includes(`"${p.id}"`);
    return `${named ? sentence(msg) : `${where} is not reachable: ${sentence(msg)}`}${cloud}`;
  }
  return `${where}${p.version ? ` (${p.version})` : ''} answers. Checked ${new Date(p.checkedAt).toLocaleTimeString()}.${cloud}`;
}

/** A provider's dot where it is configured or listed (Settings card, Models screen), with the same words on hover. */
export function ProviderStatusDot({ id }: { id: string }) {
  const status = useProviders((s) => s.statuses.find((x) => x.id === id));
  if (!status) return null;
  const state = notChecked(status) ? 'unchecked' : status.reachable ? 'true' : 'false';
  const words = notChecked(status) ? 'not checked: Local only' : status.reachable ? 'reachable' : 'not reachable';
  return (
    <span className={`dot ${statusDotClass(status)}`} data-testid="provider-status-dot" data-reachable={state} title={providerStatusTitle(status)} role="img" aria-label={words} />
  );
}

/** Under a card's head: why it does not answer (or was not asked), in the engine's words; nothing while it answers. */
export function ProviderStatusLine({ id }: { id: string }) {
  const status = useProviders((s) => s.statuses.find((x) => x.id === id));
  if (!status || status.reachable) return null;
  if (notChecked(status)) {
    return (
      <span className="field-help" data-testid="provider-status-line" data-reachable="unchecked">
        Not checked while “Local only” is on.
      </span>
    );
  }
  return (
    <span className="field-error provider-status-line" data-testid="provider-status-line" data-reachable="false">
      {sentence(status.error?.message ?? 'Not reachable.')}
    </span>
  );
}

export function ProviderStatusItems() {
  // Ollama keeps its own item (with its host and version); the others follow it.
  const statuses = useProviders((s) => s.statuses);
  const shown = statuses.filter((p) => p.enabled && p.id !== OLLAMA_PROVIDER_ID);
  return (
    <>
      {shown.map((p) => (
        <span
          key={p.id}
          className="status-item status-provider"
          data-testid="status-provider"
          data-provider={p.id}
          data-reachable={notChecked(p) ? 'unchecked' : p.reachable ? 'true' : 'false'}
          title={providerStatusTitle(p)}
        >
          <span className={`dot ${statusDotClass(p)}`} aria-hidden="true" />
          {p.label || p.id}
          {notChecked(p) ? <span className="prov-sr-only"> (not checked: Local only)</span> : !p.reachable && <span className="prov-sr-only"> (not reachable)</span>}
          {p.leavesMachine && (
            <span className="status-cloud" role="img" aria-label="leaves this machine">
              ☁
            </span>
          )}
        </span>
      ))}
    </>
  );
}
