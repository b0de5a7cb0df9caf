// The command palette (Ctrl/Cmd+K or Ctrl/Cmd+Shift+P) and the keyboard shortcuts list
// (Ctrl/Cmd+/): every action of the app, filtered as you type (fuzzy), run with Enter;
// keyboard only: ↑ ↓ move, Enter runs, Escape closes. Also the global key handler that
// runs commands by their shortcuts.
import { useEffect, useMemo, useRef, useState } from 'react';
import { filterCommands, formatShortcut, type Command } from '../lib/commands.js';
import { closePalette, commands, isMac, openPalette, paletteStore, shortcutRows, usePalette, type ShortcutRow } from '../store/app-commands.js';

/** Keys typed into a terminal stay there (Ctrl+K kills the line in a shell). */
const inTerminal = (target: EventTarget | null) => !!(target as HTMLElement | null)?.closest?.('.xterm');

function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || inTerminal(e.target)) return;
      const command = commands.forKey(e, isMac());
      if (!command) return;
      // The palette's own keys toggle it.
      if (paletteStore.getState().open && (command.id === 'palette.open' || command.id === 'palette.openAlt')) {
        e.preventDefault();
        closePalette();
        return;
      }
      e.preventDefault();
      closePalette();
      void command.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function Shortcut({ shortcut }: { shortcut?: string }) {
  if (!shortcut) return null;
  return <kbd className="palette-kbd">{formatShortcut(shortcut, isMac())}</kbd>;
}

function CommandList({ onDone }: { onDone: () => void }) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  // Offered commands, once per opening (enabled() reads the stores as they are now).
  const available = useMemo(() => commands.available().filter((c) => c.id !== 'palette.openAlt' && c.id !== 'palette.open'), []);
  const shown = useMemo(() => filterCommands(available, query), [available, query]);
  const selected = shown[Math.min(index, shown.length - 1)] as Command | undefined;

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [index, query]);

  const run = (c: Command | undefined) => {
    if (!c) return;
    onDone();
    void c.run();
  };

  return (
    <>
      <input
        ref={input}
        className="palette-input"
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={selected ? `palette-${selected.id}` : undefined}
        aria-label="Type a command"
        placeholder="Type a command…"
        spellCheck={false}
        autoComplete="off"
        value={query}
        data-testid="palette-input"
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setIndex((i) => Math.min(shown.length - 1, i + 1));
          else if (e.key === 'ArrowUp') setIndex((i) => Math.max(0, i - 1));
          else if (e.key === 'PageDown') setIndex((i) => Math.min(shown.length - 1, i + 8));
          else if (e.key === 'PageUp') setIndex((i) => Math.max(0, i - 8));
          else if (e.key === 'Enter') run(selected);
          else return;
          e.preventDefault();
        }}
      />
      <ul ref={list} id="palette-list" className="palette-list" role="listbox" aria-label="Commands" data-testid="palette-list">
        {shown.length === 0 && <li className="palette-empty">No command matches “{query}”.</li>}
        {shown.map((c, i) => (
          <li
            key={c.id}
            id={`palette-${c.id}`}
            role="option"
            aria-selected={c === selected}
            className={`palette-item${c === selected ? ' selected' : ''}`}
            data-testid="palette-item"
            data-command={c.id}
            onMouseMove={() => setIndex(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run(c)}
          >
            <span className="palette-category">{c.category}</span>
            <span className="palette-title">{c.title}</span>
            <Shortcut shortcut={c.shortcut} />
          </li>
        ))}
      </ul>
    </>
  );
}

function ShortcutsList() {
  const groups = useMemo(() => {
    const out = new Map<string, ShortcutRow[]>();
    for (const r of shortcutRows()) out.set(r.category, [...(out.get(r.category) ?? []), r]);
    return [...out.entries()];
  }, []);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} className="shortcuts-list" tabIndex={-1} data-testid="shortcuts-list">
      {groups.map(([category, list]) => (
        <section key={category}>
          <h3>{category}</h3>
          <dl>
            {list.map((r) => (
              <div key={r.id} className="shortcut-row">
                <dt>{r.title}</dt>
                <dd>
                  {r.shortcuts.map((s, i) => (
                    <span key={s}>
                      {i > 0 && <span className="muted"> or </span>}
                      <Shortcut shortcut={s} />
                    </span>
                  ))}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <p className="muted shortcuts-more">
        In the file tree: ↑ ↓ move, → ← open and close folders, Enter opens, F2 renames, Delete moves to the trash (Ctrl+Z brings it back), Shift+F10 shows the actions. Ctrl+` toggles the terminal too.
      </p>
      <button type="button" className="btn btn-small" onClick={() => openPalette('commands')}>
        All commands…
      </button>
    </div>
  );
}

export function CommandPalette() {
  useGlobalShortcuts();
  const open = usePalette((s) => s.open);
  const returnFocus = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (!open) return;
    returnFocus.current ??= document.activeElement as HTMLElement | null;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      done();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open]);

  const done = () => {
    closePalette();
    const back = returnFocus.current;
    returnFocus.current = null;
    // Back where the user was, unless the command moved the focus (a dialog, the prompt).
    requestAnimationFrame(() => {
      if (document.activeElement === document.body && back?.isConnected) back.focus();
    });
  };

  if (!open) return null;
  return (
    <div className="modal-backdrop palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && done()}>
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label={open === 'commands' ? 'Command palette' : 'Keyboard shortcuts'}
        data-testid={open === 'commands' ? 'command-palette' : 'shortcuts-dialog'}
      >
        {open === 'commands' ? <CommandList key="commands" onDone={done} /> : (
          <>
            <h2 className="palette-heading">Keyboard shortcuts</h2>
            <ShortcutsList />
          </>
        )}
      </div>
    </div>
  );
}
