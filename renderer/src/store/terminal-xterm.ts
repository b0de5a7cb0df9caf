// One xterm.js instance per session: theme, addons and the keys a terminal pane needs.
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { copyText } from '../lib/clipboard.js';
import { themeStore } from './theme.js';

export const SCROLLBACK_LINES = 10_000;

/** The app's palette (base.css) so the terminal does not look pasted in. */
const DARK: ITheme = {
  background: '#0f1115',
  foreground: '#d7dae0',
  cursor: '#6aa1ff',
  cursorAccent: '#0f1115',
  selectionBackground: '#4c8dff55',
  black: '#1a1d24',
  red: '#f85149',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#4c8dff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#d7dae0',
  brightBlack: '#5c6370',
  brightRed: '#ff7b72',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#f0f2f5',
};

/** The light theme's palette: ANSI colors dark enough to read on white. */
const LIGHT: ITheme = {
  background: '#ffffff',
  foreground: '#1f2329',
  cursor: '#2f6fde',
  cursorAccent: '#ffffff',
  selectionBackground: '#2f6fde40',
  black: '#1f2329',
  red: '#cf222e',
  green: '#1a7f37',
  yellow: '#9a6700',
  blue: '#0969da',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#116329',
  brightYellow: '#7d4e00',
  brightBlue: '#218bff',
  brightMagenta: '#a475f9',
  brightCyan: '#3192aa',
  brightWhite: '#8c959f',
};

export const xtermTheme = (): ITheme => (themeStore.getState().resolved === 'light' ? LIGHT : DARK);

/** Live terminals, restyled when the theme changes. */
const live = new Set<Terminal>();
themeStore.subscribe(() => {
  const theme = xtermTheme();
  for (const term of live) term.options.theme = theme;
});

export interface XtermParts {
  term: Terminal;
  fit: FitAddon;
  search: SearchAddon;
}

export interface XtermHooks {
  /** Ctrl/Cmd+F inside the terminal. */
  onFind: () => void;
  /** Escape while the search box is open. */
  onEscape: () => boolean;
}

export function createXterm(readOnly: boolean, hooks: XtermHooks): XtermParts {
  const term = new Terminal({
    scrollback: SCROLLBACK_LINES,
    fontFamily: "'JetBrains Mono', 'Fira Code', 'Cascadia Code', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
    fontSize: 12.5,
    lineHeight: 1.15,
    theme: xtermTheme(),
    cursorBlink: !readOnly,
    cursorStyle: 'bar',
    cursorInactiveStyle: readOnly ? 'none' : 'outline',
    disableStdin: readOnly,
    // The Runs log is written by the engine without a pty: let bare \n start a new line.
    convertEol: readOnly,
    allowProposedApi: true,
  });
  const fit = new FitAddon();
  const search = new SearchAddon({ highlightLimit: 2000 });
  term.loadAddon(fit);
  term.loadAddon(search);
  live.add(term);
  // Addons are disposed with their terminal: the theme stops following a closed one.
  term.loadAddon({ activate: () => undefined, dispose: () => live.delete(term) });

  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown') return true;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.shiftKey && !e.altKey && e.code === 'KeyF') {
      e.preventDefault();
      hooks.onFind();
      return false;
    }
    if (e.key === 'Escape' && hooks.onEscape()) return false;
    // A read-only log (Runs, App) takes no input: Tab moves focus on instead of being swallowed (a keyboard trap).
    if (readOnly && e.key === 'Tab') return false;
    // Ctrl+` toggles the panel (TerminalPanel listens on the window); do not send it to the shell.
    if (e.ctrlKey && e.code === 'Backquote') return false;
    // Ctrl+Shift+C copies (plain Ctrl+C is the shell's interrupt); Cmd+C on macOS when text is selected.
    if ((mod && e.shiftKey && e.code === 'KeyC') || (e.metaKey && e.code === 'KeyC' && term.hasSelection())) {
      e.preventDefault();
      if (term.hasSelection()) void copyText(term.getSelection()).then(() => term.focus());
      return false;
    }
    // Ctrl+Shift+V: leave the key to the browser, whose native paste event xterm turns into
    // input (bracketed when the shell asks). No clipboard permission needed.
    if (mod && e.shiftKey && e.code === 'KeyV') return false;
    return true;
  });

  // Copy on selection, as terminals on Linux do. Only the async API: the execCommand
  // fallback would move focus out of the terminal mid-selection.
  let copyTimer: ReturnType<typeof setTimeout> | null = null;
  term.onSelectionChange(() => {
    if (copyTimer) clearTimeout(copyTimer);
    copyTimer = setTimeout(() => {
      const text = term.getSelection();
      if (text && navigator.clipboard && window.isSecureContext) void navigator.clipboard.writeText(text).catch(() => undefined);
    }, 150);
  });
  return { term, fit, search };
}
