import { useRef } from 'react';
import { DEFAULT_TERMINAL_HEIGHT, setPanelHeight, terminalStore } from '../store/terminal.js';

const MIN_HEIGHT = 120;
/** Room kept above the panel for the chat and editor (plus the top and status bars). */
const KEEP_ABOVE = 46 + 26 + 200;

function clamp(height: number): number {
  return Math.round(Math.min(Math.max(height, MIN_HEIGHT), Math.max(MIN_HEIGHT, window.innerHeight - KEEP_ABOVE)));
}

/** Drag the panel's top edge to resize it; double-click resets. The height is remembered. */
export function TerminalResizeHandle() {
  const drag = useRef<{ y: number; height: number } | null>(null);
  return (
    <div
      className="term-resize"
      role="separator"
      aria-orientation="horizontal"
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
      onDoubleClick={() => setPanelHeight(DEFAULT_TERMINAL_HEIGHT, true)}
    />
  );
}
