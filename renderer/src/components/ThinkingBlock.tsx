import { useEffect, useRef, useState } from 'react';
import { useNow } from '../hooks/use-now.js';
import { useApp } from '../store/app-state.js';
import { updateSettings } from '../store/engine.js';
import { thinkingSeconds, type ThinkingView } from '../store/thinking-fold.js';

interface Props {
  thinking: ThinkingView;
  /** The task (or step) is still running: the clock ticks until the answer starts. */
  live: boolean;
  /** The model that thought (its per-model switch is offered here). */
  model: string | null;
}

/** The per-model switch, where the user meets the reasoning: Settings lists the models turned off. */
function TurnOffThinking({ model }: { model: string }) {
  const thinkingModels = useApp((s) => s.settings?.thinkingModels);
  if (!thinkingModels || thinkingModels[model] === false) return null;
  return (
    <button
      type="button"
      className="thinking-off"
      data-testid="thinking-turn-off"
      title={`${model} answers without reasoning first from the next task on (Settings turns it back on).`}
      onClick={() => void updateSettings({ thinkingModels: { ...thinkingModels, [model]: false } }).catch(() => undefined)}
    >
      Turn thinking off for {model}
    </button>
  );
}

/**
 * A model's reasoning above its answer: "Thinking… 12 s" and the text as it streams, folded to
 * "Thought for 12 s" once the answer starts (or the task ends), and open again on a click.
 * Reasoning is only ever shown here: it never becomes a file.
 */
export function ThinkingBlock({ thinking, live, model }: Props) {
  const thinkingNow = live && thinking.endedAt === null;
  // null: follow the default (open while thinking, folded after); a click makes it the user's choice.
  const [userOpen, setUserOpen] = useState<boolean | null>(null);
  const now = useNow(thinkingNow ? 1000 : 3_600_000);
  const seconds = thinkingSeconds(thinking, thinkingNow, now);
  const open = userOpen ?? thinkingNow;
  const textRef = useRef<HTMLDivElement>(null);

  // While it streams, keep the latest reasoning in view inside the capped box.
  useEffect(() => {
    const el = textRef.current;
    if (el && thinkingNow) el.scrollTop = el.scrollHeight;
  }, [thinking.text, thinkingNow]);

  return (
    <div className={`thinking-block${thinkingNow ? ' thinking-live' : ''}`} data-testid="thinking-block" data-state={thinkingNow ? 'thinking' : 'done'}>
      <button type="button" className="thinking-toggle" aria-expanded={open} onClick={() => setUserOpen(!open)}>
        <span className={`thinking-chevron${open ? ' open' : ''}`} aria-hidden="true">
          ▸
        </span>
        {thinkingNow && <span className="dot-live" aria-hidden="true" />}
        <span className="thinking-label" data-testid="thinking-label">
          {thinkingNow ? `Thinking… ${seconds} s` : `Thought for ${seconds} s`}
        </span>
      </button>
      {open && (
        <div className="thinking-text" ref={textRef} data-testid="thinking-text">
          {thinking.text.trim()}
        </div>
      )}
      {open && !thinkingNow && model && (
        <div className="thinking-foot">
          <TurnOffThinking model={model} />
        </div>
      )}
    </div>
  );
}
