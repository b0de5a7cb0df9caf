// The real ways the app opens a confirmed link (LinkConfirmDialog): shared by ModelLink and
// confirmLinkOutsideReact; tests pass recording openers instead.
import type { LinkOpeners } from '../lib/external-link.js';
import { client } from '../store/app-state.js';

export const appLinkOpeners: LinkOpeners = {
  openExternal: (params) => client().call('app.openExternal', params),
  openWindow: (url, target, features) => window.open(url, target, features),
};
