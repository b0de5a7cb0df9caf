// Settings → Appearance: light, dark, or follow the system. Applies at once (no Save needed):
// it is this machine's display choice, not an engine setting.
import { setThemePref, useTheme, type ThemePref } from '../store/theme.js';

const CHOICES: { value: ThemePref; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function ThemeField() {
  const pref = useTheme((s) => s.pref);
  const resolved = useTheme((s) => s.resolved);
  return (
    <div className="field" data-testid="theme-field">
      <span className="field-label" id="theme-label">
        Appearance
      </span>
      <div className="theme-choices" role="radiogroup" aria-labelledby="theme-label">
        {CHOICES.map((c) => (
          <label key={c.value} className={`theme-choice${pref === c.value ? ' selected' : ''}`}>
            <input type="radio" name="macs-theme" value={c.value} checked={pref === c.value} data-testid={`theme-${c.value}`} onChange={() => setThemePref(c.value)} />
            {c.label}
          </label>
        ))}
      </div>
      <span className="field-help">{pref === 'system' ? `Follows the system’s setting (now ${resolved}).` : 'Applies to the editor and the terminal too.'}</span>
    </div>
  );
}
