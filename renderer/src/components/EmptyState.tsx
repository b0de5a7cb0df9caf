import { appStore, selectActiveProject, useApp } from '../store/app-state.js';
import { useWs } from '../store/workspace-state.js';
import { openFolderDialog } from '../store/workspace.js';
import { FolderGlyph } from './WsIcons.js';
import { PromptDestination, ProviderName } from './ProviderUsageBadges.js';

const EXAMPLES = [
  { title: 'CSV → JSON CLI', prompt: 'A Python CLI that converts CSV to JSON, with tests.' },
  { title: 'REST API', prompt: 'A small FastAPI todo service with SQLite storage, pydantic models and pytest tests.' },
  { title: 'Static site', prompt: 'A single-page HTML/CSS/JS pomodoro timer with a settings panel and no dependencies.' },
  { title: 'Go tool', prompt: 'A Go command-line tool that finds duplicate files by SHA-256, with a README and unit tests.' },
];

const FOLDER_EXAMPLES = [
  { title: 'Explain', prompt: 'Explain how this project is organised and where the main entry points are.' },
  { title: 'Fix', prompt: 'Find and fix input validation gaps in the request handlers.' },
  { title: 'Tests', prompt: 'Add unit tests for the parts that have none, in the style of the existing tests.' },
  { title: 'Refactor', prompt: 'Split the largest module into smaller ones without changing behaviour.' },
];

function fill(prompt: string): void {
  appStore.setState({ draft: prompt });
  document.querySelector<HTMLTextAreaElement>('[data-testid="prompt-input"]')?.focus();
}

function Examples({ list }: { list: typeof EXAMPLES }) {
  return (
    <div className="examples">
      {list.map((ex) => (
        <button key={ex.title} type="button" className="example" data-testid="example-prompt" onClick={() => fill(ex.prompt)}>
          <span className="example-title">{ex.title}</span>
          <span className="example-prompt">{ex.prompt}</span>
        </button>
      ))}
    </div>
  );
}

export function EmptyState() {
  const model = useApp((s) => s.selectedModel);
  const host = useApp((s) => s.host);
  const workspace = useWs((s) => s.info);
  const generated = useApp((s) => selectActiveProject(s)?.kind === 'generated');

  if (workspace && generated) {
    // A new, empty generated project (made by name): its first turn describes what to build.
    return (
      <div className="empty" data-testid="empty-state" data-workspace={workspace.root}>
        <h1>
          What should <span className="empty-ws-name">{workspace.name}</span> be?
        </h1>
        <p className="empty-sub">
          Describe it. {model ? <strong>{model}</strong> : 'Your local model'} writes it into this project, every later prompt continues it,
          and each turn is a version you can diff, restore or export. <PromptDestination model={model} />
        </p>
        <Examples list={EXAMPLES} />
      </div>
    );
  }

  if (workspace) {
    return (
      <div className="empty" data-testid="empty-state" data-workspace={workspace.root}>
        <h1>
          What should change in <span className="empty-ws-name">{workspace.name}</span>?
        </h1>
        <p className="empty-sub">
          {model ? <strong>{model}</strong> : 'Your local model'} sees the files that matter for your prompt (listed under it, pin or remove any),
          edits the folder in place, and every change can be reviewed as a diff, accepted, reverted or undone. <PromptDestination model={model} />
        </p>
        <Examples list={FOLDER_EXAMPLES} />
      </div>
    );
  }

  return (
    <div className="empty" data-testid="empty-state">
      <h1>What should we build?</h1>
      <p className="empty-sub">
        Describe a project. {model ? <strong>{model}</strong> : 'Your local model'} writes it through <ProviderName model={model} />, files stream into
        the tree on the right, and every later prompt continues the same project, one version per turn. <PromptDestination model={model} />
      </p>
      <Examples list={EXAMPLES} />
      <div className="empty-folder" data-testid="empty-folder">
        <div className="empty-folder-head">
          <span>
            <strong>Or work on your own code.</strong>{' '}
            <span className="muted">
              {host === 'electron' ? 'Drop a folder on the window, or open one' : 'Open a folder by its path'}: it becomes a project in the sidebar.
            </span>
          </span>
          <button type="button" className="btn btn-primary-outline" data-testid="empty-open-folder" onClick={() => openFolderDialog()}>
            <FolderGlyph />
            Open folder…
          </button>
        </div>
      </div>
    </div>
  );
}
