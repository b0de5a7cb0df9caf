import { useEffect, type KeyboardEvent } from 'react';
import { appStore, selectActiveProject, useApp, type PaneTab } from '../store/app-state.js';
import { changeCounts, loadChanges, useChanges } from '../store/changes.js';
import { useShownPaneTab } from '../hooks/use-pane-tab.js';

const TABS: { id: PaneTab; label: string; title: string; buildOnly?: boolean; folderOnly?: boolean; turnOnly?: boolean }[] = [
  { id: 'chat', label: 'Chat', title: 'The conversation: every turn of the project' },
  { id: 'steps', label: 'Steps', title: 'The build pipeline of the turn followed: every step attempt, its test report, replay and inspect', buildOnly: true },
  { id: 'changes', label: 'Changes', title: 'What the turn followed changed in the folder: diff, accept, revert, undo', folderOnly: true },
  { id: 'versions', label: 'Versions', title: 'Every version of the project: diff, restore, undo the last turn, export' },
  { id: 'timeline', label: 'Timeline', title: 'Status, attempts and every event of the turn followed', turnOnly: true },
];

/** How many files the task changed, on its tab (loaded as soon as a folder task is shown, and again when it ends). */
function ChangesCount() {
  const taskId = useApp((s) => s.activeTaskId);
  const root = useApp((s) => s.activeTask?.workspacePath ?? null);
  const status = useApp((s) => s.activeTask?.status ?? null);
  const total = useChanges((s) => (s.taskId === taskId ? changeCounts(s.list).total : 0));
  useEffect(() => {
    if (taskId && root && status !== 'queued') void loadChanges(taskId, root);
  }, [taskId, root, status]);
  return total > 0 ? <span className="pane-tab-count">{total}</span> : null;
}

function select(tab: PaneTab): void {
  // Build tasks remember their own tab, so a chat task never lands on Steps and a build keeps it.
  if (appStore.getState().activeTask?.kind === 'build') appStore.setState({ buildPaneTab: tab, paneTab: tab === 'steps' ? appStore.getState().paneTab : tab });
  else appStore.setState({ paneTab: tab });
}

/** Chat | Versions | Timeline; Steps when the turn followed is a build; Changes when the project is an opened folder. */
export function PaneTabs() {
  const tab = useShownPaneTab();
  const build = useApp((s) => s.activeTask?.kind === 'build');
  const folder = useApp((s) => selectActiveProject(s)?.kind === 'folder');
  const turn = useApp((s) => s.activeTaskId !== null);
  const tabs = TABS.filter((t) => (build || !t.buildOnly) && (folder || !t.folderOnly) && (turn || (!t.turnOnly && !t.folderOnly)));

  // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const i = tabs.findIndex((t) => t.id === tab);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    select(next.id);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-testid="tab-${next.id}"]`)?.focus();
  };

  return (
    <div className="pane-tabs" role="tablist" aria-label="Task view" onKeyDown={onKey}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          aria-selected={tab === t.id}
          tabIndex={tab === t.id ? 0 : -1}
          className={`pane-tab${tab === t.id ? ' active' : ''}`}
          data-testid={`tab-${t.id}`}
          title={t.title}
          onClick={() => select(t.id)}
        >
          {t.label}
          {t.id === 'changes' && <ChangesCount />}
        </button>
      ))}
    </div>
  );
}
