import type { z } from 'zod';
import { MacsError, methods, isMethodName, type MethodName, type MethodParams } from '../../../shared/index.js';

/** Field-level messages a user can act on: "prompt: Type a prompt first." */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

/** The engine trusts no client: every params object is parsed against the contract. */
export function parseParams<M extends MethodName>(method: string, raw: unknown): { method: M; params: MethodParams<M> } {
  if (!isMethodName(method)) throw new MacsError('UNKNOWN_METHOD', `Unknown method "${String(method).slice(0, 100)}".`);
  const parsed = methods[method].params.safeParse(raw ?? {});
  if (!parsed.success) {
    const fields = describeIssues(parsed.error.issues);
    throw new MacsError('INVALID_INPUT', `Invalid input for ${method}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, { fields });
  }
  return { method: method as M, params: parsed.data as MethodParams<M> };
}
