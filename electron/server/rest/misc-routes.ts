import { FeedbackBodySchema, fieldErrors } from '../../../shared/index.js';
import { call, type RestEngine } from './engine-api.js';
import { invalidInput, readJsonBody, sendJson } from './http.js';
import type { Metrics } from './metrics.js';
import { modelsRoute } from './model-routes.js';
import type { Route } from './router.js';

export function miscRoutes(engine: RestEngine, metrics: Metrics): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/feedback',
      auth: true,
      async handle({ req, res }) {
        const parsed = FeedbackBodySchema.safeParse(await readJsonBody(req));
        if (!parsed.success) throw invalidInput('Invalid feedback.', fieldErrors(parsed.error.issues));
        const { task_id, rating, comment } = parsed.data;
        const { id } = await call(engine, 'feedback.submit', { taskId: task_id, rating, comment });
        sendJson(res, 201, { id });
      },
    },
    modelsRoute(engine),
    {
      method: 'GET',
      pattern: '/health',
      auth: false,
      async handle({ res }) {
        // 200 even when Ollama is down: `ok` says MACS itself is up; Ollama's state is reported beside it.
        const status = await call(engine, 'ollama.status', {});
        sendJson(res, 200, {
          ok: true,
          ollama: { reachable: status.reachable, host: status.host, version: status.version, error: status.error },
          db: engine.dbPath,
        });
      },
    },
    {
      method: 'GET',
      pattern: '/metrics',
      auth: false,
      async handle({ res }) {
        const text = await metrics.render();
        res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(text);
      },
    },
  ];
}
