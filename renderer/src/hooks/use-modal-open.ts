import { useEffect, useState } from 'react';

const MODAL = '[aria-modal="true"]';

/**
 * A modal dialog is open somewhere in the page. The desktop app's native preview view is
 * drawn above the whole page, so it steps aside while one is (a settings dialog, the step
 * inspector, a link confirmation…). Only watched while `active`.
 */
export function useModalOpen(active: boolean): boolean {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!active) return;
    const check = () => setOpen(document.querySelector(MODAL) !== null);
    const observer = new MutationObserver(check);
    // Dialogs mount as children of the app's root (or the body for portals): no need for text changes.
    observer.observe(document.body, { childList: true, subtree: true });
    check();
    return () => observer.disconnect();
  }, [active]);
  return active && open;
}
