import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The browser host listens on loopback only, and still checks every request:
 * Host must name loopback (a DNS-rebinding page sends its own hostname), a
 * WebSocket's Origin must be this server, and API access needs the per-launch token.
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

  /** Browsers always send Origin on WebSocket upgrades; non-browser clients (CLI, tests) may omit it. */
  originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return this.allowedHosts().some((h) => origin === `http://${h}`);
  }

  tokenValid(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  }

  tokenFrom(req: IncomingMessage): string | null {
    const url = new URL(req.url ?? '/', 'http://x');
    const fromQuery = url.searchParams.get('token');
    if (fromQuery) return fromQuery;
    const auth = req.headers.authorization;
    return auth?.startsWith('Bearer ') ? auth.slice(7) : null;
  }
}
