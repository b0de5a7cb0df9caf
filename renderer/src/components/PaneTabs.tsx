import type { KeyboardEvent } from 'react';
import { appStore, currentPaneTab, useApp, type PaneTab } from '../store/app-state.js';

const TABS: { id: PaneTab; label: string; title: string; buildOnly?: boolean }[] = [
  { id: 'chat', label: 'Chat', title: 'The conversation and the streamed answer' },
  { id: 'steps', label: 'Steps', title: 'The build pipeline: every step attempt, its test report, replay and inspect', buildOnly: true },
  { id: 'timeline', label: 'Timeline', title: 'Status, attempts and every event of this task' },
];

function select(tab: PaneTab): void {
  // Build tasks remember their own tab, so a chat task never lands on Steps and a build keeps it.
  if (appStore.getState().activeTask?.kind === 'build') appStore.setState({ buildPaneTab: tab });
  else appStore.setState({ paneTab: tab });
}

/** Chat | Timeline for a chat task; Chat | Steps | Timeline for a build task (Steps first shown). */
export function PaneTabs() {
  const tab = useApp(currentPaneTab);
  const build = useApp((s) => s.activeTask?.kind === 'build');
  const tabs = TABS.filter((t) => build || !t.buildOnly);

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
        </button>
      ))}
    </div>
  );
}
