// /v1/projects/{id}/run: run what a project built (issue 14): start it, stop it, and read how
// it is doing (state, URL, the output tail, its errors). Thin, like the project routes:
// parse → engine.invoke → shape. Waiting for "ready" is the client's (GET until settled).
import { z } from 'zod';
import type { AppRun } from '../../../shared/index.js';
import { fieldErrors } from '../../../shared/index.js';
import { call, type RestEngine } from './engine-api.js';
import { invalidInput, readJsonBody, readOptionalJsonBody, sendJson } from './http.js';
import type { Route } from './router.js';

/** What a user keeps for a project's runs (PATCH …/run); null: back to the detected command, or any port. */
export const RunSettingsBody = z
  .object({
    command: z.string().trim().min(1).max(2000).nullable().optional(),
    pinned_port: z.number().int().min(1024).max(65535).nullable().optional(),
    install_network: z.boolean().optional(),
  })
  .strict();

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A run on the REST API: snake_case and ISO times, like tasks and projects. */
export function appRunView(run: AppRun) {
  return {
    project_id: run.projectId,
    /** idle · installing · starting · ready · exited · failed */
    state: run.state,
    url: run.url,
    port: run.port,
    pinned_port_taken: run.pinnedPortTaken,
    command: run.plan ? run.plan.command : null,
    plan: run.plan
      ? { kind: run.plan.kind, command: run.plan.command, source: run.plan.source, web: run.plan.web, install: run.plan.install?.command ?? null }
      : null,
    settings: { command: run.settings.command, pinned_port: run.settings.pinnedPort, install_network: run.settings.installNetwork },
    started_at: iso(run.startedAt),
    ready_at: iso(run.readyAt),
    restarts: run.restarts,
    exit_code: run.exitCode,
    /** One sentence when failed (or a warning while ready). */
    reason: run.reason,
    failure: run.failure,
    /** The last 50 lines of the install and server output. */
    output_tail: run.outputTail,
    fingerprints: run.fingerprints.map((f) => ({
      fingerprint_id: f.id,
      source: f.source,
      message: f.message,
      stack: f.stack,
      files: f.files,
      count: f.count,
      first_at: iso(f.firstAt),
      last_at: iso(f.lastAt),
      fix_attempts: f.fixAttempts,
    })),
    reload_seq: run.reloadSeq,
  };
}
export type AppRunView = ReturnType<typeof appRunView>;

export function appRoutes(engine: RestEngine): Route[] {
  return [
    {
      // Starts (or restarts) the app; answers once it started, not when it is ready: GET …/run until state is ready, failed or exited.
      method: 'POST',
      pattern: '/v1/projects/:id/run',
      access: 'write',
      async handle({ req, res, params }) {
        await readOptionalJsonBody(req); // nothing to say yet; a body must still be JSON so curl -d '{}' works
        const { run } = await call(engine, 'apps.run', { projectId: params.id });
        sendJson(res, 202, { run: appRunView(run) }, { location: `/v1/projects/${encodeURIComponent(params.id)}/run` });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/projects/:id/run',
      access: 'read',
      async handle({ res, params }) {
        const { run } = await call(engine, 'apps.status', { projectId: params.id });
        sendJson(res, 200, { run: appRunView(run) });
      },
    },
    {
      // The start command, a pinned port, registry access for installs: kept for the project's next runs.
      method: 'PATCH',
      pattern: '/v1/projects/:id/run',
      access: 'write',
      async handle({ req, res, params }) {
        const body = RunSettingsBody.safeParse(await readJsonBody(req));
        if (!body.success) throw invalidInput('Send what to keep, e.g. {"command": "npm run dev", "pinned_port": 5173, "install_network": true} (null: back to the detected command, or any port).', fieldErrors(body.error.issues));
        const { command, pinned_port, install_network } = body.data;
        const { run } = await call(engine, 'apps.configure', { projectId: params.id, command, pinnedPort: pinned_port, installNetwork: install_network });
        sendJson(res, 200, { run: appRunView(run) });
      },
    },
    {
      method: 'POST',
      pattern: '/v1/projects/:id/stop',
      access: 'write',
      async handle({ req, res, params }) {
        await readOptionalJsonBody(req);
        const { run } = await call(engine, 'apps.stop', { projectId: params.id });
        sendJson(res, 200, { run: appRunView(run) });
      },
    },
  ];
}
