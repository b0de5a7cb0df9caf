// /v1/providers: the provider configuration (Ollama's entry first, keys masked), keys, reachability,
// each provider's models, and Software Maker's YAML. Thin, like the other routes: parse → engine.invoke
// → shape (snake_case). A key goes in (PUT …/key) and never comes out: views carry key_source and key_hint.
import { z } from 'zod';
import type { LlmConfigView, ProviderModel, ProviderStatus } from '../../../shared/index.js';
import { EnvNameSchema, LlmConfigSchema, LlmModeSchema, ProviderIdSchema, fieldErrors } from '../../../shared/index.js';
import { call, type RestEngine } from './engine-api.js';
import { MAX_BODY_BYTES, invalidInput, readBodyText, readJsonBody, sendJson } from './http.js';
import type { Route } from './router.js';

const ProviderBody = z
  .object({
    id: ProviderIdSchema,
    kind: z.enum(['openai', 'anthropic']),
    label: z.string().trim().max(60).optional(),
    enabled: z.boolean(),
    base_url: z.string().url().max(500),
    model: z.string().trim().min(1).max(200).nullable().optional(),
    api_key_env: EnvNameSchema.nullable().optional(),
    context_length: z.number().int().min(512).max(10_000_000).nullable().optional(),
  })
  .strict();

/** PATCH /v1/providers: any of mode, local_only, providers (the whole list, Ollama's entry left out), routing. */
export const ProvidersPatchBody = z
  .object({
    mode: LlmModeSchema.optional(),
    local_only: z.boolean().optional(),
    providers: z.array(ProviderBody).max(16).optional(),
    routing: LlmConfigSchema.shape.routing.optional(),
  })
  .strict();

/** PUT /v1/providers/{id}/key. allow_plaintext: consent to a 0600 plaintext file where no keychain exists. */
export const ProviderKeyBody = z
  .object({ key: z.string().min(1).max(4096), allow_plaintext: z.boolean().optional(), allowPlaintext: z.boolean().optional() })
  .strict();

export function providersView(v: LlmConfigView) {
  return {
    mode: v.mode,
    local_only: v.localOnly,
    providers: v.providers.map((p) => ({
      id: p.id,
      kind: p.kind,
      label: p.label,
      enabled: p.enabled,
      base_url: p.baseUrl,
      model: p.model,
      api_key_env: p.apiKeyEnv,
      context_length: p.contextLength,
      /** keychain · file · env · null (no key) */
      key_source: p.keySource,
      /** "••••••••3xQz": the last 4 characters at most. */
      key_hint: p.keyHint,
      leaves_machine: p.leavesMachine,
    })),
    routing: v.routing,
    key_store: v.keyStore,
  };
}

function statusView(s: ProviderStatus) {
  return {
    id: s.id,
    kind: s.kind,
    label: s.label,
    host: s.host,
    enabled: s.enabled,
    leaves_machine: s.leavesMachine,
    reachable: s.reachable,
    version: s.version,
    error: s.error,
    checked_at: new Date(s.checkedAt).toISOString(),
  };
}

function modelView(m: ProviderModel) {
  return {
    ref: m.ref,
    provider: m.provider,
    name: m.name,
    context_length: m.contextLength,
    context_source: m.contextSource,
    loaded_context_length: m.loadedContextLength,
    leaves_machine: m.leavesMachine,
    fit: m.fit,
  };
}

function parse<T extends z.ZodType>(schema: T, raw: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(raw);
  // Never echo the body: it may hold a key. zod's messages name the rule, not the value.
  if (!parsed.success) throw invalidInput(`${what} is not valid.`, fieldErrors(parsed.error.issues));
  return parsed.data;
}

const id = (params: Record<string, string>) => parse(ProviderIdSchema, params.id, 'The provider id');
const YAML_TYPE = 'text/yaml; charset=utf-8';

export function providerRoutes(engine: RestEngine): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/providers',
      access: 'read',
      async handle({ res }) {
        sendJson(res, 200, providersView(await call(engine, 'providers.get', {})));
      },
    },
    {
      method: 'PATCH',
      pattern: '/v1/providers',
      access: 'write',
      async handle({ req, res }) {
        const body = parse(ProvidersPatchBody, await readJsonBody(req), 'The providers change');
        const view = await call(engine, 'providers.update', {
          mode: body.mode,
          localOnly: body.local_only,
          routing: body.routing,
          providers: body.providers?.map((p) => ({
            id: p.id,
            kind: p.kind,
            label: p.label ?? '',
            enabled: p.enabled,
            baseUrl: p.base_url,
            model: p.model ?? null,
            apiKeyEnv: p.api_key_env ?? null,
            contextLength: p.context_length ?? null,
          })),
        });
        sendJson(res, 200, providersView(view));
      },
    },
    {
      method: 'PUT',
      pattern: '/v1/providers/:id/key',
      access: 'write',
      async handle({ req, res, params }) {
        const body = parse(ProviderKeyBody, await readJsonBody(req, 16 * 1024), 'The key body');
        const view = await call(engine, 'providers.setKey', { id: id(params), key: body.key, allowPlaintext: body.allow_plaintext ?? body.allowPlaintext });
        sendJson(res, 200, providersView(view));
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/providers/:id/key',
      access: 'write',
      async handle({ res, params }) {
        sendJson(res, 200, providersView(await call(engine, 'providers.deleteKey', { id: id(params) })));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/providers/status',
      access: 'read',
      async handle({ res, url }) {
        const { providers } = await call(engine, 'providers.status', { refresh: url.searchParams.get('refresh') === 'true' });
        sendJson(res, 200, { providers: providers.map(statusView) });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/providers/:id/models',
      access: 'read',
      async handle({ res, params, url }) {
        const { models } = await call(engine, 'providers.models', { id: id(params), refresh: url.searchParams.get('refresh') === 'true' });
        sendJson(res, 200, { models: models.map(modelView) });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/providers/config.yaml',
      access: 'read',
      async handle({ res }) {
        const { yaml } = await call(engine, 'providers.exportYaml', {});
        res.writeHead(200, { 'content-type': YAML_TYPE, 'cache-control': 'no-store', 'content-disposition': 'inline; filename="macs-llm.yaml"' }).end(yaml);
      },
    },
    {
      method: 'PUT',
      pattern: '/v1/providers/config.yaml',
      access: 'write',
      async handle({ req, res }) {
        const yaml = await readBodyText(req, Math.min(MAX_BODY_BYTES, 200_000));
        if (yaml.trim() === '') throw invalidInput('Send the YAML as the body (Content-Type: text/yaml).', [{ path: '(body)', message: 'empty' }]);
        sendJson(res, 200, providersView(await call(engine, 'providers.importYaml', { yaml })));
      },
    },
  ];
}
