// Links that are not rendered by React (Ctrl+click on a URL in a Monaco editor) go through
// the same confirm as links in chat answers (ModelLink): a generated file is model output too.
import { createRoot } from 'react-dom/client';
import type { LinkOpeners } from '../lib/external-link.js';
import { appStore, client } from '../store/app-state.js';
import { LinkConfirmDialog } from './LinkConfirmDialog.js';

const openers: LinkOpeners = {
  openExternal: (params) => client().call('app.openExternal', params),
  openWindow: (url, target, features) => window.open(url, target, features),
};

/** Shows LinkConfirmDialog for `href` in a root of its own, removed when the dialog closes. */
export function confirmLinkOutsideReact(href: string): void {
  const holder = document.createElement('div');
  document.body.appendChild(holder);
  const root = createRoot(holder);
  const close = () => {
    root.unmount();
    holder.remove();
  };
  root.render(<LinkConfirmDialog href={href} host={appStore.getState().host} openers={openers} onClose={close} />);
}
