// The web check's scenario results as stored in its step artifact (output.scenarios), read
// defensively: an artifact from another version or a step that broke early shows nothing
// rather than throwing. Pure.
import { z } from 'zod';
import { ScenarioResultSchema, type ScenarioResult } from '../../../shared/index.js';

const ScenarioListSchema = z.array(ScenarioResultSchema);

export interface WebcheckView {
  scenarios: ScenarioResult[];
  /** Why the scenarios did not run (no browser, not a web app); null when they ran. */
  skipped: string | null;
  notUnderstood: Array<{ name: string; reasons: string[] }>;
  url: string | null;
}

export function readWebcheck(artifact: Record<string, unknown>): WebcheckView | null {
  const out = artifact.output;
  if (typeof out !== 'object' || out === null) return null;
  const o = out as Record<string, unknown>;
  const scenarios = ScenarioListSchema.safeParse(o.scenarios);
  if (!scenarios.success) return null;
  const notUnderstood = Array.isArray(o.notUnderstood)
    ? o.notUnderstood.flatMap((n: unknown) => {
        const r = n as { name?: unknown; reasons?: unknown };
        return typeof r.name === 'string' && Array.isArray(r.reasons) ? [{ name: r.name, reasons: r.reasons.filter((x): x is string => typeof x === 'string') }] : [];
      })
    : [];
  return { scenarios: scenarios.data, skipped: typeof o.skipped === 'string' ? o.skipped : null, notUnderstood, url: typeof o.url === 'string' ? o.url : null };
}

/** The file name tasks.stepScreenshot takes, from a step's `.macs/screenshots/<name>` path. */
export function screenshotName(relPath: string): string {
  return relPath.slice(relPath.lastIndexOf('/') + 1);
}

/** "2 of 3 scenarios passed", "the scenarios were not run: …". */
export function webcheckOutcome(view: WebcheckView): string {
  if (view.skipped) return `the scenarios were not run: ${view.skipped}`;
  const total = view.scenarios.length;
  const passed = view.scenarios.filter((s) => s.passed).length;
  const noun = total === 1 ? 'scenario' : 'scenarios';
  return passed === total ? `${total} ${noun} passed` : `${total - passed} of ${total} ${noun} failed`;
}
