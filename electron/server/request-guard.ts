import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sameSecret } from './same-secret.js';

/**
 * The browser host listens on loopback only, and still checks every request and WebSocket
 * upgrade: Host must name loopback (a DNS-rebinding page sends its own hostname), an Origin,
 * when there is one, must be this server, and the UI's access needs the per-launch token.
 */
export class RequestGuard {
  readonly token: string;
  private port = 0;

  constructor(token?: string) {
    this.token = token ?? crypto.randomBytes(24).toString('base64url');
  }

  setPort(port: number): void {
    this.port = port;
  }

  allowedHosts(): string[] {
    return [`127.0.0.1:${this.port}`, `localhost:${this.port}`, `[::1]:${this.port}`];
  }

  hostAllowed(req: IncomingMessage): boolean {
    const host = (req.headers.host ?? '').toLowerCase();
    return this.allowedHosts().includes(host);
  }

  /**
   * Browsers send Origin on WebSocket upgrades, cross-origin requests and every POST; a
   * same-origin GET may come without one, and so do non-browser clients (CLI, curl): no
   * Origin is allowed, any Origin but this server's (including "null") is not.
   */
  originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return this.allowedHosts().some((h) => origin === `http://${h}`);
  }

  tokenValid(candidate: string | null | undefined): boolean {
    return sameSecret(candidate, this.token);
  }

  tokenFrom(req: IncomingMessage): string | null {
    const url = new URL(req.url ?? '/', 'http://x');
    const fromQuery = url.searchParams.get('token');
    if (fromQuery) return fromQuery;
    const auth = req.headers.authorization;
    return auth?.startsWith('Bearer ') ? auth.slice(7) : null;
  }
}
