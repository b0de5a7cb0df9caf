// Settings → Providers → Routing: per role (plan, implement, fix, review, docs, chat) an
// ordered list of provider + model targets and how to pick among them. Saved with providers.update.
import { useState } from 'react';
import { OLLAMA_PROVIDER_ID, ROUTING_ROLES, type LlmConfigView, type RoleRoute, type RouteTarget, type RoutingRole, type RoutingStrategy } from '../../../shared/index.js';
import type { ClientError } from '../client/index.js';
import { describeError, fieldErrors, type FieldError } from '../lib/error-text.js';
import { cleanRouting, normalizeField } from '../lib/provider-drafts.js';
import { useApp } from '../store/app-state.js';
import { updateProviders, useProviders } from '../store/providers.js';

type Routing = Partial<Record<RoutingRole, RoleRoute>>;

const STRATEGY: Record<RoutingStrategy, string> = {
  fallback: 'Fallback (in order)',
  'round-robin': 'Round-robin',
  weighted: 'Weighted',
};

const ROLE_HELP: Record<RoutingRole, string> = {
  plan: 'the build’s plan',
  implement: 'writing the files',
  fix: 'fixing failed tests',
  review: 'reviewing the result',
  docs: 'documentation',
  chat: 'plain chat turns',
};

function useModelNames(provider: string): string[] {
  const ollama = useApp((s) => s.models);
  const others = useProviders((s) => s.models[provider]);
  return provider === OLLAMA_PROVIDER_ID ? ollama.map((m) => m.name) : (others ?? []).map((m) => m.name);
}

