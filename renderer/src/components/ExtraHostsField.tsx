import type { KeyboardEvent } from 'react';
import { useApp, type AppState } from '../store/app-state.js';
import { sameHost } from '../lib/fit.js';
import { hostUrlProblem } from '../lib/host-url.js';

export const MAX_EXTRA_HOSTS = 8;

/**
 * One empty list for "no catalog yet": a selector must return the same value for the same
 * state, and a fresh `[]` each call made useSyncExternalStore re-render forever (React #185:
 * Settings opened before the model catalog had loaded blanked the app).
 */
const NO_HOSTS: NonNullable<AppState['catalog']>['hosts'] = [];

/** Why a URL cannot be added, or null when it can. */
export function hostProblem(url: string, existing: string[], defaultHost: string): string | null {
  const notUrl = hostUrlProblem(url);
  if (notUrl) return notUrl;
  if (sameHost(url, defaultHost)) return 'That is the main Ollama host already.';
  if (existing.some((h) => sameHost(h, url))) return 'That host is in the list already.';
  if (existing.length >= MAX_EXTRA_HOSTS) return `At most ${MAX_EXTRA_HOSTS} extra hosts.`;
  return null;
}

interface Props {
  hosts: string[];
  onChange: (hosts: string[]) => void;
  draft: string;
  onDraft: (draft: string) => void;
  defaultHost: string;
  error: string;
}

/** Further Ollama hosts (a GPU box on the LAN): add and remove URLs. */
export function ExtraHostsField({ hosts, onChange, draft, onDraft, defaultHost, error }: Props) {
  const status = useApp((s) => s.catalog?.hosts ?? NO_HOSTS);
  const draftProblem = draft.trim() ? hostProblem(draft.trim(), hosts, defaultHost) : null;

  const add = () => {
    const url = draft.trim();
    if (!url || hostProblem(url, hosts, defaultHost)) return;
    onChange([...hosts, url]);
    onDraft('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault(); // not a form submit
      add();
    }
  };

  return (
    <div className="field" data-testid="settings-extra-hosts">
      <span className="field-label">More Ollama hosts</span>
      {hosts.length > 0 && (
        <ul className="extra-hosts">
          {hosts.map((h) => {
            const known = status.find((s) => sameHost(s.host, h));
            return (
              <li key={h} className="extra-host" data-testid="extra-host">
                <span className={`dot ${known ? (known.reachable ? 'dot-green' : 'dot-red') : 'dot-grey'}`} title={known?.error ?? (known ? 'reachable' : 'not checked yet')} />
                <code>{h}</code>
                <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove ${h}`} onClick={() => onChange(hosts.filter((x) => x !== h))}>
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="extra-host-add">
        <input
          type="text"
          data-testid="settings-extra-host-input"
          value={draft}
          onChange={(e) => onDraft(e.target.value)}
          onKeyDown={onKey}
          placeholder="Add a host, e.g. http://192.168.1.20:11434"
          spellCheck={false}
          aria-invalid={draftProblem || error ? true : undefined}
          disabled={hosts.length >= MAX_EXTRA_HOSTS}
        />
        <button type="button" className="btn btn-small" data-testid="settings-extra-host-add" disabled={!draft.trim() || !!draftProblem} onClick={add}>
          Add
        </button>
      </div>
      {draftProblem || error ? (
        <span className="field-error">{draftProblem ?? error}</span>
      ) : (
        <span className="field-help">E.g. a GPU machine on your network. Each task runs on the first host that has its model.</span>
      )}
    </div>
  );
}
