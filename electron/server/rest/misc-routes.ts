import { FeedbackBodySchema, feedbackScore, fieldErrors } from '../../../shared/index.js';
import { call, type RestEngine } from './engine-api.js';
import { RestError, invalidInput, readJsonBody, sendJson } from './http.js';
import type { Metrics, MetricsAccess } from './metrics.js';
import { modelsRoute } from './model-routes.js';
import { CHALLENGE_HEADER, PROOF_HEADER, isChallenge, serverProof } from './server-proof.js';
import type { Route } from './router.js';

export function miscRoutes(engine: RestEngine, metrics: Metrics, metricsAccess: MetricsAccess): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/feedback',
      access: 'write',
      async handle({ req, res }) {
        const parsed = FeedbackBodySchema.safeParse(await readJsonBody(req));
        if (!parsed.success) throw invalidInput('Invalid feedback.', fieldErrors(parsed.error.issues));
        const { task_id, comment } = parsed.data;
        // A 1–5 rating (the seed clients' scale) is mapped; the answer says how it was read.
        const { score, given, scale } = feedbackScore(parsed.data);
        const { id } = await call(engine, 'feedback.submit', { taskId: task_id, rating: score, comment, given: { rating: given, scale } });
        sendJson(res, 201, { id, rating: score, given: { rating: given, scale } });
      },
    },
    modelsRoute(engine),
    {
      method: 'GET',
      pattern: '/health',
      access: 'public',
      async handle({ req, res, caller }) {
        // A client about to send the key asks the server to prove it holds it (server-proof.ts).
        const challenge = req.headers[CHALLENGE_HEADER];
        const proof: Record<string, string> = isChallenge(challenge) ? { [PROOF_HEADER]: serverProof(engine.apiKey().apiKey, challenge) } : {};
        // Anyone may ask whether MACS is up; only a caller with a credential learns more
        // (the Ollama host, the database path on disk).
        if (caller.kind === 'anonymous') {
          sendJson(res, 200, { status: 'ok' }, proof);
          return;
        }
        // 200 even when Ollama is down: `ok` says MACS itself is up; Ollama's state is reported beside it.
        const status = await call(engine, 'ollama.status', {});
        sendJson(
          res,
          200,
          {
            status: 'ok',
            ok: true,
            ollama: { reachable: status.reachable, host: status.host, version: status.version, error: status.error },
            db: engine.dbPath,
          },
          proof,
        );
      },
    },
    {
      method: 'GET',
      pattern: '/metrics',
      // Off: a 404 for everyone, credential or not (nothing to protect).
      access: metricsAccess === 'key' ? 'read' : 'public',
      async handle({ res }) {
        if (metricsAccess === 'off') throw new RestError(404, 'UNKNOWN_METHOD', 'Metrics are turned off on this server (MACS_METRICS=off).');
        const text = await metrics.render();
        res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(text);
      },
    },
  ];
}
