// The top bar's folder control: the open folder's name (menu: recent folders, open
// another, close) and × to close it (back to generated projects); else "Open folder".
import { useEffect, useRef, useState } from 'react';
import { closeWorkspace, loadRecent, openFolderDialog } from '../store/workspace.js';
import { useWs } from '../store/workspace-state.js';
import { RecentWorkspaces } from './RecentWorkspaces.js';
import { FolderGlyph } from './WsIcons.js';

export function WorkspaceSwitcher() {
  const info = useWs((s) => s.info);
  const [menu, setMenu] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!menu) return;
    void loadRecent();
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setMenu(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setMenu(false);
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [menu]);

  return (
    <div className="ws-switcher" ref={box}>
      {info ? (
        <span className="ws-chip" data-testid="workspace-chip" data-root={info.root}>
          <button type="button" className="ws-chip-main" title={`${info.root}${info.isGitRepo ? ' · git repository' : ''}`} aria-haspopup="menu" aria-expanded={menu} onClick={() => setMenu(!menu)}>
            <FolderGlyph />
            <span className="ws-chip-name" data-testid="workspace-name">
              {info.name}
            </span>
            {info.isGitRepo && <span className="ws-chip-tag">git</span>}
            <span className="ws-chip-caret" aria-hidden="true">▾</span>
          </button>
          <button type="button" className="ws-chip-close" aria-label="Close the folder" title="Close the folder (back to generated projects)" data-testid="workspace-close" onClick={closeWorkspace}>
            ×
          </button>
        </span>
      ) : (
        <button type="button" className="btn btn-ghost" data-testid="open-folder-button" title="Open a project folder (or drop one on the window)" onClick={() => setMenu(!menu)} aria-haspopup="menu" aria-expanded={menu}>
          <FolderGlyph />
          Open folder
          <span className="ws-chip-caret" aria-hidden="true">▾</span>
        </button>
      )}
      {menu && (
        <div className="ws-menu" role="menu" data-testid="workspace-menu">
          <button
            type="button"
            role="menuitem"
            className="ws-menu-item"
            data-testid="menu-open-folder"
            onClick={() => {
              setMenu(false);
              openFolderDialog();
            }}
          >
            Open folder…
          </button>
          <div className="ws-menu-section">Recent</div>
          <RecentWorkspaces limit={8} onOpened={() => setMenu(false)} emptyText="No folders opened yet." />
          {info && (
            <>
              <div className="ws-menu-sep" />
              <button
                type="button"
                role="menuitem"
                className="ws-menu-item"
                onClick={() => {
                  setMenu(false);
                  closeWorkspace();
                }}
              >
                Close folder <span className="muted">— back to generated projects</span>
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