function TargetRow(props: { role: RoutingRole; index: number; count: number; target: RouteTarget; weighted: boolean; config: LlmConfigView; onChange: (t: RouteTarget | null, move?: -1 | 1) => void }) {
  const { role, index, count, target, weighted, config, onChange } = props;
  const names = useModelNames(target.provider);
  const options = target.model && !names.includes(target.model) ? [target.model, ...names] : names;
  const n = index + 1;
  return (
    <li className="route-target" data-testid="route-target">
      <span className="route-order" aria-hidden="true">
        {n}.
      </span>
      <select aria-label={`${role} target ${n}: provider`} data-testid="route-provider" value={target.provider} onChange={(e) => onChange({ ...target, provider: e.target.value, model: null })}>
        {config.providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label || p.id}
            {p.enabled ? '' : ' (disabled)'}
          </option>
        ))}
      </select>
      <select aria-label={`${role} target ${n}: model`} data-testid="route-model" value={target.model ?? ''} onChange={(e) => onChange({ ...target, model: e.target.value || null })}>
        <option value="">{target.provider === OLLAMA_PROVIDER_ID ? 'the task’s model' : 'the provider’s default model'}</option>
        {options.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      {weighted && (
        <input
          type="number"
          className="route-weight"
          aria-label={`${role} target ${n}: weight`}
          data-testid="route-weight"
          min={0}
          max={1000}
          value={target.weight}
          onChange={(e) => onChange({ ...target, weight: Number(e.target.value) })}
        />
      )}
      <button type="button" className="btn btn-small btn-ghost" aria-label={`Move ${role} target ${n} up`} disabled={index === 0} onClick={() => onChange(target, -1)}>
        ↑
      </button>
      <button type="button" className="btn btn-small btn-ghost" aria-label={`Move ${role} target ${n} down`} disabled={index === count - 1} onClick={() => onChange(target, 1)}>
        ↓
      </button>
      <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove ${role} target ${n}`} onClick={() => onChange(null)}>
        ✕
      </button>
    </li>
  );
}

export function RoutingEditor({ config }: { config: LlmConfigView }) {
  const [routing, setRouting] = useState<Routing>(config.routing);
  // Routes changed elsewhere (an import, another window): show them. Not a remount, so "Routing saved." survives a save.
  const incoming = JSON.stringify(config.routing);
  const [seen, setSeen] = useState(incoming);
  if (incoming !== seen) {
    setSeen(incoming);
    setRouting(config.routing);
  }
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldError[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const setRole = (role: RoutingRole, route: RoleRoute | null) => {
    setSaved(false);
    setRouting((r) => {
      const next = { ...r };
      if (route) next[role] = route;
      else delete next[role];
      return next;
    });
  };
  const save = async () => {
    setBusy(true);
    setFields([]);
    setGeneral(null);
    try {
      const view = await updateProviders({ routing: cleanRouting(routing) });
      setRouting(view.routing);
      setSaved(true);
    } catch (e) {
      const d = describeError(e as ClientError);
      const named = fieldErrors((e as ClientError).details);
      setFields(named.map((f) => ({ ...f, field: normalizeField(f.field) })));
      setGeneral(named.length === 0 ? (d.detail ? `${d.text} (${d.detail})` : d.text) : null);
    } finally {
      setBusy(false);
    }
  };
  const roleError = (role: RoutingRole) =>
    fields
      .filter((f) => f.field === `routing.${role}` || f.field.startsWith(`routing.${role}.`) || f.field === role || f.field.startsWith(`${role}.`))
      .map((f) => f.message)
      .join(' ');

  return (
    <fieldset className="field-group routing-editor" data-testid="routing-editor">
      <legend>Routing per role</legend>
      <span className="field-help">A role without targets uses the task’s model. Fallback tries the next target when one cannot answer; round-robin rotates the first; weighted draws it by weight.</span>
      {ROUTING_ROLES.map((role) => {
        const route = routing[role];
        const targets = route?.targets ?? [];
        const error = roleError(role);
        const update = (i: number) => (t: RouteTarget | null, move?: -1 | 1) => {
          const list = [...targets];
          if (t === null) list.splice(i, 1);
          else if (move) {
            const j = i + move;
            [list[i], list[j]] = [list[j], list[i]];
          } else list[i] = t;
          setRole(role, list.length > 0 ? { strategy: route?.strategy ?? 'fallback', targets: list } : null);
        };
        return (
          <div className="route-role" key={role} data-testid="route-role" data-role={role}>
            <div className="route-role-head">
              <span className="route-role-name">{role}</span>
              <span className="field-help">{ROLE_HELP[role]}</span>
              <span className="provider-card-spacer" />
              {targets.length > 1 && (
                <select
                  aria-label={`${role}: strategy`}
                  data-testid="route-strategy"
                  value={route?.strategy ?? 'fallback'}
                  onChange={(e) => setRole(role, { strategy: e.target.value as RoutingStrategy, targets })}
                >
                  {(Object.keys(STRATEGY) as RoutingStrategy[]).map((s) => (
                    <option key={s} value={s}>
                      {STRATEGY[s]}
                    </option>
                  ))}
                </select>
              )}
              <button
                type="button"
                className="btn btn-small"
                data-testid="route-add"
                aria-label={`Add a target for ${role}`}
                disabled={targets.length >= 8}
                onClick={() => setRole(role, { strategy: route?.strategy ?? 'fallback', targets: [...targets, { provider: config.providers[0]?.id ?? OLLAMA_PROVIDER_ID, model: null, weight: 1 }] })}
              >
                + Target
              </button>
            </div>
            {targets.length > 0 && (
              <ol className="route-targets">
                {targets.map((t, i) => (
                  <TargetRow key={i} role={role} index={i} count={targets.length} target={t} weighted={route?.strategy === 'weighted'} config={config} onChange={update(i)} />
                ))}
              </ol>
            )}
            {error && (
              <span className="field-error" role="alert" data-testid="route-error">
                {error}
              </span>
            )}
          </div>
        );
      })}
      {general && (
        <div className="field-error general" role="alert" data-testid="routing-error">
          {general}
        </div>
      )}
      <div className="provider-card-actions">
        {saved && <span className="field-help" role="status">Routing saved.</span>}
        <button type="button" className="btn btn-small btn-primary" data-testid="routing-save" disabled={busy} onClick={() => void save()}>
          Save routing
        </button>
      </div>
    </fieldset>
  );
}
