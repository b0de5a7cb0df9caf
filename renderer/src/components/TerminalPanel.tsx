import { useEffect } from 'react';
import { useApp } from '../store/app-state.js';
import { openShell, setPanelOpen, setSearchOpen, terminalStore, useTerminal } from '../store/terminal.js';
import { TerminalNewButton } from './TerminalNewButton.js';
import { TerminalResizeHandle } from './TerminalResizeHandle.js';
import { TerminalSearch } from './TerminalSearch.js';
import { TerminalTabs } from './TerminalTabs.js';
import { TerminalView } from './TerminalView.js';
import { AppNoOutput, RunErrorList } from './RunErrorList.js';
import { sessionHasOutput } from '../lib/app-run-text.js';

function Chevron({ up }: { up: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d={up ? 'M4 10l4-4 4 4' : 'M4 6l4 4 4-4'} fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function EmptyBody({ hasTask }: { hasTask: boolean }) {
  if (!hasTask) return <div className="term-empty">Select a task, or start one, to open a terminal in its workspace.</div>;
  return (
    <div className="term-empty">
      <button type="button" className="btn btn-small btn-primary-outline" onClick={() => void openShell()} data-testid="terminal-open-empty">
        Open a sandboxed shell
      </button>
      <span>in this task&apos;s workspace. Commands the pipeline runs appear here under Runs.</span>
    </div>
  );
}

/** The collapsible bottom panel under the chat and the editor: the selected task's terminals. */
export function TerminalPanel() {
  const hasTask = useApp((s) => s.activeTaskId !== null);
  const open = useTerminal((s) => s.panelOpen);
  const height = useTerminal((s) => s.height);
  const searchOpen = useTerminal((s) => s.searchOpen);
  const active = useTerminal((s) => s.sessions.find((x) => x.sessionId === s.activeId) ?? null);
  const count = useTerminal((s) => s.sessions.length);

  // Ctrl+` toggles the panel, as in VS Code.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && !e.altKey && !e.metaKey && e.code === 'Backquote') {
        e.preventDefault();
        setPanelOpen(!terminalStore.getState().panelOpen);
      }
    };
    // Capture: xterm stops the key's propagation when the terminal has the focus.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  return (
    <section className={`term-panel${open ? ' open' : ''}`} style={open ? { height } : undefined} data-testid="terminal-panel" data-open={open}>
      {open && <TerminalResizeHandle />}
      <div className="term-head" onDoubleClick={(e) => e.target === e.currentTarget && setPanelOpen(!open)}>
        <button
          type="button"
          className="term-title"
          onClick={() => setPanelOpen(!open)}
          aria-expanded={open}
          title={open ? 'Hide the terminal (Ctrl+`)' : 'Show the terminal (Ctrl+`)'}
          data-testid="terminal-toggle"
        >
          <Chevron up={!open} />
          Terminal
          {!open && count > 0 && <span className="term-count">{count}</span>}
        </button>
        <TerminalTabs />
        <span className="term-head-spacer" />
        {open && active && sessionHasOutput(active) && (
          <button
            type="button"
            className={`term-icon-btn${searchOpen ? ' active' : ''}`}
            title="Find (Ctrl+F in the terminal)"
            aria-label="Find"
            onClick={() => setSearchOpen(!searchOpen)}
          >
            <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
              <circle cx="7" cy="7" r="4.2" fill="none" stroke="currentColor" strokeWidth="1.6" />
              <path d="M10.2 10.2L14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            </svg>
          </button>
        )}
        <TerminalNewButton disabled={!hasTask} />
      </div>
      {open && (
        <div className="term-body">
          {active?.kind === 'app' ? (
            <div className="term-app">
              {sessionHasOutput(active) ? (
                <TerminalView key={active.sessionId} session={active} />
              ) : (
                <AppNoOutput />
              )}
              <RunErrorList />
            </div>
          ) : active ? (
            <TerminalView key={active.sessionId} session={active} />
          ) : (
            <EmptyBody hasTask={hasTask} />
          )}
          {active && searchOpen && sessionHasOutput(active) && <TerminalSearch key={active.sessionId} sessionId={active.sessionId} />}
        </div>
      )}
    </section>
  );
}
