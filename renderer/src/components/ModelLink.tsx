// A link in model output (Markdown.tsx). It has no href on purpose: a click, a middle-click,
// Ctrl+click or a drag must not navigate the app or open a tab on its own; every way in goes
// through LinkConfirmDialog, which shows where the link really goes first.
import { useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { parseExternalLink } from '../../../shared/index.js';
import type { HostKind } from '../client/index.js';
import { appStore } from '../store/app-state.js';
import { appLinkOpeners } from './app-link-openers.js';
import { LinkConfirmDialog } from './LinkConfirmDialog.js';

export function ModelLink({ href, children }: { href: string; children?: ReactNode }) {
  // The host is read on click (not subscribed): the link renders in streaming Markdown.
  const [confirming, setConfirming] = useState<HostKind | null>(null);
  const link = parseExternalLink(href);
  const ask = () => setConfirming(appStore.getState().host);
  return (
    <>
      <a
        className="md-link"
        role="link"
        tabIndex={0}
        title={link ? `${link.href}\n(asks before opening)` : 'This link cannot be opened from MACS'}
        data-testid="md-link"
        onClick={(e) => {
          e.preventDefault();
          ask();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            ask();
          }
        }}
      >
        {children}
      </a>
      {confirming &&
        createPortal(<LinkConfirmDialog href={href} host={confirming} openers={appLinkOpeners} onClose={() => setConfirming(null)} />, document.body)}
    </>
  );
}
