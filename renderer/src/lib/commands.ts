// The command palette's logic, free of React and stores (unit-tested): a registry of
// commands, a fuzzy filter ranking them for what the user typed, and keyboard shortcuts
// ("Mod+K": Ctrl on Windows/Linux, ⌘ on macOS) matched against key events and shown.
// A hand-written scorer: the palette holds ~40 commands, and cmdk would bring its own UI.

export interface Command {
  /** Stable id ("project.new"): the e2e tests and the shortcuts list name commands by it. */
  id: string;
  title: string;
  /** Groups the shortcuts list and shows beside the title ("Project", "View", …). */
  category: string;
  /** "Mod+Shift+P", "F2"; shown in the palette and matched by the global key handler unless `shownOnly`. */
  shortcut?: string;
  /** Only shown: another part of the app handles the key itself (the editor's Ctrl+S, the tree's F2). */
  shownOnly?: boolean;
  /** More words that should find it ("dark" finds "Theme: dark"). */
  keywords?: string[];
  /** Offered now? (A project is selected, an app runs, …). Default: always. */
  enabled?: () => boolean;
  run: () => void | Promise<void>;
}

export class CommandRegistry {
  private readonly byId = new Map<string, Command>();

  /** Add commands; an id registered twice is a programming error (two would fight for one key). */
  register(...commands: Command[]): void {
    for (const c of commands) {
      if (this.byId.has(c.id)) throw new Error(`Command ${c.id} is registered twice.`);
      this.byId.set(c.id, c);
    }
  }

  get(id: string): Command | undefined {
    return this.byId.get(id);
  }

  all(): Command[] {
    return [...this.byId.values()];
  }

  /** The commands offered now (enabled), in registration order. */
  available(): Command[] {
    return this.all().filter((c) => c.enabled?.() ?? true);
  }

  /** The command a key event triggers (enabled, with a matching shortcut the palette handles). */
  forKey(event: KeyLike, isMac: boolean): Command | undefined {
    return this.available().find((c) => c.shortcut && !c.shownOnly && matchesShortcut(event, c.shortcut, isMac));
  }
}

/**
 * How well `query` matches `text`, or null when it does not: every character of the query
 * must appear in order (case-insensitive). Consecutive letters and letters that start a
 * word score more, so "tt" ranks "Toggle Terminal" above "Settings".
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (q === '') return 0;
  const t = text.toLowerCase();
  let score = 0;
  let ti = 0;
  let prevMatch = -2;
  for (const ch of q) {
    const found = t.indexOf(ch, ti);
    if (found < 0) return null;
    const wordStart = found === 0 || /[\s:/\-_.]/.test(t[found - 1]);
    score += 1 + (found === prevMatch + 1 ? 3 : 0) + (wordStart ? 4 : 0) - Math.min(2, (found - ti) * 0.1);
    prevMatch = found;
    ti = found + 1;
  }
  // Shorter texts for the same match: "Open folder" before "Open folder in a new window".
  return score - t.length * 0.01;
}

/** The commands matching `query`, best first (registration order when the query is empty or scores tie). */
export function filterCommands(commands: readonly Command[], query: string): Command[] {
  const scored: { c: Command; s: number; i: number }[] = [];
  commands.forEach((c, i) => {
    const inTitle = fuzzyScore(query, `${c.category}: ${c.title}`);
    const inKeywords = c.keywords?.length ? fuzzyScore(query, c.keywords.join(' ')) : null;
    const s = inTitle ?? (inKeywords === null ? null : inKeywords - 5);
    if (s !== null) scored.push({ c, s, i });
  });
  if (query.trim() === '') return scored.map((x) => x.c);
  return scored.sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.c);
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface ParsedShortcut {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  key: string;
}

function parseShortcut(shortcut: string): ParsedShortcut {
  const parts = shortcut.split('+');
  const key = parts.pop() ?? '';
  return { mod: parts.includes('Mod'), shift: parts.includes('Shift'), alt: parts.includes('Alt'), key: key.toLowerCase() };
}

/** Mod is ⌘ on macOS and Ctrl elsewhere; the other of the two must not be held. */
export function matchesShortcut(e: KeyLike, shortcut: string, isMac: boolean): boolean {
  const s = parseShortcut(shortcut);
  const mod = isMac ? e.metaKey : e.ctrlKey;
  const otherMod = isMac ? e.ctrlKey : e.metaKey;
  if (mod !== s.mod || otherMod || e.altKey !== s.alt) return false;
  // Shift changes the key itself for symbols ("?" is Shift+/): compare the key, and Shift only for letters and named keys.
  const key = e.key.toLowerCase();
  if (key === s.key) return s.key.length === 1 && !/[a-z0-9]/.test(s.key) ? true : e.shiftKey === s.shift;
  return false;
}

/** "Mod+Shift+P" → "Ctrl+Shift+P" (or "⌘⇧P" on macOS). */
export function formatShortcut(shortcut: string, isMac: boolean): string {
  const s = parseShortcut(shortcut);
  const key = s.key.length === 1 ? s.key.toUpperCase() : shortcut.split('+').pop() ?? '';
  if (isMac) return `${s.mod ? '⌘' : ''}${s.alt ? '⌥' : ''}${s.shift ? '⇧' : ''}${key}`;
  return [s.mod ? 'Ctrl' : '', s.alt ? 'Alt' : '', s.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}

export const isMacPlatform = (platform: string | undefined): boolean => /mac|darwin/i.test(platform ?? '');
