import { useRef } from 'react';
import { clampTerminalHeight } from '../lib/layout-sizing.js';
import { rememberTerminalHeight, storedTerminalHeight } from '../store/layout.js';
import { setPanelHeight, terminalStore } from '../store/terminal.js';

const clamp = (height: number) => clampTerminalHeight(height, window.innerHeight);

/** Drag the panel's top edge to resize it; double-click resets to the small default. The height is remembered per window size class. */
export function TerminalResizeHandle() {
  const drag = useRef<{ y: number; height: number } | null>(null);
  return (
    <div
      className="term-resize"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the terminal"
      data-testid="terminal-resize"
      title="Drag to resize · double-click to reset"
      onPointerDown={(e) => {
        drag.current = { y: e.clientY, height: terminalStore.getState().height };
        e.currentTarget.setPointerCapture(e.pointerId);
        document.body.classList.add('resizing-rows');
      }}
      onPointerMove={(e) => {
        if (drag.current) setPanelHeight(clamp(drag.current.height + drag.current.y - e.clientY), false);
      }}
      onPointerUp={(e) => {
        if (!drag.current) return;
        setPanelHeight(clamp(drag.current.height + drag.current.y - e.clientY), true);
        drag.current = null;
        e.currentTarget.releasePointerCapture(e.pointerId);
        document.body.classList.remove('resizing-rows');
      }}
      onDoubleClick={() => {
        rememberTerminalHeight(null);
        setPanelHeight(storedTerminalHeight(), false);
      }}
    />
  );
}
