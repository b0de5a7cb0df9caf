// The workbench's pane sizes: computed from the window width and the user's drags
// (lib/layout-sizing.ts), written to CSS variables on <html>, remembered per window size
// class (a small window keeps its own sizes), recomputed when the window is resized.
import { clampTerminalHeight, computeLayout, defaultTerminalHeight, sizeClass, type Layout, type LayoutPrefs } from '../lib/layout-sizing.js';
import { createStore, useStoreSelector } from './create-store.js';

const keyFor = (width: number) => `macs.layout.${sizeClass(width)}`;

function readPrefs(width: number): LayoutPrefs {
  try {
    const raw = localStorage.getItem(keyFor(width));
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as LayoutPrefs) : {};
  } catch {
    return {};
  }
}

function writePrefs(width: number, prefs: LayoutPrefs): void {
  try {
    localStorage.setItem(keyFor(width), JSON.stringify(prefs));
  } catch {
    // private mode: the sizes last this session only
  }
}

interface LayoutState extends Layout {
  prefs: LayoutPrefs;
  width: number;
  /** The window's height: the terminal's default and maximum follow it. */
  height: number;
}

const initialWidth = typeof window === 'undefined' ? 1440 : window.innerWidth;
const initialPrefs = readPrefs(initialWidth);
export const layoutStore = createStore<LayoutState>({
  ...computeLayout(initialWidth, initialPrefs),
  prefs: initialPrefs,
  width: initialWidth,
  height: typeof window === 'undefined' ? 900 : window.innerHeight,
});

export function useLayout<T>(selector: (s: LayoutState) => T): T {
  return useStoreSelector(layoutStore, selector);
}

function apply(): void {
  const s = layoutStore.getState();
  const root = document.documentElement.style;
  root.setProperty('--sidebar-width', `${s.sidebar}px`);
  root.setProperty('--files-width', `${s.files}px`);
  root.setProperty('--tree-width', `${s.tree}px`);
  document.documentElement.dataset.sidebar = s.sidebarRail ? 'rail' : 'full';
  document.documentElement.dataset.tree = s.treeOpen ? 'open' : 'closed';
}

function recompute(width: number, prefs: LayoutPrefs): void {
  layoutStore.setState({ ...computeLayout(width, prefs), prefs, width, height: window.innerHeight });
  apply();
}

/** Change some of the remembered sizes (a drag ended, a toggle) for this window's size class. */
export function setLayoutPrefs(patch: LayoutPrefs, remember = true): void {
  const { prefs, width } = layoutStore.getState();
  const next = { ...prefs, ...patch };
  for (const k of Object.keys(patch) as (keyof LayoutPrefs)[]) if (patch[k] === undefined) delete next[k];
  recompute(width, next);
  if (remember) writePrefs(width, next);
}

export function toggleTree(): void {
  setLayoutPrefs({ treeOpen: !layoutStore.getState().treeOpen });
}

export function toggleSidebar(): void {
  setLayoutPrefs({ sidebarOpen: layoutStore.getState().sidebarRail });
}

/** Start following the window: call once at boot. */
export function startLayout(): void {
  apply();
  window.addEventListener('resize', () => {
    const width = window.innerWidth;
    const prev = layoutStore.getState().width;
    recompute(width, sizeClass(width) === sizeClass(prev) ? layoutStore.getState().prefs : readPrefs(width));
  });
}

/** The terminal's height for this window: the one the user dragged to (per size class), else a small default. */
export function storedTerminalHeight(): number {
  const { prefs, height: h } = layoutStore.getState();
  const { terminal } = prefs;
  return clampTerminalHeight(terminal ?? defaultTerminalHeight(h), h);
}

/** Remember (or with null forget) the terminal height the user chose. */
export function rememberTerminalHeight(height: number | null): void {
  setLayoutPrefs({ terminal: height === null ? undefined : Math.round(height) });
}
