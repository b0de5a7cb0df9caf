// The Settings dialog's two tabs: General (engine settings, one Save) and Providers (applies at once).
export type SettingsTab = 'general' | 'providers';

const TABS: { id: SettingsTab; label: string }[] = [
  { id: 'general', label: 'General' },
  { id: 'providers', label: 'Providers' },
];

export function SettingsTabs({ tab, onTab }: { tab: SettingsTab; onTab: (t: SettingsTab) => void }) {
  return (
    <div className="settings-tabs" role="tablist" aria-label="Settings sections">
      {TABS.map((t, i) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`settings-tab-${t.id}`}
          aria-selected={tab === t.id}
          aria-controls={tab === t.id ? `settings-panel-${t.id}` : undefined}
          tabIndex={tab === t.id ? 0 : -1}
          className={`settings-tab${tab === t.id ? ' selected' : ''}`}
          data-testid={`settings-tab-${t.id}`}
          onClick={() => onTab(t.id)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
            const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
            onTab(next.id);
            document.getElementById(`settings-tab-${next.id}`)?.focus();
          }}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
