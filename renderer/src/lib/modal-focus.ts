// Keyboard focus for modal dialogs, once for the whole page: while an element with
// aria-modal="true" is shown, focus starts inside it, Tab and Shift+Tab cycle within it (the
// page behind it is unreachable, as for a mouse), and when it closes focus goes back to the
// control that had it before. Every dialog (Settings, Models, Open folder, the step
// inspector, confirmations) gets this without code of its own.

const MODAL = '[aria-modal="true"]';
const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'iframe',
  '[tabindex]:not([tabindex="-1"])',
  '[contenteditable="true"]',
].join(',');

/**
 * Where Tab goes inside a dialog of `count` focusable elements when element `current` has focus
 * (-1: focus is outside the dialog): the next one, wrapping around at either end.
 */
export function trapIndex(count: number, current: number, backwards: boolean): number {
  if (count === 0) return -1;
  if (current < 0) return backwards ? count - 1 : 0;
  return (current + (backwards ? count - 1 : 1)) % count;
}

/** The topmost open modal (the last in document order: dialogs opened from dialogs mount later). */
function topModal(doc: Document): HTMLElement | null {
  const all = doc.querySelectorAll<HTMLElement>(MODAL);
  return all.length > 0 ? all[all.length - 1] : null;
}

function focusables(modal: HTMLElement): HTMLElement[] {
  return Array.from(modal.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.tabIndex >= 0 && el.getClientRects().length > 0);
}

/** Install the page-wide behaviour; returns the function that removes it. */
export function startModalFocus(doc: Document = document): () => void {
  let shown: HTMLElement | null = null;
  let opener: HTMLElement | null = null;

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || e.defaultPrevented) return;
    const modal = topModal(doc);
    if (!modal) return;
    const list = focusables(modal);
    const active = doc.activeElement as HTMLElement | null;
    const inside = active !== null && modal.contains(active);
    // Inside an element of its own (a Monaco editor in the inspector), let the browser move within it, but not out.
    const current = inside ? list.findIndex((el) => el === active || el.contains(active)) : -1;
    const next = trapIndex(list.length, current, e.shiftKey);
    e.preventDefault();
    if (next >= 0) list[next].focus();
    else modal.focus();
  };

  // A dialog that opens takes focus (unless it already placed it); one that closes gives it back.
  const onChange = () => {
    const modal = topModal(doc);
    if (modal === shown) return;
    if (modal) {
      if (!shown) opener = doc.activeElement as HTMLElement | null;
      shown = modal;
      queueMicrotask(() => {
        if (modal.contains(doc.activeElement)) return;
        const first = focusables(modal)[0];
        if (first) first.focus();
        else {
          if (!modal.hasAttribute('tabindex')) modal.setAttribute('tabindex', '-1');
          modal.focus();
        }
      });
    } else {
      shown = null;
      const back = opener;
      opener = null;
      if (back && back.isConnected && (doc.activeElement === doc.body || doc.activeElement === null)) back.focus();
    }
  };

  doc.addEventListener('keydown', onKey, true);
  const observer = new MutationObserver(onChange);
  observer.observe(doc.body, { childList: true, subtree: true });
  return () => {
    doc.removeEventListener('keydown', onKey, true);
    observer.disconnect();
  };
}
