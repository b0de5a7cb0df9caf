import { appStore, useApp } from '../store/app-state.js';

const EXAMPLES = [
  { title: 'CSV → JSON CLI', prompt: 'A Python CLI that converts CSV to JSON, with tests.' },
  { title: 'REST API', prompt: 'A small FastAPI todo service with SQLite storage, pydantic models and pytest tests.' },
  { title: 'Static site', prompt: 'A single-page HTML/CSS/JS pomodoro timer with a settings panel and no dependencies.' },
  { title: 'Go tool', prompt: 'A Go command-line tool that finds duplicate files by SHA-256, with a README and unit tests.' },
];

export function EmptyState() {
  const model = useApp((s) => s.selectedModel);
  return (
    <div className="empty" data-testid="empty-state">
      <h1>What should we build?</h1>
      <p className="empty-sub">
        Describe a project. {model ? <strong>{model}</strong> : 'Your local model'} writes it through Ollama, files stream into
        the tree on the right, and you can export the result as a zip. Nothing leaves this machine.
      </p>
      <div className="examples">
        {EXAMPLES.map((ex) => (
          <button
            key={ex.title}
            type="button"
            className="example"
            data-testid="example-prompt"
            onClick={() => {
              appStore.setState({ draft: ex.prompt });
              document.querySelector<HTMLTextAreaElement>('[data-testid="prompt-input"]')?.focus();
            }}
          >
            <span className="example-title">{ex.title}</span>
            <span className="example-prompt">{ex.prompt}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
