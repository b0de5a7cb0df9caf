// Keep a scroll container pinned to the bottom while content grows, unless the user
// scrolled up to read; scrolling back to the bottom re-pins it. A new `openKey` (another
// project, the Chat tab shown again) opens at the bottom whatever the last scroll was.
// A null `dep` means nothing to follow (the empty state reads from its top): no scrolling.
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';

export function useStickToBottom<T extends HTMLElement>(dep: unknown, openKey?: unknown): {
  ref: React.RefObject<T | null>;
  onScroll: () => void;
} {
  const ref = useRef<T | null>(null);
  const pinned = useRef(true);
  const lastTop = useRef(0);

  // Only the user scrolling up unpins: our own scroll to the bottom can land a little above
  // it when the content grew in between, and must not count as "scrolled up to read".
  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const top = el.scrollTop;
    if (el.scrollHeight - top - el.clientHeight < 40) pinned.current = true;
    else if (top < lastTop.current) pinned.current = false;
    lastTop.current = top;
  }, []);

  // Opening: pinned, whatever the user had scrolled to before.
  useLayoutEffect(() => {
    pinned.current = true;
    lastTop.current = 0;
  }, [openKey]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && dep !== null && pinned.current) el.scrollTop = el.scrollHeight;
  }, [dep, openKey]);

  // Content that grows without a new `dep` (earlier turns' events loading, code blocks laid
  // out, images): stay at the bottom while pinned. Without this a conversation opened at
  // its first turn, because the scroll ran before the turns had their height.
  useEffect(() => {
    const el = ref.current;
    if (!el || dep === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) el.scrollTop = el.scrollHeight;
    });
    for (const child of Array.from(el.children)) observer.observe(child);
    observer.observe(el);
    return () => observer.disconnect();
  }, [openKey, dep]);

  return { ref, onScroll };
}
