// Recently opened folders (workspaces.recent): open one, or forget it.
import type { WorkspaceInfo } from '../../../shared/index.js';
import { formatRelativeTime } from '../lib/format.js';
import { forgetRecent, openWorkspace } from '../store/workspace.js';
import { useWs } from '../store/workspace-state.js';
import { FolderGlyph } from './WsIcons.js';

function RecentRow({ ws, onOpened }: { ws: WorkspaceInfo; onOpened?: () => void }) {
  const current = useWs((s) => s.info?.root === ws.root);
  const opening = useWs((s) => s.opening);
  return (
    <li className={`recent-row${ws.exists ? '' : ' missing'}${current ? ' current' : ''}`} data-testid="recent-workspace" data-root={ws.root}>
      <button
        type="button"
        className="recent-open"
        disabled={!ws.exists || opening}
        title={ws.exists ? `Open ${ws.root}` : `${ws.root} is not there any more`}
        onClick={() => void openWorkspace(ws.root).then((ok) => ok && onOpened?.())}
      >
        <FolderGlyph />
        <span className="recent-text">
          <span className="recent-name">
            {ws.name}
            {ws.isGitRepo && <span className="recent-tag">git</span>}
            {!ws.exists && <span className="recent-tag recent-tag-missing">missing</span>}
            {current && <span className="recent-tag recent-tag-open">open</span>}
          </span>
          <span className="recent-root">{ws.root}</span>
        </span>
        <span className="recent-when">{formatRelativeTime(ws.openedAt)}</span>
      </button>
      {/* The open folder stays: forgetting it also stops the engine watching and serving it. */}
      {!current && (
        <button type="button" className="recent-forget" aria-label={`Forget ${ws.root}`} title="Remove from the recent list (the folder is not touched)" data-testid="recent-forget" onClick={() => void forgetRecent(ws.root)}>
          ×
        </button>
      )}
    </li>
  );
}

export function RecentWorkspaces({ limit, onOpened, emptyText }: { limit?: number; onOpened?: () => void; emptyText?: string }) {
  const recent = useWs((s) => s.recent);
  const loaded = useWs((s) => s.recentLoaded);
  const list = limit ? recent.slice(0, limit) : recent;
  if (loaded && list.length === 0) return emptyText ? <div className="recent-empty">{emptyText}</div> : null;
  return (
    <ul className="recent-list" data-testid="recent-workspaces">
      {list.map((ws) => (
        <RecentRow key={ws.root} ws={ws} onOpened={onOpened} />
      ))}
    </ul>
  );
}
