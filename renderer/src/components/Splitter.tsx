// Drag handle between the chat and the file panel; the width is remembered.
import { useCallback, useEffect, useRef } from 'react';

const KEY = 'macs.filesWidth';
const MIN_FILES = 420;
const MIN_CHAT = 340;
const SIDEBAR = 248;

function apply(width: number): void {
  const max = Math.max(MIN_FILES, window.innerWidth - SIDEBAR - MIN_CHAT);
  const w = Math.round(Math.min(Math.max(width, MIN_FILES), max));
  document.documentElement.style.setProperty('--files-width', `${w}px`);
}

export function Splitter() {
  const dragging = useRef(false);

  useEffect(() => {
    const saved = Number(localStorage.getItem(KEY));
    if (saved > 0) apply(saved);
  }, []);

  const onPointerDown = useCallback((e: React.PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    document.body.classList.add('resizing');
  }, []);
  const onPointerMove = useCallback((e: React.PointerEvent<HTMLDivElement>) => {
    if (dragging.current) apply(window.innerWidth - e.clientX);
  }, []);
  const onPointerUp = useCallback((e: React.PointerEvent<HTMLDivElement>) => {
    if (!dragging.current) return;
    dragging.current = false;
    e.currentTarget.releasePointerCapture(e.pointerId);
    document.body.classList.remove('resizing');
    localStorage.setItem(KEY, String(window.innerWidth - e.clientX));
  }, []);
  const onDoubleClick = useCallback(() => {
    localStorage.removeItem(KEY);
    document.documentElement.style.removeProperty('--files-width');
  }, []);

  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      title="Drag to resize · double-click to reset"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onDoubleClick={onDoubleClick}
    />
  );
}
