import { useEffect, useState } from 'react';
import type { Plan, StepRecord, Task } from '../../../shared/index.js';
import { client } from '../store/app-state.js';
import { errorLine } from '../lib/error-text.js';
import { toClientError } from '../client/index.js';
import { checkPlanDraft, isUnchanged, planAwaitsApproval, planDraftText } from '../lib/plan-draft.js';
import '../styles/plan-approval.css';

interface Pending {
  planVersion: number;
  plan: Plan;
}

/**
 * Settings → review plans first: the build waits after its plan. Shown above the steps while it
 * waits: the plan's files, Approve, and Edit (the plan as JSON, checked as typed).
 */
export function PlanApprovalCard({ task, rows }: { task: Task; rows: StepRecord[] }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const awaits = task.kind === 'build' && planAwaitsApproval(task, rows);
  const planVersion = rows.at(-1)?.version ?? 0;

  useEffect(() => {
    if (!awaits) {
      setPending(null);
      return;
    }
    let live = true;
    void client()
      .call('tasks.pendingPlan', { taskId: task.id })
      .then((r) => {
        if (!live) return;
        setPending(r.waiting && r.plan && r.planVersion !== null ? { planVersion: r.planVersion, plan: r.plan } : null);
        if (r.plan) setDraft(planDraftText(r.plan));
      })
      .catch(() => live && setPending(null));
    return () => {
      live = false;
    };
  }, [task.id, awaits, planVersion]);

  if (!pending || !awaits) return null;
  const check = editing ? checkPlanDraft(draft) : null;
  const approve = async () => {
    setSending(true);
    setError(null);
    try {
      const edited = check?.ok && !isUnchanged(draft, pending.plan) ? check.plan : undefined;
      await client().call('tasks.approvePlan', { taskId: task.id, ...(edited ? { plan: edited } : {}) });
      setPending(null);
      setEditing(false);
    } catch (err) {
      setError(errorLine(toClientError(err)));
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="plan-approval" data-testid="plan-approval" aria-label="The plan waits for your approval">
      <div className="plan-approval-head">
        <strong>The plan waits for your approval</strong>
        <span className="plan-approval-why">Settings → Review plans first. Nothing is written until you approve.</span>
      </div>
      {!editing && (
        <ul className="plan-approval-files" data-testid="plan-approval-files">
          {pending.plan.files.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>
              {f.purpose && <span> — {f.purpose}</span>}
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <>
          <textarea
            className="plan-approval-editor"
            data-testid="plan-approval-editor"
            spellCheck={false}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={check?.ok === false}
            aria-label="The plan as JSON"
          />
          <div className={`plan-approval-check ${check?.ok ? 'ok' : 'bad'}`} data-testid="plan-approval-check" role="status">
            {check?.ok ? (isUnchanged(draft, pending.plan) ? 'Unchanged.' : `A valid plan: ${check.plan.files.length} file${check.plan.files.length === 1 ? '' : 's'}.`) : check?.problem}
          </div>
        </>
      )}
      {error && (
        <div className="field-error" role="alert" data-testid="plan-approval-error">
          {error}
        </div>
      )}
      <div className="plan-approval-actions">
        <button type="button" className="btn btn-primary" data-testid="plan-approve" disabled={sending || check?.ok === false} onClick={() => void approve()}>
          {editing && check?.ok && !isUnchanged(draft, pending.plan) ? 'Approve the edited plan' : 'Approve'}
        </button>
        {!editing && (
          <button type="button" className="btn" data-testid="plan-edit" onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
        {editing && (
          <button
            type="button"
            className="btn"
            onClick={() => {
              setEditing(false);
              setDraft(planDraftText(pending.plan));
            }}
          >
            Discard the edit
          </button>
        )}
      </div>
    </section>
  );
}
