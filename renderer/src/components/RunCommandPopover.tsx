// "Run command": every way MACS found to start the project (with where it came from), a
// field for the user's own, a pinned port, and "install: registry access" (off by default).
import { useEffect, useState } from 'react';
import { commandText, initialChoice, planSourceText, runIsLive, settingsPatch, type SettingsForm } from '../lib/app-run-text.js';
import { describeError } from '../lib/error-text.js';
import { ClientError } from '../client/index.js';
import { configureApp, loadDetect, runApp, useAppRun } from '../store/app-run.js';
import { usePopoverDismiss } from '../hooks/use-popover-dismiss.js';

export function RunCommandPopover({ projectId, onClose }: { projectId: string; onClose: () => void }) {
  const detect = useAppRun((s) => s.detect[projectId] ?? null);
  const run = useAppRun((s) => s.runs[projectId] ?? null);
  const pending = useAppRun((s) => s.pending[projectId] ?? null);
  const callError = useAppRun((s) => s.callError[projectId] ?? null);
  const { ref, onKeyDown } = usePopoverDismiss<HTMLDivElement>(onClose);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [detectError, setDetectError] = useState<ClientError | null>(null);

  // Detect afresh each time it opens: the project's files may have changed since.
  useEffect(() => {
    let live = true;
    void loadDetect(projectId).then((result) => {
      if (!live) return;
      setLoading(false);
      if (result instanceof ClientError) {
        setDetectError(result);
        return;
      }
      const { choice, text } = initialChoice(result.candidates, result.chosen, result.settings.command);
      setForm({ choice, text, port: result.settings.pinnedPort?.toString() ?? '', installNetwork: result.settings.installNetwork });
    });
    return () => {
      live = false;
    };
  }, [projectId]);

  const keep = async (andRun: boolean) => {
    if (!form || !detect) return;
    const out = settingsPatch(detect.candidates, detect.chosen, form);
    if ('error' in out) {
      setProblem(out.error);
      return;
    }
    setProblem(null);
    if (!(await configureApp(projectId, out.patch))) return;
    if (andRun) void runApp(projectId);
    onClose();
  };

  // Keyboard users land on the command in use once the candidates are listed.
  const loaded = form !== null;
  useEffect(() => {
    if (loaded) ref.current?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus();
  }, [loaded, ref]);

  const update = (patch: Partial<SettingsForm>) => setForm((f) => (f ? { ...f, ...patch } : f));
  const failure = detectError ?? (loading ? null : callError);
  const err = failure ? describeError(failure) : null;
  const candidates = detect?.candidates ?? [];

  return (
    <div className="popover run-popover run-command-popover" ref={ref} role="dialog" aria-label="Run command" onKeyDown={onKeyDown} data-testid="run-command-popover">
      <div className="popover-title">Run command</div>
      {loading && <p className="popover-help">Looking at the project’s files…</p>}
      {form && (
        <>
          <div className="run-choices" role="radiogroup" aria-label="Command">
            {candidates.length === 0 && <p className="popover-help">MACS found nothing it knows how to start: type the command.</p>}
            {candidates.map((plan, i) => (
              <label key={`${plan.kind}:${plan.command ?? ''}`} className={`run-choice${form.choice === i ? ' selected' : ''}`} data-testid="run-candidate">
                <input type="radio" name="run-command" checked={form.choice === i} onChange={() => update({ choice: i })} />
                <span className="run-choice-text">
                  <code>{commandText(plan)}</code>
                  <span className="run-choice-source">{planSourceText(plan)}</span>
                </span>
              </label>
            ))}
            <label className={`run-choice${form.choice === 'custom' ? ' selected' : ''}`}>
              <input type="radio" name="run-command" checked={form.choice === 'custom'} onChange={() => update({ choice: 'custom' })} />
              <span className="run-choice-text">
                <span>Your own command</span>
                <input
                  type="text"
                  className="run-input run-input-command"
                  data-testid="run-custom-command"
                  placeholder="e.g. npm run dev -- --host 127.0.0.1"
                  spellCheck={false}
                  value={form.text}
                  onFocus={() => update({ choice: 'custom' })}
                  onChange={(e) => update({ choice: 'custom', text: e.target.value })}
                  onKeyDown={(e) => e.key === 'Enter' && void keep(false)}
                />
              </span>
            </label>
          </div>
          <label className="run-field">
            <span>Port</span>
            <input
              type="text"
              inputMode="numeric"
              className="run-input run-input-port"
              data-testid="run-port"
              placeholder="any"
              value={form.port}
              onChange={(e) => update({ port: e.target.value })}
            />
            <span className="popover-note">
              {run?.pinnedPortTaken && run.settings.pinnedPort ? `${run.settings.pinnedPort} was taken: the app got ${run.port ?? 'another port'}.` : 'pinned on 127.0.0.1; empty: MACS picks one and keeps it'}
            </span>
          </label>
          <label className="popover-check">
            <input type="checkbox" data-testid="run-install-network" checked={form.installNetwork} onChange={(e) => update({ installNetwork: e.target.checked })} />
            <span>
              install: registry access
              <span className="popover-note"> — only the install step (npm, pip) may reach package registries; the app itself never reaches the network.</span>
            </span>
          </label>
        </>
      )}
      {(problem || err) && (
        <div className="popover-error" role="alert" data-testid="run-command-error">
          {problem ?? err?.text}
          {!problem && err?.detail && <span className="notice-detail">{err.detail}</span>}
        </div>
      )}
      <div className="popover-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-small" data-testid="run-keep" disabled={!form || pending !== null} onClick={() => void keep(false)}>
          Keep
        </button>
        <button type="button" className="btn btn-small btn-primary" data-testid="run-keep-run" disabled={!form || pending !== null} onClick={() => void keep(true)}>
          {runIsLive(run) ? 'Keep and restart' : 'Keep and run'}
        </button>
      </div>
    </div>
  );
}
