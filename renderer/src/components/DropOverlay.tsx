// Drag and drop onto the window: a folder opens as the workspace (Electron gives its
// path through the preload's macsHost.pathForFile; a browser cannot, so the path dialog
// opens instead), files attach to the prompt (pinned when they lie in the open folder).
import { useEffect, useRef } from 'react';
import { attachDroppedFile } from '../store/context.js';
import { openFolderDialog, openWorkspace } from '../store/workspace.js';
import { useWs, wsStore } from '../store/workspace-state.js';
import { useApp } from '../store/app-state.js';

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

function pathOf(file: File): string | null {
  try {
    return window.macsHost?.pathForFile(file) || null;
  } catch {
    return null;
  }
}

interface Dropped {
  file: File;
  folder: boolean;
}

function readDrop(dt: DataTransfer): Dropped[] {
  const out: Dropped[] = [];
  const items = Array.from(dt.items ?? []);
  if (items.length > 0) {
    for (const item of items) {
      if (item.kind !== 'file') continue;
      const file = item.getAsFile();
      if (!file) continue;
      const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
      out.push({ file, folder: entry?.isDirectory ?? false });
    }
    return out;
  }
  for (const file of Array.from(dt.files ?? [])) out.push({ file, folder: false });
  return out;
}

export async function handleDrop(dropped: Dropped[]): Promise<void> {
  const folders = dropped.filter((d) => d.folder);
  const files = dropped.filter((d) => !d.folder);
  if (folders.length > 0) {
    const path = pathOf(folders[0].file);
    if (path) await openWorkspace(path);
    else
      openFolderDialog(
        `This browser does not tell MACS where “${folders[0].file.name}” is on disk. Type its full path below (it must be on the machine the engine runs on).`,
      );
  }
  for (const d of files) await attachDroppedFile(d.file, pathOf(d.file));
}

export function DropOverlay() {
  const dragging = useWs((s) => s.dragging);
  const open = useWs((s) => s.info !== null);
  const host = useApp((s) => s.host);
  const depth = useRef(0);

  useEffect(() => {
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      wsStore.setState({ dragging: true });
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) wsStore.setState({ dragging: false });
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); // never let the browser navigate to the dropped file
      depth.current = 0;
      wsStore.setState({ dragging: false });
      if (e.dataTransfer) void handleDrop(readDrop(e.dataTransfer));
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  if (!dragging) return null;
  const electron = host === 'electron';
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <svg viewBox="0 0 24 24" width="36" height="36" aria-hidden="true">
          <path d="M3 6.5h6l2 2h10v11H3z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
          <path d="M12 11v6M9 14l3 3 3-3" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <div className="drop-title">{electron ? 'Drop a folder to open it' : 'Drop files to attach them'}</div>
        <div className="drop-sub">
          {electron ? (
            <>Drop files to attach them to the prompt{open ? ' (files in the open folder are pinned as context)' : ''}.</>
          ) : (
            <>
              Dropped files are attached to the prompt. A browser cannot tell MACS where a dropped <em>folder</em> is, so for a folder you will be asked
              for its path.
            </>
          )}
        </div>
      </div>
    </div>
  );
}
