// What a build does with its plan, before any model call: which files each implementation step writes.
import type { Plan } from '../../../shared/index.js';
import { isDocsPath } from './steps/project-files.js';

/**
 * The plan's files an implementation round writes: code in the implement step, docs in a docs
 * step of their own, run once per project: only docs that do not exist yet are written (a
 * second round, a retry or a later turn leaves the README the first one wrote).
 */
export function implementTargets(plan: Plan, existing: ReadonlySet<string>): { code: string[]; docs: string[] } {
  const all = plan.files.map((f) => f.path);
  const code = all.filter((p) => !isDocsPath(p));
  const docs = all.filter((p) => isDocsPath(p) && !existing.has(p));
  // A plan of nothing but docs: the implement step writes them.
  return code.length ? { code, docs } : { code: docs.length ? docs : all, docs: [] };
}
