import type { TaskKind } from '../../../shared/index.js';

/** "build" on build tasks (chat tasks get nothing: they are the plain case). */
export function KindBadge({ kind }: { kind: TaskKind }) {
  if (kind !== 'build') return null;
  return (
    <span className="kind-badge" data-testid="kind-badge" title="Build task: plan, write, run the tests in a sandbox, fix until they pass">
      build
    </span>
  );
}
