// The REST/SSE API for scripts and the `macs` client commands: /v1/*, /health, /metrics.
// Same engine and database as the UI; handlers stay thin (parse → engine.invoke → shape).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RestEngine } from './engine-api.js';
import { appRoutes } from './app-routes.js';
import { DEFAULT_METRICS_ACCESS, createMetrics, type MetricsAccess } from './metrics.js';
import { miscRoutes } from './misc-routes.js';
import { projectRoutes } from './project-routes.js';
import { planRoutes } from './plan-routes.js';
import { providerRoutes } from './provider-routes.js';
import { projectVersionRoutes } from './project-version-routes.js';
import { resultRoutes } from './result-routes.js';
import { Router, type Route } from './router.js';
import { docsRoutes } from './docs-routes.js';
import { DEFAULT_SSE_OPTIONS, streamRoute, type SseOptions } from './sse.js';
import { stepRoutes } from './step-routes.js';
import { taskChangeRoutes } from './task-change-routes.js';
import { taskRoutes } from './task-routes.js';

export type { EngineStats, RestEngine } from './engine-api.js';
export type { SseOptions } from './sse.js';
export { METRICS_ACCESS, parseMetricsAccess, type MetricsAccess } from './metrics.js';
export { streamTokenFor } from './auth.js';
export { CHALLENGE_HEADER, PROOF_HEADER, newChallenge, proofMatches } from './server-proof.js';

export interface RestApiOptions {
  sse?: Partial<SseOptions>;
  /** Who may read /metrics (MACS_METRICS): the API key (default), anyone, or nobody. */
  metrics?: MetricsAccess;
}

export interface RestApi {
  /** Whether a path belongs to the API (everything else is the UI's). */
  owns(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

/** uiToken: the browser UI's per-launch token, which may read (auth.ts); null where there is none. */
export function createRestApi(engine: RestEngine, options: RestApiOptions = {}, uiToken: string | null = null): RestApi {
  const sse = { ...DEFAULT_SSE_OPTIONS, ...options.sse };
  const metrics = miscRoutes(engine, createMetrics(engine), options.metrics ?? DEFAULT_METRICS_ACCESS);
  const routes = [...taskRoutes(engine), ...taskChangeRoutes(engine), ...planRoutes(engine), ...stepRoutes(engine), ...resultRoutes(engine), ...projectRoutes(engine), ...projectVersionRoutes(engine), ...appRoutes(engine), ...providerRoutes(engine)];
  const api: Route[] = [...routes, streamRoute(engine, sse), ...metrics];
  api.push(...docsRoutes(() => api)); // /v1/openapi.json describes every route, its own included
  const router = new Router(api, {
    apiKey: () => engine.apiKey().apiKey,
    uiToken,
  });
  return {
    owns: (pathname) => pathname === '/v1' || pathname.startsWith('/v1/') || pathname === '/health' || pathname === '/metrics' || pathname.startsWith('/zips/') || pathname === '/docs',
    handle: (req, res, url) => router.dispatch(req, res, url),
  };
}
