// The file pane, one for every project: the workspace tree and editor keyed by the project's
// folder; "folder missing" with Locate…/Forget when an opened folder is gone; a note before
// any project is selected.
import { useState } from 'react';
import { selectActiveProject, useApp } from '../store/app-state.js';
import { WorkspaceFilePanel } from './WorkspaceFilePanel.js';
import { Splitter } from './Splitter.js';
import { DeleteProjectDialog } from './DeleteProjectDialog.js';
import { LocateProjectDialog } from './LocateProjectDialog.js';

function EmptyFiles({ children }: { children: React.ReactNode }) {
  return (
    <section className="files ws-files" data-testid="files-empty">
      <Splitter />
      <div className="file-tree-pane">
        <div className="pane-head">
          <span>Files</span>
        </div>
        <div className="file-tree-empty">{children}</div>
      </div>
      <div className="editor-pane">
        <div className="editor-placeholder" />
      </div>
    </section>
  );
}

export function ProjectFilePanel() {
  const project = useApp(selectActiveProject);
  const projectId = useApp((s) => s.activeProjectId);
  const [dialog, setDialog] = useState<'locate' | 'forget' | null>(null);
  if (!projectId) return <EmptyFiles>The new project’s files appear here as they are written.</EmptyFiles>;
  if (!project) return <EmptyFiles>Loading…</EmptyFiles>;
  if (project.folderMissing) {
    return (
      <EmptyFiles>
        <span className="folder-missing" data-testid="folder-missing" role="alert">
          <strong>Folder missing.</strong> {project.root} is gone or unreadable.
          <span className="folder-missing-actions">
            <button type="button" className="btn btn-small btn-primary-outline" data-testid="folder-missing-locate" onClick={() => setDialog('locate')}>
              Locate…
            </button>
            <button type="button" className="btn btn-small" data-testid="folder-missing-forget" onClick={() => setDialog('forget')}>
              Forget
            </button>
          </span>
        </span>
        {dialog === 'locate' && <LocateProjectDialog project={project} onClose={() => setDialog(null)} />}
        {dialog === 'forget' && <DeleteProjectDialog project={project} onClose={() => setDialog(null)} />}
      </EmptyFiles>
    );
  }
  return <WorkspaceFilePanel />;
}
