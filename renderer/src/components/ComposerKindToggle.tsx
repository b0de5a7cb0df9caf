import type { KeyboardEvent } from 'react';
import type { TaskKind } from '../../../shared/index.js';
import { useApp } from '../store/app-state.js';
import { setComposerKind } from '../store/composer.js';

const OPTIONS: { kind: TaskKind; label: string; title: string }[] = [
  { kind: 'chat', label: 'Chat', title: 'Chat: the model answers once and its files are written as they stream' },
  {
    kind: 'build',
    label: 'Build',
    title: 'Build: plan, write, run the tests in a sandbox, fix until they pass (then a review). Slower, but you get a project whose tests pass.',
  },
];

/** Chat | Build beside the send button (a radio group: arrow keys switch, the choice is remembered). */
export function ComposerKindToggle() {
  const kind = useApp((s) => s.composerKind);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) return;
    e.preventDefault();
    const next = kind === 'chat' ? 'build' : 'chat';
    setComposerKind(next);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-kind="${next}"]`)?.focus();
  };
  return (
    <div className="kind-toggle" role="radiogroup" aria-label="What to do with the prompt" data-testid="composer-kind" onKeyDown={onKey}>
      {OPTIONS.map((o) => (
        <button
          key={o.kind}
          type="button"
          role="radio"
          aria-checked={kind === o.kind}
          tabIndex={kind === o.kind ? 0 : -1}
          className={`kind-option${kind === o.kind ? ' active' : ''}${o.kind === 'build' ? ' kind-build' : ''}`}
          data-kind={o.kind}
          data-testid={`composer-kind-${o.kind}`}
          title={o.title}
          onClick={() => setComposerKind(o.kind)}
        >
          {o.kind === 'build' && (
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
              <path
                d="M9.5 2.2a3.3 3.3 0 0 0-3.9 4.4L1.9 10.3a1.4 1.4 0 0 0 2 2l3.7-3.7a3.3 3.3 0 0 0 4.4-3.9l-2 2-1.8-.4-.4-1.8z"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.3"
                strokeLinejoin="round"
              />
            </svg>
          )}
          {o.label}
        </button>
      ))}
    </div>
  );
}
