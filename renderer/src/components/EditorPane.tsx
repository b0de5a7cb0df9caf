import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { client, useApp } from '../store/app-state.js';
import { pushToast } from '../store/toasts.js';
import { useFileContent } from '../hooks/use-file-content.js';
import { errorLine } from '../lib/error-text.js';
import { formatBytes } from '../lib/format.js';
import { languageForPath } from '../lib/language.js';
import { toClientError } from '../client/index.js';

const MonacoEditor = lazy(() => import('./MonacoEditor.js'));

function Placeholder({ children }: { children: React.ReactNode }) {
  return <div className="editor-placeholder">{children}</div>;
}

export function EditorPane() {
  const taskId = useApp((s) => s.activeTaskId);
  const path = useApp((s) => s.selectedPath);
  const file = useApp((s) => (s.selectedPath && s.view ? (s.view.files[s.selectedPath] ?? null) : null));
  const fileCount = useApp((s) => s.view?.fileOrder.length ?? 0);
  const taskStatus = useApp((s) => s.activeTask?.status ?? null);
  const [dirty, setDirty] = useState(false);
  const saveRef = useRef<(() => void) | null>(null);
  const registerSave = useCallback((fn: (() => void) | null) => {
    saveRef.current = fn;
  }, []);
  const streaming = file?.state === 'streaming';
  const content = useFileContent(taskId, path, file !== null && !streaming, file?.sha256 ?? null);

  useEffect(() => setDirty(false), [taskId, path]);

  const onSave = useCallback(
    async (text: string): Promise<boolean> => {
      if (!taskId || !path) return false;
      try {
        const res = await client().call('files.write', { taskId, path, content: text });
        pushToast({ kind: 'success', text: `Saved ${res.path}`, detail: formatBytes(res.size) }, 2500);
        return true;
      } catch (err) {
        pushToast({ kind: 'error', text: `Could not save ${path}: ${errorLine(toClientError(err))}` });
        return false;
      }
    },
    [taskId, path],
  );

  const finished = taskStatus === 'succeeded' || taskStatus === 'failed' || taskStatus === 'cancelled';
  const placeholderText = !taskId
    ? 'Generated files open here.'
    : fileCount > 0
      ? 'Select a file to view it.'
      : finished
        ? 'This task wrote no files.'
        : 'Files open here as the model writes them.';
  let body: React.ReactNode;
  let readOnly = true;
  let value: string | null = null;
  if (!path || !file) {
    body = <Placeholder>{placeholderText}</Placeholder>;
  } else if (streaming) {
    value = file.streamed;
  } else if (content.status === 'ready') {
    if (content.file.binary || content.file.content === null) {
      body = <Placeholder>Binary file ({content.file.size.toLocaleString()} bytes) — not shown</Placeholder>;
    } else {
      value = content.file.content;
      readOnly = false;
    }
  } else if (content.status === 'error') {
    body = <Placeholder>{errorLine(content.error)}</Placeholder>;
  } else if (file.streamed) {
    value = file.streamed; // closed just now: keep showing the streamed text until the disk copy arrives
  } else {
    body = <Placeholder>Loading…</Placeholder>;
  }

  const docId = `${taskId ?? ''}\u0000${path ?? ''}`;
  const size = content.status === 'ready' ? content.file.size : (file?.size ?? 0);

  return (
    <div className="editor-pane">
      <div className="pane-head editor-head">
        {path ? (
          <>
            <span className="editor-path" title={path}>
              {path}
              {dirty && <span className="dirty-dot" title="Unsaved changes (Ctrl/Cmd+S to save)" data-testid="dirty-marker">●</span>}
            </span>
            <span className="editor-meta">
              {streaming && <span className="badge badge-running"><span className="badge-pulse" />writing · read-only</span>}
              {file?.state === 'truncated' && <span className="badge badge-failed">cut off</span>}
              <span>{languageForPath(path)}</span>
              {!streaming && size > 0 && <span>{formatBytes(size)}</span>}
              {dirty && (
                <button type="button" className="btn btn-small" data-testid="save-button" onClick={() => saveRef.current?.()}>
                  Save
                </button>
              )}
            </span>
          </>
        ) : (
          <span className="muted">Editor</span>
        )}
      </div>
      {value !== null && path ? (
        <Suspense fallback={<Placeholder>Loading editor…</Placeholder>}>
          <MonacoEditor docId={docId} path={path} value={value} streaming={streaming} readOnly={readOnly} onDirtyChange={setDirty} onSave={onSave} registerSave={registerSave} />
        </Suspense>
      ) : (
        body
      )}
    </div>
  );
}
