// The workbench's pane sizes, as pure functions: minimums, the widths a drag may reach, when a
// narrow window collapses the file tree and the sidebar, and the terminal's default height.
// Layout.ts applies them to CSS variables; the tests check them without a browser.

/** Below this window width the sidebar becomes an icon rail and the file tree a toggle. */
export const COLLAPSE_BELOW = 1200;

export const SIDEBAR = { min: 180, max: 400, default: 248, rail: 52 } as const;
/** The chat column: 340 px keeps the composer's box ≥ 300 px wide (the column's 16 px paddings aside). */
export const CHAT = { min: 340 } as const;
/** The Files pane (tree + editor): the editor keeps ~60 monospace columns plus its gutter. */
export const FILES = { min: 520, defaultShare: 0.64 } as const;
/** The slim strip with the tree's toggle on the Files pane's left edge (panes.css). */
export const TREE_RAIL = 30;
export const TREE = { min: 150, max: 420, default: 220 } as const;
export const EDITOR_MIN = 400;
export const TERMINAL = { min: 110, max: 0.6, share: 0.22, defaultMax: 240, defaultMin: 130 } as const;
/** The top bar and status bar above and below the workbench. */
export const CHROME_HEIGHT = 46 + 26;
/** Room the chat/editor keep above the terminal. */
export const KEEP_ABOVE_TERMINAL = 220;

export type SizeClass = 'narrow' | 'medium' | 'wide';

/** A window's size class: sizes are remembered per class, so a small window keeps small panes. */
export function sizeClass(width: number): SizeClass {
  if (width < COLLAPSE_BELOW) return 'narrow';
  if (width < 1600) return 'medium';
  return 'wide';
}

export interface LayoutPrefs {
  sidebar?: number;
  files?: number;
  tree?: number;
  terminal?: number;
  /** The user opened the tree (or the sidebar) on a narrow window, or closed it on a wide one. */
  treeOpen?: boolean;
  sidebarOpen?: boolean;
}

export interface Layout {
  sidebar: number;
  sidebarRail: boolean;
  files: number;
  tree: number;
  treeOpen: boolean;
  chat: number;
  editor: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.round(Math.min(Math.max(v, lo), Math.max(lo, hi)));

/** The columns for a window `width` wide, honouring the user's sizes where they still fit.
 *  What gives way when they do not, in order: the Files pane under its preferred minimum (down to
 *  the editor's own), then the tree, then the sidebar (to its rail) — never the chat column, whose
 *  composer must stay usable whatever sizes were remembered. */
export function computeLayout(width: number, prefs: LayoutPrefs = {}): Layout {
  const narrow = width < COLLAPSE_BELOW;
  const filesFloor = TREE_RAIL + EDITOR_MIN;
  const sidebarFits = width - SIDEBAR.min - CHAT.min - filesFloor >= 0;
  const sidebarRail = !(prefs.sidebarOpen ?? !narrow) || !sidebarFits;
  const sidebar = sidebarRail ? SIDEBAR.rail : clamp(prefs.sidebar ?? SIDEBAR.default, SIDEBAR.min, Math.min(SIDEBAR.max, width - CHAT.min - FILES.min));
  const room = width - sidebar;
  const wantedFiles = prefs.files ?? Math.round(room * FILES.defaultShare);
  const treeWanted = prefs.treeOpen ?? !narrow;
  // An open tree needs its own minimum beside the editor's: the Files pane grows for it where it can.
  const filesMin = treeWanted ? Math.max(FILES.min, TREE_RAIL + TREE.min + EDITOR_MIN) : FILES.min;
  const files = clamp(wantedFiles, Math.min(filesMin, room - CHAT.min), room - CHAT.min);
  const treeOpen = treeWanted && files - TREE_RAIL - TREE.min >= EDITOR_MIN;
  const tree = treeOpen ? clamp(prefs.tree ?? TREE.default, TREE.min, Math.min(TREE.max, files - TREE_RAIL - EDITOR_MIN)) : 0;
  return { sidebar, sidebarRail, files, tree, treeOpen, chat: room - files, editor: files - TREE_RAIL - tree };
}

/** The terminal's height when the user has not chosen one: small, a fifth of the window or so. */
export function defaultTerminalHeight(windowHeight: number): number {
  return clamp(windowHeight * TERMINAL.share, TERMINAL.defaultMin, TERMINAL.defaultMax);
}

/** A terminal height the window can hold: never under the minimum, never crowding out the panes above. */
export function clampTerminalHeight(height: number, windowHeight: number): number {
  const max = Math.min(windowHeight * TERMINAL.max, windowHeight - CHROME_HEIGHT - KEEP_ABOVE_TERMINAL);
  return clamp(height, TERMINAL.min, max);
}
