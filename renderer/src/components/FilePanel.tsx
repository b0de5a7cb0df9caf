import { useApp } from '../store/app-state.js';
import { FileTree } from './FileTree.js';
import { EditorPane } from './EditorPane.js';
import { Splitter } from './Splitter.js';
import { useWs } from '../store/workspace-state.js';
import { useActiveTaskInOpenFolder } from '../hooks/use-folder-task.js';
import { WorkspaceFilePanel } from './WorkspaceFilePanel.js';
import { DiffPane } from './DiffPane.js';

/**
 * With a folder open, the Files pane is that folder (also while one of its tasks is
 * selected); any other task shows its own files. A task's diff can show in either.
 */
export function FilePanel() {
  const wsOpen = useWs((s) => s.info !== null);
  const hasTask = useApp((s) => s.activeTaskId !== null);
  const inFolder = useActiveTaskInOpenFolder();
  if (wsOpen && (!hasTask || inFolder)) return <WorkspaceFilePanel />;
  return <TaskFilePanel />;
}

function TaskFilePanel() {
  const diff = useWs((s) => (s.diff?.kind === 'task' ? s.diff : null));
  const view = useApp((s) => s.view);
  const count = view?.fileOrder.length ?? 0;
  const streaming = view ? view.fileOrder.filter((p) => view.files[p]?.state === 'streaming').length : 0;
  return (
    <section className="files">
      <Splitter />
      <div className="file-tree-pane">
        <div className="pane-head">
          <span>Files</span>
          {count > 0 && (
            <span className="pane-head-meta">
              {count}
              {streaming > 0 && <span className="dot-live" title="Being written" />}
            </span>
          )}
        </div>
        <FileTree />
      </div>
      {diff ? <DiffPane diff={diff} /> : <EditorPane />}
    </section>
  );
}
