import { useEffect, useRef, type KeyboardEvent } from 'react';

/**
 * A popover closes on a click outside it and on Escape (which goes no further); a click on a
 * button marked data-popover-toggle is left to that button (it toggles the popover itself).
 */
export function usePopoverDismiss<T extends HTMLElement>(onClose: () => void) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      const target = e.target as Element | null;
      if (ref.current && !ref.current.contains(target) && !target?.closest?.('[data-popover-toggle]')) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [onClose]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    onClose();
  };
  return { ref, onKeyDown };
}
