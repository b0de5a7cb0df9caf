import { useId, useState, type FormEvent } from 'react';
import { useApp, type ModelCatalog } from '../../store/app-state.js';
import { findPull, startPull } from '../../store/pulls.js';
import { pullNameProblem, pullSuggestions } from '../../lib/pull-names.js';
import { PullControl } from './PullControl.js';

/** Pull any model by name (not only the curated list), with tag suggestions from what is installed. */
export function PullByName({ catalog }: { catalog: ModelCatalog }) {
  const pulls = useApp((s) => s.pulls);
  const [text, setText] = useState('');
  const [pulled, setPulled] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const listId = useId();
  const installed = catalog.installed.map((m) => m.name);
  const suggestions = pullSuggestions(text, installed, catalog.curated.map((m) => m.name));
  // Say why only once the user pressed Pull or typed something that cannot become valid by typing on.
  const problem = text.trim() || tried ? pullNameProblem(text) : null;
  const showProblem = problem && (tried || /\s|:.*:|[^a-z0-9._:/-]/i.test(text.trim()));
  const pull = pulled ? findPull(pulls, pulled) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (pullNameProblem(text)) return;
    const name = text.trim();
    setPulled(name);
    setTried(false);
    setText('');
    void startPull(name);
  };

  return (
    <section className="models-section pull-by-name" data-testid="pull-by-name">
      <h3 className="models-section-title">
        Pull by name
        <span className="models-section-meta">any model from the Ollama library, e.g. qwen2.5-coder:3b</span>
      </h3>
      <form className="pull-by-name-form" onSubmit={submit}>
        <input
          type="text"
          list={listId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="model:tag"
          aria-label="Model to pull"
          aria-invalid={showProblem ? true : undefined}
          data-testid="pull-name-input"
          spellCheck={false}
          autoComplete="off"
        />
        <datalist id={listId} data-testid="pull-name-suggestions">
          {suggestions.map((s) => (
            <option key={s} value={s}>
              {installed.includes(s) ? 'installed' : ''}
            </option>
          ))}
        </datalist>
        <button type="submit" className="btn btn-small btn-primary-outline" data-testid="pull-name-submit" disabled={!text.trim()}>
          <span aria-hidden="true">↓</span> Pull
        </button>
      </form>
      {showProblem && (
        <span className="field-error" role="alert" data-testid="pull-name-error">
          {problem}
        </span>
      )}
      {pulled && pull && (
        <div className="pull-by-name-progress" data-testid="pull-name-progress">
          <code>{pulled}</code>
          <PullControl name={pulled} installed={false} pull={pull} tooBig={false} />
        </div>
      )}
    </section>
  );
}
