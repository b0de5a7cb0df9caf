import { appStore, useApp, type PaneTab } from '../store/app-state.js';

const TABS: { id: PaneTab; label: string; title: string }[] = [
  { id: 'chat', label: 'Chat', title: 'The conversation and the streamed answer' },
  { id: 'timeline', label: 'Timeline', title: 'Status, attempts and every event of this task' },
];

/** Chat | Timeline for the selected task. */
export function PaneTabs() {
  const tab = useApp((s) => s.paneTab);
  return (
    <div className="pane-tabs" role="tablist" aria-label="Task view">
      {TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          aria-selected={tab === t.id}
          className={`pane-tab${tab === t.id ? ' active' : ''}`}
          data-testid={`tab-${t.id}`}
          title={t.title}
          onClick={() => appStore.setState({ paneTab: t.id })}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
