import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RoleModels, Settings } from '../../../shared/index.js';
import { appStore, useApp } from '../store/app-state.js';
import { updateSettings } from '../store/engine.js';
import { describeError, type FieldError } from '../lib/error-text.js';
import type { ClientError } from '../client/index.js';
import { ApiKeyField } from './ApiKeyField.js';
import { ThemeField } from './ThemeField.js';
import { NumberField } from './NumberField.js';
import { ExtraHostsField, hostProblem } from './ExtraHostsField.js';
import { hostStatusLine, hostUrlProblem } from '../lib/host-url.js';
import { ModelMemoryFields } from './ModelMemoryFields.js';
import { BuildPipelineFields } from './BuildPipelineFields.js';
import { ThinkingModelsField } from './ThinkingModelsField.js';
import { ProvidersPanel } from './ProvidersPanel.js';
import { SettingsTabs, type SettingsTab } from './ProvidersSettingsTabs.js';

function close(): void {
  appStore.setState({ settingsOpen: false });
}

type NumericKey = 'numCtx' | 'maxConcurrentTasks' | 'maxConcurrentPerModel' | 'maxAttempts' | 'maxFixRounds' | 'ollamaWaitMinutes' | 'keepAliveMinutes';

const NUMERIC: Record<NumericKey, { min: number; max: number; fallback: number; example: string }> = {
  numCtx: { min: 512, max: 1_048_576, fallback: 8192, example: '8192' },
  maxConcurrentTasks: { min: 1, max: 64, fallback: 2, example: '2' },
  maxConcurrentPerModel: { min: 1, max: 64, fallback: 1, example: '1' },
  maxAttempts: { min: 1, max: 20, fallback: 3, example: '3' },
  maxFixRounds: { min: 0, max: 10, fallback: 3, example: '3' },
  ollamaWaitMinutes: { min: 0, max: 240, fallback: 10, example: '10' },
  keepAliveMinutes: { min: -1, max: 24 * 60, fallback: 30, example: '30' },
};
/** Caps on model output, edited in MB, stored in bytes. */
type OutputKey = 'maxFileBytes' | 'maxTaskOutputBytes';
const MB = 1024 * 1024;
const OUTPUT_MB: Record<OutputKey, { max: number; fallback: number }> = {
  maxFileBytes: { max: 2048, fallback: 20 },
  maxTaskOutputBytes: { max: 8192, fallback: 200 },
};
const NO_ROLE_MODELS: RoleModels = { plan: null, implement: null, fix: null, review: null };
const NUMERIC_KEYS = Object.keys(NUMERIC) as NumericKey[];

function initialNumbers(settings: Settings | null): Record<NumericKey, string> {
  const out = {} as Record<NumericKey, string>;
  for (const k of NUMERIC_KEYS) out[k] = String(settings?.[k] ?? NUMERIC[k].fallback);
  return out;
}

