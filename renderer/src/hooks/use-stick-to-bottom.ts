// Keep a scroll container pinned to the bottom while content grows, unless the user
// scrolled up to read; scrolling back to the bottom re-pins it.
import { useCallback, useLayoutEffect, useRef } from 'react';

export function useStickToBottom<T extends HTMLElement>(dep: unknown): {
  ref: React.RefObject<T | null>;
  onScroll: () => void;
} {
  const ref = useRef<T | null>(null);
  const pinned = useRef(true);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [dep]);

  return { ref, onScroll };
}
