// Light, dark, or follow the system (the default): the choice is this machine's (localStorage),
// the resolved theme goes on <html data-theme> for the CSS variables, and Monaco and xterm.js
// follow it live (they subscribe here).
import { createStore, useStoreSelector } from './create-store.js';

export type ThemePref = 'system' | 'light' | 'dark';
export type ResolvedTheme = 'light' | 'dark';

const KEY = 'macs.theme';
const QUERY = '(prefers-color-scheme: light)';

export function resolveTheme(pref: ThemePref, systemPrefersLight: boolean): ResolvedTheme {
  if (pref === 'system') return systemPrefersLight ? 'light' : 'dark';
  return pref;
}

function readPref(): ThemePref {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

const systemLight = () => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(QUERY).matches;

const initialPref = readPref();
export const themeStore = createStore<{ pref: ThemePref; resolved: ResolvedTheme }>({ pref: initialPref, resolved: resolveTheme(initialPref, systemLight()) });

export function useTheme<T>(selector: (s: { pref: ThemePref; resolved: ResolvedTheme }) => T): T {
  return useStoreSelector(themeStore, selector);
}

function apply(): void {
  const { resolved } = themeStore.getState();
  document.documentElement.dataset.theme = resolved;
}

export function setThemePref(pref: ThemePref): void {
  try {
    if (pref === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, pref);
  } catch {
    // private mode: the choice lasts this session only
  }
  themeStore.setState({ pref, resolved: resolveTheme(pref, systemLight()) });
  apply();
}

/** Put the theme on the page and follow the system's changes: call once at boot. */
export function startTheme(): void {
  apply();
  if (typeof window.matchMedia !== 'function') return;
  window.matchMedia(QUERY).addEventListener('change', (e) => {
    const { pref } = themeStore.getState();
    themeStore.setState({ resolved: resolveTheme(pref, e.matches) });
    apply();
  });
}
