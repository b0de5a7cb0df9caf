import type { PipelineRole, RoleModels } from '../../../shared/index.js';
import { useApp } from '../store/app-state.js';
import { NumberField } from './NumberField.js';

const ROLES: { role: PipelineRole; label: string; help: string }[] = [
  { role: 'plan', label: 'Plan', help: 'Writes the plan (JSON): files, test command, acceptance.' },
  { role: 'implement', label: 'Implement', help: 'Writes the files (and the docs beside them).' },
  { role: 'fix', label: 'Fix', help: 'Reads the failing tests and rewrites the files they implicate.' },
  { role: 'review', label: 'Review', help: 'Checks the result against the goal (JSON verdict).' },
];

interface Props {
  roleModels: RoleModels;
  onRoleModels: (next: RoleModels) => void;
  fixRounds: string;
  onFixRounds: (value: string) => void;
  llmCache: boolean;
  onLlmCache: (value: boolean) => void;
  /** undefined: an older engine without the setting (the checkbox is not shown). */
  reviewPlansFirst?: boolean;
  onReviewPlansFirst: (value: boolean) => void;
  fixRoundsError: string;
  roleError: string;
}

/** Installed model names across hosts (the catalog when there is one, else models.list), sorted. */
function useInstalledNames(): string[] {
  const models = useApp((s) => s.models);
  const catalog = useApp((s) => s.catalog);
  const names = new Set(models.map((m) => m.name));
  for (const m of catalog?.installed ?? []) names.add(m.name);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** Settings → Build pipeline: a model per role, fix rounds, the LLM cache. */
export function BuildPipelineFields({ roleModels, onRoleModels, fixRounds, onFixRounds, llmCache, onLlmCache, reviewPlansFirst, onReviewPlansFirst, fixRoundsError, roleError }: Props) {
  const installed = useInstalledNames();
  return (
    <fieldset className="field-group" data-testid="settings-build">
      <legend>Build pipeline</legend>
      <div className="role-grid">
        {ROLES.map(({ role, label, help }) => {
          const value = roleModels[role];
          const missing = value !== null && !installed.includes(value);
          return (
            <label key={role} className="field" title={help}>
              <span className="field-label">{label} model</span>
              <select
                className="field-select"
                data-testid={`settings-role-${role}`}
                value={value ?? ''}
                onChange={(e) => onRoleModels({ ...roleModels, [role]: e.target.value === '' ? null : e.target.value })}
              >
                <option value="">Same as the task</option>
                {missing && <option value={value}>{value} (not installed)</option>}
                {installed.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>
      {roleError ? (
        <span className="field-error">{roleError}</span>
      ) : (
        <span className="field-help">
          “Same as the task” uses the model picked in the top bar. A model set here that is not installed falls back to the task’s model (the Steps tab
          says which ran, and why).
        </span>
      )}
      <div className="field-row build-row">
        <NumberField
          label="Fix rounds"
          testId="settings-fix-rounds"
          value={fixRounds}
          onChange={onFixRounds}
          min={0}
          max={10}
          error={fixRoundsError}
          help="Fix → test rounds before a build fails (0: no fixing)."
        />
        <label className="field field-check build-cache">
          <input type="checkbox" data-testid="settings-llm-cache" checked={llmCache} onChange={(e) => onLlmCache(e.target.checked)} />
          <span>
            Reuse identical model answers (LLM cache)
            <span className="field-help field-help-block">
              An identical call (same model, prompt and options) is answered from the stored answer instead of running the model again.
            </span>
          </span>
        </label>
        {reviewPlansFirst !== undefined && (
          <label className="field field-check build-cache">
            <input type="checkbox" data-testid="settings-review-plans" checked={reviewPlansFirst} onChange={(e) => onReviewPlansFirst(e.target.checked)} />
            <span>
              Review plans first
              <span className="field-help field-help-block">A build stops after its plan until you approve it (or edit it, then approve) in the Steps tab; applies to builds started after this.</span>
            </span>
          </label>
        )}
      </div>
    </fieldset>
  );
}
