import { useApp } from '../store/app-state.js';
import { FileTree } from './FileTree.js';
import { EditorPane } from './EditorPane.js';
import { Splitter } from './Splitter.js';

export function FilePanel() {
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
      <EditorPane />
    </section>
  );
}
