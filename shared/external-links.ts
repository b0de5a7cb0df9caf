// Which links from model output may leave the app, shared by the renderer (the confirm
// dialog) and the hosts (the desktop app's app.openExternal). A model's answer is untrusted
// text: a link in it must not navigate the app, and only web and mail links may reach the
// user's browser or mail client (file:, smb:, custom app schemes and the like can run or
// open things on the machine).
import { MacsError } from './errors.js';

export const EXTERNAL_LINK_SCHEMES = ['http', 'https', 'mailto'] as const;
export type ExternalLinkScheme = (typeof EXTERNAL_LINK_SCHEMES)[number];

/** Longer than any link a person would check by eye; also bounds the contract's input. */
export const MAX_EXTERNAL_LINK_LENGTH = 8192;

export interface ExternalLink {
  /** The normalised URL that will be opened (what the user is shown). */
  href: string;
  scheme: ExternalLinkScheme;
  /** Where it goes: the host of a web link (IDNs in punycode, as they really resolve), the address of a mail link. */
  target: string;
  /** A web link with a user name in it (`https://bank.com@evil.example/`) hides its real host. */
  hasCredentials: boolean;
}

/** The link if it may be opened outside the app, else null (relative, malformed, other schemes). */
export function parseExternalLink(raw: string): ExternalLink | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_EXTERNAL_LINK_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw); // no base: relative links are not external
  } catch {
    return null;
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'http' || scheme === 'https') {
    if (url.hostname === '') return null;
    return { href: url.href, scheme, target: url.host, hasCredentials: url.username !== '' || url.password !== '' };
  }
  if (scheme === 'mailto') {
    const address = decodeSafely(url.pathname);
    if (address === '' || mailtoExtraHeaders(url).length > 0) return null;
    return { href: url.href, scheme, target: address, hasCredentials: false };
  }
  return null;
}

/**
 * RFC 6068 headers a mail link may carry. Anything else is refused: some mail programs read
 * `attach=` / `attachment=` and attach a local file (an SSH key) to the message they open.
 */
const MAILTO_HEADERS = new Set(['to', 'cc', 'bcc', 'subject', 'body']);

function mailtoExtraHeaders(url: URL): string[] {
  return [...url.searchParams.keys()].filter((name) => !MAILTO_HEADERS.has(name.toLowerCase()));
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The scheme of a refused link, for a message ("file:"), or null when it is not a URL at all. */
export function linkScheme(raw: string): string | null {
  try {
    return new URL(raw).protocol;
  } catch {
    return null;
  }
}

/** For hosts: the link to open, or LINK_NOT_ALLOWED with a sentence saying why. */
export function requireExternalLink(raw: string): ExternalLink {
  const link = parseExternalLink(raw);
  if (link) return link;
  const scheme = linkScheme(raw);
  const extra = scheme === 'mailto:' ? mailtoExtraHeaders(new URL(raw)) : [];
  if (extra.length > 0) {
    throw new MacsError(
      'LINK_NOT_ALLOWED',
      `Refused to open the mail link: it carries "${extra.join('", "')}", and a mail link may only set to, cc, bcc, subject and body (some mail programs attach a local file for "attach").`,
      { scheme },
    );
  }
  throw new MacsError(
    'LINK_NOT_ALLOWED',
    scheme
      ? `Refused to open a "${scheme}" link outside MACS: only http, https and mailto links open in another app.`
      : 'Refused to open the link outside MACS: it is not a complete http, https or mailto URL.',
    { scheme },
  );
}
