import { ModelPicker } from './ModelPicker.js';
import { ExportButton } from './ExportButton.js';
import { appStore } from '../store/app-state.js';
import { openModelsScreen } from '../store/catalog.js';
import { openFolderDialog } from '../store/workspace.js';
import { FolderGlyph } from './WsIcons.js';

export function TopBar() {
  return (
    <header className="topbar">
      <div className="brand" title="MACS Desktop — local AI code generation">
        <span className="brand-mark" aria-hidden="true">
          <svg viewBox="0 0 16 16" width="16" height="16">
            <path d="M2 13V3l6 5 6-5v10" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
          </svg>
        </span>
        <span className="brand-name">MACS</span>
      </div>
      <button type="button" className="btn btn-ghost" data-testid="open-folder-button" title="Open a project folder (or drop one on the window): it becomes a project" onClick={() => openFolderDialog()}>
        <FolderGlyph />
        Open folder
      </button>
      <ModelPicker />
      <button
        type="button"
        className="btn btn-ghost"
        data-testid="models-button"
        onClick={openModelsScreen}
        title="Installed models, what fits this machine, pull and delete"
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path fill="none" stroke="currentColor" strokeWidth="1.4" d="M2 4.5 8 1.5l6 3v7l-6 3-6-3zM2 4.5l6 3 6-3M8 7.5v7" strokeLinejoin="round" />
        </svg>
        Models
      </button>
      <div className="topbar-spacer" />
      <ExportButton />
      <button
        type="button"
        className="btn btn-ghost"
        data-testid="settings-button"
        onClick={() => appStore.setState({ settingsOpen: true })}
        title="Settings"
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path
            fill="currentColor"
            d="M9.1 1l.4 1.9c.4.1.8.3 1.1.5l1.7-1 1.3 1.3-1 1.7c.2.3.4.7.5 1.1L15 6.9v1.9l-1.9.4c-.1.4-.3.8-.5 1.1l1 1.7-1.3 1.3-1.7-1c-.3.2-.7.4-1.1.5L9.1 15H7.2l-.4-1.9c-.4-.1-.8-.3-1.1-.5l-1.7 1-1.3-1.3 1-1.7c-.2-.3-.4-.7-.5-1.1L1 9.1V7.2l1.9-.4c.1-.4.3-.8.5-1.1l-1-1.7 1.3-1.3 1.7 1c.3-.2.7-.4 1.1-.5L7.2 1h1.9zM8 5.5a2.5 2.5 0 100 5 2.5 2.5 0 000-5z"
          />
        </svg>
        Settings
      </button>
    </header>
  );
}
