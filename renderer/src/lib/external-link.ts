// Opening a link from model output once the user confirmed it (LinkConfirmDialog). Kept
// apart from the component so the host-specific route can be tested without a DOM.
import { requireExternalLink, type MethodParams, type MethodResult } from '../../../shared/index.js';
import type { HostKind } from '../client/index.js';

export interface LinkOpeners {
  /** The contract call (desktop app): the main process opens it with shell.openExternal. */
  openExternal(params: MethodParams<'app.openExternal'>): Promise<MethodResult<'app.openExternal'>>;
  /** window.open (browser host). */
  openWindow(url: string, target: string, features: string): unknown;
}

/**
 * Open a confirmed link outside the app. Refuses (LINK_NOT_ALLOWED) anything but http,
 * https and mailto. In a browser the new tab gets no `window.opener` and no Referer, so the
 * page a model linked to can neither script or redirect MACS's tab nor learn where MACS runs.
 */
export async function openConfirmedLink(href: string, host: HostKind, openers: LinkOpeners): Promise<void> {
  const link = requireExternalLink(href);
  if (host === 'electron') {
    await openers.openExternal({ url: link.href });
    return;
  }
  openers.openWindow(link.href, '_blank', 'noopener,noreferrer');
}
