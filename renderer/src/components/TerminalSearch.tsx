import { useEffect, useRef, useState } from 'react';
import type { ISearchOptions } from '@xterm/addon-search';
import { getStream } from '../store/terminal-registry.js';
import { setSearchOpen } from '../store/terminal.js';

const DECORATIONS: ISearchOptions['decorations'] = {
  matchBackground: '#4c8dff33',
  matchOverviewRuler: '#4c8dff',
  activeMatchBackground: '#d2992266',
  activeMatchBorder: '#d29922',
  activeMatchColorOverviewRuler: '#d29922',
};

/** Find in the shown session's scrollback (Ctrl/Cmd+F in the terminal; Enter / Shift+Enter; Esc closes). */
export function TerminalSearch({ sessionId }: { sessionId: string }) {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<{ index: number; count: number } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const search = getStream(sessionId)?.parts.search;

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
    if (!search) return;
    const sub = search.onDidChangeResults((e) => setResult({ index: e.resultIndex, count: e.resultCount }));
    return () => {
      sub.dispose();
      search.clearDecorations();
    };
  }, [search]);

  const find = (forward: boolean, incremental = false) => {
    if (!search) return;
    if (!query) {
      search.clearDecorations();
      setResult(null);
      return;
    }
    const options: ISearchOptions = { decorations: DECORATIONS, incremental };
    if (forward) search.findNext(query, options);
    else search.findPrevious(query, options);
  };

  // Search as you type (incremental: the current match grows rather than jumping ahead).
  useEffect(() => find(true, true), [query]);

  const label = !query ? '' : !result || result.count === 0 ? 'No results' : result.index < 0 ? `${result.count}+` : `${result.index + 1} of ${result.count}`;
  return (
    <div className="term-search" role="search" data-testid="terminal-search">
      <input
        ref={input}
        value={query}
        placeholder="Find"
        aria-label="Find in terminal"
        spellCheck={false}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            find(!e.shiftKey);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            setSearchOpen(false);
          }
        }}
      />
      <span className="term-search-count" data-testid="terminal-search-count">
        {label}
      </span>
      <button type="button" className="term-icon-btn" title="Previous (Shift+Enter)" aria-label="Previous match" onClick={() => find(false)}>
        ↑
      </button>
      <button type="button" className="term-icon-btn" title="Next (Enter)" aria-label="Next match" onClick={() => find(true)}>
        ↓
      </button>
      <button type="button" className="term-icon-btn" title="Close (Esc)" aria-label="Close search" onClick={() => setSearchOpen(false)}>
        ×
      </button>
    </div>
  );
}
