import { describe, expect, it } from 'vitest';
import {
  CHAT,
  clampTerminalHeight,
  COLLAPSE_BELOW,
  computeLayout,
  defaultTerminalHeight,
  EDITOR_MIN,
  FILES,
  SIDEBAR,
  sizeClass,
  TERMINAL,
  TREE,
  TREE_RAIL,
} from '../../renderer/src/lib/layout-sizing.js';

/** ~7.8 px a monospace column at 13 px, plus Monaco's gutter (line numbers, folding). */
const columns = (editorPx: number) => Math.floor((editorPx - 30 - 64) / 7.8);

describe('computeLayout', () => {
  it('fills the window exactly: sidebar + chat + files', () => {
    for (const w of [900, 1024, 1199, 1200, 1440, 1920, 2560]) {
      const l = computeLayout(w);
      expect(l.sidebar + l.chat + l.files).toBe(w);
      expect(l.tree + l.editor + TREE_RAIL).toBe(l.files);
    }
  });

  it('at 1440 wide shows everything with the defaults', () => {
    const l = computeLayout(1440);
    expect(l.sidebarRail).toBe(false);
    expect(l.treeOpen).toBe(true);
    expect(l.sidebar).toBe(SIDEBAR.default);
    expect(l.tree).toBe(TREE.default);
    expect(l.chat).toBeGreaterThanOrEqual(CHAT.min);
  });

  it('below the collapse width folds the sidebar to a rail and the tree away; the editor keeps ≥ 60 columns at 1024', () => {
    const l = computeLayout(1024);
    expect(1024).toBeLessThan(COLLAPSE_BELOW);
    expect(l.sidebarRail).toBe(true);
    expect(l.sidebar).toBe(SIDEBAR.rail);
    expect(l.treeOpen).toBe(false);
    expect(l.chat).toBeGreaterThanOrEqual(CHAT.min);
    expect(columns(l.editor)).toBeGreaterThanOrEqual(60);
    // Just above the threshold nothing folds.
    expect(computeLayout(COLLAPSE_BELOW).sidebarRail).toBe(false);
  });

  it('opening the tree on a narrow window still leaves the editor its minimum', () => {
    const l = computeLayout(1024, { treeOpen: true, tree: 400 });
    expect(l.treeOpen).toBe(true);
    expect(l.editor).toBeGreaterThanOrEqual(EDITOR_MIN);
    expect(l.tree).toBeGreaterThanOrEqual(TREE.min);
  });

  it('clamps dragged sizes to the minimums and maximums', () => {
    const tiny = computeLayout(1440, { sidebar: 10, files: 10, tree: 10 });
    expect(tiny.sidebar).toBe(SIDEBAR.min);
    expect(tiny.files).toBe(TREE_RAIL + TREE.min + EDITOR_MIN);
    expect(tiny.tree).toBe(TREE.min);
    expect(computeLayout(1440, { files: 10, treeOpen: false }).files).toBe(FILES.min);
    const huge = computeLayout(1440, { sidebar: 5000, files: 5000, tree: 5000 });
    expect(huge.sidebar).toBe(SIDEBAR.max);
    expect(huge.chat).toBe(CHAT.min);
    expect(huge.editor).toBeGreaterThanOrEqual(EDITOR_MIN);
  });

  it('keeps a usable chat column (composer ≥ 300 px) at 1024 whatever sizes were remembered', () => {
    const remembered = [
      {},
      { sidebarOpen: true },
      { sidebarOpen: true, sidebar: 400 },
      { sidebarOpen: true, sidebar: 400, treeOpen: true, tree: 420, files: 5000 },
      { treeOpen: true, tree: 420, files: 5000 },
      { files: 5000 },
    ];
    for (const prefs of remembered) {
      const l = computeLayout(1024, prefs);
      expect(l.chat, JSON.stringify(prefs)).toBeGreaterThanOrEqual(CHAT.min);
      // The composer's box: the chat column less its 16 px paddings.
      expect(l.chat - 32).toBeGreaterThanOrEqual(300);
      expect(l.editor, JSON.stringify(prefs)).toBeGreaterThanOrEqual(EDITOR_MIN);
      expect(l.sidebar + l.chat + l.files).toBe(1024);
    }
  });

  it('honours an explicit unfold/fold over the window default', () => {
    expect(computeLayout(1024, { sidebarOpen: true }).sidebarRail).toBe(false);
    expect(computeLayout(1440, { sidebarOpen: false }).sidebarRail).toBe(true);
    expect(computeLayout(1440, { treeOpen: false }).tree).toBe(0);
  });
});

describe('size classes and the terminal height', () => {
  it('classes windows by width', () => {
    expect(sizeClass(1024)).toBe('narrow');
    expect(sizeClass(1440)).toBe('medium');
    expect(sizeClass(1920)).toBe('wide');
  });

  it('defaults to well under a third of the window', () => {
    for (const h of [640, 768, 900, 1200]) {
      const d = defaultTerminalHeight(h);
      expect(d).toBeLessThan(h / 3 - 40);
      expect(d).toBeGreaterThanOrEqual(TERMINAL.defaultMin);
    }
    expect(defaultTerminalHeight(900)).toBeLessThanOrEqual(200);
  });

  it('clamps a dragged height: not below the minimum, not crowding the panes above', () => {
    expect(clampTerminalHeight(10, 900)).toBe(TERMINAL.min);
    expect(clampTerminalHeight(5000, 900)).toBeLessThanOrEqual(900 * 0.6);
    expect(clampTerminalHeight(5000, 640)).toBeLessThanOrEqual(640 - 72 - 220);
  });
});