export function SettingsDialog() {
  const settings = useApp((s) => s.settings);
  const ollama = useApp((s) => s.ollama);
  const [host, setHost] = useState(settings?.ollamaHost ?? '');
  const [numbers, setNumbers] = useState(() => initialNumbers(settings));
  const [outputMb, setOutputMb] = useState<Record<OutputKey, string>>(() => ({
    maxFileBytes: String(settings?.maxFileBytes ? Math.round(settings.maxFileBytes / MB) : OUTPUT_MB.maxFileBytes.fallback),
    maxTaskOutputBytes: String(settings?.maxTaskOutputBytes ? Math.round(settings.maxTaskOutputBytes / MB) : OUTPUT_MB.maxTaskOutputBytes.fallback),
  }));
  const [extraHosts, setExtraHosts] = useState<string[]>(settings?.extraOllamaHosts ?? []);
  const [hostDraft, setHostDraft] = useState('');
  const [kvCacheType, setKvCacheType] = useState<Settings['kvCacheType']>(settings?.kvCacheType ?? 'f16');
  const [flashAttention, setFlashAttention] = useState(settings?.flashAttention ?? false);
  const [roleModels, setRoleModels] = useState<RoleModels>(settings?.roleModels ?? NO_ROLE_MODELS);
  const [llmCache, setLlmCache] = useState(settings?.llmCache ?? true);
  const [reviewPlansFirst, setReviewPlansFirst] = useState(settings?.reviewPlansFirst ?? false);
  const [thinkingModels, setThinkingModels] = useState<Record<string, boolean>>(settings?.thinkingModels ?? {});
  const [saving, setSaving] = useState(false);
  const [fields, setFields] = useState<FieldError[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [tab, setTab] = useState<SettingsTab>('general');
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const fieldError = (name: string) =>
    fields
      .filter((f) => f.field === name || f.field.endsWith(`.${name}`) || f.field.startsWith(`${name}.`))
      .map((f) => f.message)
      .join(' ');
  const setNumber = (k: NumericKey) => (v: string) => setNumbers((n) => ({ ...n, [k]: v }));
  /** A NumberField's value, bounds (the NUMERIC table's) and error for one numeric setting. */
  const numberProps = (k: NumericKey) => ({
    value: numbers[k],
    onChange: setNumber(k),
    min: NUMERIC[k].min,
    max: NUMERIC[k].max,
    error: fieldError(k),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFields([]);
    setGeneral(null);
    const patch: Partial<Settings> = { ollamaHost: host.trim() };
    const bad: FieldError[] = [];
    const hostTyped = hostUrlProblem(host);
    if (hostTyped) bad.push({ field: 'ollamaHost', message: hostTyped });
    for (const k of NUMERIC_KEYS) {
      const n = Number(numbers[k]);
      const { min, max, example } = NUMERIC[k];
      if (!Number.isInteger(n) || n < min || n > max) bad.push({ field: k, message: `Enter a whole number from ${min} to ${max.toLocaleString('en-US')}, e.g. ${example}.` });
      // Only send what the engine knows (an older engine may not have the queue settings).
      else if (k === 'numCtx' || (settings && k in settings)) patch[k] = n;
    }
    for (const k of Object.keys(OUTPUT_MB) as OutputKey[]) {
      const n = Number(outputMb[k]);
      if (!Number.isInteger(n) || n < 1 || n > OUTPUT_MB[k].max) bad.push({ field: k, message: `Enter a whole number of MB from 1 to ${OUTPUT_MB[k].max}, e.g. ${OUTPUT_MB[k].fallback}.` });
      else if (settings && k in settings) patch[k] = n * MB;
    }
    // A URL typed but not added yet counts: that is what the user meant.
    const draft = hostDraft.trim();
    const hosts = draft ? [...extraHosts, draft] : extraHosts;
    const draftProblem = draft ? hostProblem(draft, extraHosts, host.trim()) : null;
    if (draftProblem) bad.push({ field: 'extraOllamaHosts', message: draftProblem });
    // Only send what the engine knows (an older engine has no multi-host or KV cache settings).
    if (settings && 'extraOllamaHosts' in settings) patch.extraOllamaHosts = hosts;
    if (settings && 'kvCacheType' in settings) patch.kvCacheType = kvCacheType;
    if (settings && 'flashAttention' in settings) patch.flashAttention = flashAttention;
    // An older engine has no build pipeline settings.
    if (settings && 'roleModels' in settings) patch.roleModels = roleModels;
    if (settings && 'llmCache' in settings) patch.llmCache = llmCache;
    if (settings && 'reviewPlansFirst' in settings) patch.reviewPlansFirst = reviewPlansFirst;
    if (settings && 'thinkingModels' in settings) patch.thinkingModels = thinkingModels;
    if (bad.length > 0) {
      setFields(bad);
      return;
    }
    setSaving(true);
    try {
      await updateSettings(patch);
      close();
    } catch (err) {
      const d = describeError(err as ClientError);
      const known = d.fields.filter((f) =>
        /(^|\.)(ollamaHost|numCtx|maxConcurrentTasks|maxConcurrentPerModel|maxAttempts|maxFixRounds|ollamaWaitMinutes|keepAliveMinutes)$|(^|\.)(extraOllamaHosts|roleModels)(\.\w+)?$/.test(f.field),
      );
      setFields(d.fields);
      if (known.length === 0) setGeneral(d.detail ? `${d.text} (${d.detail})` : d.text);
    } finally {
      setSaving(false);
    }
  };

  // As the user types: a URL that cannot work says why at once (the engine's own refusal after Save otherwise).
  const hostErr = hostUrlProblem(host) ?? fieldError('ollamaHost');

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="modal modal-settings" role="dialog" aria-modal="true" aria-labelledby="settings-title" data-testid="settings-dialog">
        <h2 id="settings-title">Settings</h2>
        <SettingsTabs tab={tab} onTab={setTab} />
        {tab === 'providers' && (
          <>
            <div className="modal-body" role="tabpanel" id="settings-panel-providers" aria-labelledby="settings-tab-providers">
              <ProvidersPanel />
            </div>
            <div className="modal-actions">
              <button type="button" className="btn btn-primary" data-testid="settings-providers-close" onClick={close}>
                Done
              </button>
            </div>
          </>
        )}
        {/* Kept mounted while the Providers tab shows, so what was typed here stays until Save. */}
        <form className={`settings-form${tab === 'general' ? '' : ' settings-form-hidden'}`} onSubmit={(e) => void submit(e)} aria-label="General settings">
        <div className="modal-body" role="tabpanel" id="settings-panel-general" aria-labelledby="settings-tab-general">
          <label className="field">
            <span className="field-label">Ollama host</span>
            <input
              ref={first}
              type="text"
              data-testid="settings-ollama-host"
              value={host}
              onChange={(e) => {
                setHost(e.target.value);
                setFields((f) => f.filter((x) => !/(^|\.)ollamaHost$/.test(x.field)));
              }}
              placeholder="http://127.0.0.1:11434"
              aria-invalid={hostErr ? true : undefined}
              spellCheck={false}
            />
            {hostErr ? (
              <span className="field-error" data-testid="settings-ollama-host-error" role="alert">
                {hostErr}
              </span>
            ) : (
              <span className="field-help" data-testid="settings-ollama-host-help">
                {hostStatusLine(host, ollama)}
              </span>
            )}
          </label>
          {settings && 'extraOllamaHosts' in settings && (
            <ExtraHostsField
              hosts={extraHosts}
              onChange={setExtraHosts}
              draft={hostDraft}
              onDraft={setHostDraft}
              defaultHost={host.trim()}
              error={fieldError('extraOllamaHosts')}
            />
          )}
          <NumberField
            label="Context length (num_ctx)"
            testId="settings-num-ctx"
            {...numberProps('numCtx')}
            step={512}
            help="Tokens of context sent with every request. Larger needs more memory."
          />
          {settings && 'keepAliveMinutes' in settings && (
            <NumberField
              label="Keep the model loaded (min)"
              testId="settings-keep-alive"
              {...numberProps('keepAliveMinutes')}
              help="Sent to Ollama as keep_alive, so a build's steps and your next turn find the model loaded (a reload costs seconds). −1: until Ollama stops; 0: unload after each answer."
            />
          )}
          {settings && 'kvCacheType' in settings && (
            <ModelMemoryFields
              kvCacheType={kvCacheType}
              flashAttention={flashAttention}
              onKvCacheType={setKvCacheType}
              onFlashAttention={setFlashAttention}
            />
          )}
          <fieldset className="field-group">
            <legend>Queue</legend>
            <div className="field-row">
              <NumberField
                label="Tasks at once"
                testId="settings-max-concurrent"
                {...numberProps('maxConcurrentTasks')}
                help="Across every MACS process on this data folder."
              />
              <NumberField
                label="Per model"
                testId="settings-max-per-model"
                {...numberProps('maxConcurrentPerModel')}
                help="Generations per model on each Ollama host."
              />
              <NumberField
                label="Max attempts"
                testId="settings-max-attempts"
                {...numberProps('maxAttempts')}
                help="For transient faults."
              />
              {settings && 'ollamaWaitMinutes' in settings && (
                <NumberField
                  label="Wait for Ollama (min)"
                  testId="settings-ollama-wait"
                  {...numberProps('ollamaWaitMinutes')}
                  help="When Ollama is stopped or restarting. 0: fail at once."
                />
              )}
            </div>
            <span className="field-help">
              5xx errors and dropped streams are retried with backoff; a missing model or bad input is not. While Ollama does not answer, a task
              waits for it without using up attempts, and goes on as soon as it answers.
            </span>
          </fieldset>
          {settings && 'maxFileBytes' in settings && (
            <fieldset className="field-group">
              <legend>Model output limits</legend>
              <div className="field-row">
                <NumberField
                  label="Max file size (MB)"
                  testId="settings-max-file-mb"
                  value={outputMb.maxFileBytes}
                  onChange={(v) => setOutputMb((o) => ({ ...o, maxFileBytes: v }))}
                  min={1}
                  max={OUTPUT_MB.maxFileBytes.max}
                  error={fieldError('maxFileBytes')}
                  help="A longer file is cut here and marked truncated."
                />
                <NumberField
                  label="Max output per task (MB)"
                  testId="settings-max-task-output-mb"
                  value={outputMb.maxTaskOutputBytes}
                  onChange={(v) => setOutputMb((o) => ({ ...o, maxTaskOutputBytes: v }))}
                  min={1}
                  max={OUTPUT_MB.maxTaskOutputBytes.max}
                  error={fieldError('maxTaskOutputBytes')}
                  help="Past this the task stops with “output too large”; files so far are kept."
                />
              </div>
            </fieldset>
          )}
          {settings && 'roleModels' in settings && (
            <BuildPipelineFields
              roleModels={roleModels}
              onRoleModels={setRoleModels}
              fixRounds={numbers.maxFixRounds}
              onFixRounds={setNumber('maxFixRounds')}
              llmCache={llmCache}
              onLlmCache={setLlmCache}
              reviewPlansFirst={settings && 'reviewPlansFirst' in settings ? reviewPlansFirst : undefined}
              onReviewPlansFirst={setReviewPlansFirst}
              fixRoundsError={fieldError('maxFixRounds')}
              roleError={fieldError('roleModels')}
            />
          )}
          {settings && 'thinkingModels' in settings && <ThinkingModelsField value={thinkingModels} onChange={setThinkingModels} />}
          <ThemeField />
          <ApiKeyField />
          {general && (
            <div className="field-error general" role="alert">
              {general}
            </div>
          )}
        </div>
        <div className="modal-actions">
          <button type="button" className="btn btn-ghost" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={saving} data-testid="settings-save">
            {saving && <span className="spinner" aria-hidden="true" />}
            Save
          </button>
        </div>
        </form>
      </div>
    </div>
  );
}
