import { useEffect, useRef, useState } from 'react';
import type { IsolationLevel } from '../../../shared/index.js';
import { openShell, useTerminal } from '../store/terminal.js';
import { TerminalBadge } from './TerminalBadge.js';

const CHOICES: { level: IsolationLevel; text: string }[] = [
  { level: 'workspace-write', text: 'Sandboxed shell (default)' },
  { level: 'workspace-write+net', text: 'Sandboxed shell with network' },
  { level: 'unrestricted', text: 'Unrestricted shell (no sandbox)' },
];

/** "+" opens a sandboxed shell in the task's workspace; the arrow picks another isolation level. */
export function TerminalNewButton({ disabled }: { disabled: boolean }) {
  const opening = useTerminal((s) => s.opening);
  const [menu, setMenu] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!menu) return;
    const close = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setMenu(false);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [menu]);
  return (
    <div className="term-new" ref={ref}>
      <button
        type="button"
        className="term-icon-btn"
        data-testid="terminal-new"
        disabled={disabled || opening}
        title="New terminal in this task's workspace (sandboxed)"
        aria-label="New terminal"
        onClick={() => void openShell()}
      >
        {opening ? <span className="spinner" /> : '+'}
      </button>
      <button
        type="button"
        className="term-icon-btn term-new-more"
        disabled={disabled || opening}
        title="New terminal with another isolation level"
        aria-label="More terminal kinds"
        aria-expanded={menu}
        onClick={() => setMenu((m) => !m)}
      >
        ▾
      </button>
      {menu && (
        <div className="term-menu" role="menu">
          {CHOICES.map((c) => (
            <button
              key={c.level}
              type="button"
              role="menuitem"
              className="term-menu-item"
              data-testid={`terminal-new-${c.level}`}
              onClick={() => {
                setMenu(false);
                void openShell(c.level);
              }}
            >
              <span>{c.text}</span>
              <TerminalBadge level={c.level} />
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
