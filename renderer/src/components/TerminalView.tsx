import { useEffect, useRef } from 'react';
import type { TerminalSession } from '../../../shared/index.js';
import { client } from '../store/app-state.js';
import { getStream } from '../store/terminal-registry.js';
import { terminalStore } from '../store/terminal.js';

/** The engine is told the new size once the drag settles, not on every pixel. */
const RESIZE_DEBOUNCE_MS = 80;

/** Shows one session's xterm, fitted to the pane; pane size changes resize the pty. */
export function TerminalView({ session }: { session: TerminalSession }) {
  const ref = useRef<HTMLDivElement>(null);
  const { sessionId } = session;
  const interactive = session.kind === 'shell' && session.alive;

  useEffect(() => {
    const stream = getStream(sessionId);
    const container = ref.current;
    if (!stream || !container) return;
    const { term, fit } = stream.parts;
    container.appendChild(stream.host);
    if (!term.element) term.open(stream.host);
    else term.refresh(0, term.rows - 1);

    let raf = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let sent = { cols: session.cols, rows: session.rows };
    const refit = () => {
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(() => {
        // Collapsed or hidden: measuring now would fit to zero.
        if (container.clientWidth < 20 || container.clientHeight < 10) return;
        fit.fit();
        const size = { cols: term.cols, rows: term.rows };
        terminalStore.setState({ lastSize: size });
        if (!interactive || (size.cols === sent.cols && size.rows === sent.rows)) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          sent = size;
          client()
            .call('terminal.resize', { sessionId, ...size })
            .catch((err) => console.warn('[macs] terminal.resize failed', err));
        }, RESIZE_DEBOUNCE_MS);
      });
    };
    const observer = new ResizeObserver(refit);
    observer.observe(container);
    refit();
    if (interactive) term.focus();
    return () => {
      observer.disconnect();
      cancelAnimationFrame(raf);
      clearTimeout(timer);
      stream.host.remove();
    };
    // The session's size is read once: later sizes come from the pane, not the list.
  }, [sessionId, interactive]);

  return <div className="term-view" ref={ref} data-testid="terminal-view" data-session={sessionId} />;
}
