// The Ollama host URL as the user types it: why it is not usable, at once (not after Save), and
// what the reachability line may say about it (the status is the saved host's, never the draft's).
import { sameHost } from './fit.js';

/** Why `text` is not an Ollama URL, in one sentence; null when it is one. */
export function hostUrlProblem(text: string): string | null {
  const url = text.trim();
  if (!url) return 'Enter the URL Ollama listens on, e.g. http://127.0.0.1:11434.';
  if (/\s/.test(url)) return 'A URL has no spaces.';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    // "127.0.0.1:11434" or "localhost:11434": the scheme is missing (URL() would read "localhost:" as one).
    return `Start with http:// or https://, e.g. http://${url.replace(/^\/+/, '')}.`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Not a URL: enter one like http://192.168.1.20:11434.';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `Ollama speaks http or https, not ${parsed.protocol.replace(/:$/, '')}.`;
  if (!parsed.hostname) return 'The URL lacks a host name, e.g. http://127.0.0.1:11434.';
  if (parsed.username || parsed.password) return 'Leave user names and passwords out of the URL.';
  if (parsed.search || parsed.hash) return 'The URL ends at the port: no ?query or #fragment.';
  return null;
}

export interface HostStatusLike {
  host: string;
  reachable: boolean;
  version?: string | null;
}

/** The help line under the host field: reachability only for the host it was checked at. */
export function hostStatusLine(text: string, status: HostStatusLike | null): string {
  if (!status) return 'Where Ollama listens.';
  if (!sameHost(text.trim(), status.host)) return `Where Ollama listens. Checked when you save (now ${status.host}).`;
  return status.reachable ? `Where Ollama listens. Reachable now (Ollama ${status.version ?? ''}).` : `Where Ollama listens. Not reachable at ${status.host}.`;
}
