// Links that are not rendered by React (Ctrl+click on a URL in a Monaco editor) go through
// the same confirm as links in chat answers (ModelLink): a generated file is model output too.
import { createRoot } from 'react-dom/client';
import { appStore } from '../store/app-state.js';
import { appLinkOpeners } from './app-link-openers.js';
import { LinkConfirmDialog } from './LinkConfirmDialog.js';

/** Shows LinkConfirmDialog for `href` in a root of its own, removed when the dialog closes. */
export function confirmLinkOutsideReact(href: string): void {
  const holder = document.createElement('div');
  document.body.appendChild(holder);
  const root = createRoot(holder);
  const close = () => {
    root.unmount();
    holder.remove();
  };
  root.render(<LinkConfirmDialog href={href} host={appStore.getState().host} openers={appLinkOpeners} onClose={close} />);
}
