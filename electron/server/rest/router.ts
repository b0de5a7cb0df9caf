import type { IncomingMessage, ServerResponse } from 'node:http';
import { MacsError } from '../../../shared/index.js';
import { authorize, type Access, type Caller, type Secrets } from './auth.js';
import { RestError, sendError } from './http.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Who is asking (already allowed by the route's access). */
  caller: Caller;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Literal segments and `:name` parameters, e.g. `/v1/tasks/:id/cancel`. */
  pattern: string;
  /** Which credential the route needs (auth.ts): task data and files are never open, not even on loopback. */
  access: Access;
  handle(ctx: RouteContext): Promise<void>;
}

interface CompiledRoute extends Route {
  segments: string[];
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RestError(400, 'INVALID_INPUT', 'The URL is not validly encoded.');
  }
}

function match(route: CompiledRoute, parts: string[]): Record<string, string> | null {
  if (route.segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const want = route.segments[i];
    if (want.startsWith(':')) params[want.slice(1)] = decodeSegment(parts[i]);
    else if (want !== parts[i]) return null;
  }
  return params;
}

/** A tiny method + path router: no dependencies, one place that applies auth and turns throws into JSON errors. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: Route[],
    private readonly secrets: Secrets,
  ) {
    this.routes = routes.map((r) => ({ ...r, segments: r.pattern.split('/').filter(Boolean) }));
  }

  async dispatch(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const parts = url.pathname.split('/').filter(Boolean);
      const candidates = this.routes.map((route) => ({ route, params: match(route, parts) })).filter((c) => c.params !== null);
      if (candidates.length === 0) throw new RestError(404, 'UNKNOWN_METHOD', `No API endpoint at ${url.pathname}.`);
      const hit = candidates.find((c) => c.route.method === req.method);
      if (!hit) {
        const allowed = candidates.map((c) => c.route.method).join(', ');
        throw new RestError(405, 'UNKNOWN_METHOD', `${req.method} is not allowed here; use ${allowed}.`, { allowed });
      }
      const caller = authorize(hit.route.access, req, url, hit.params!, this.secrets);
      await hit.route.handle({ req, res, url, params: hit.params!, caller });
    } catch (err) {
      if (!res.headersSent) sendError(res, err);
      else if (!(err instanceof MacsError)) res.destroy(err as Error);
      else res.end();
    }
  }
}
