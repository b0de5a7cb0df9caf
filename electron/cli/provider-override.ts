// PROVIDER= for the commands that queue tasks on a server (macs submit, macs project new|add):
// the same check as `macs run` (run-spec.ts), against the server's configuration (GET /v1/providers),
// then task metadata providerOverride, which the engine's registry honours.
import type { ApiClient } from './api-client.js';
import { UsageError } from './client-commands.js';
import { SpecError, checkProviderOverride, chooseProvider } from './run-spec.js';

/** { providerOverride } when PROVIDER= is set and names a configured, enabled provider (or a kind one has); {} without it. */
export async function providerOverrideMetadata(client: ApiClient, env: NodeJS.ProcessEnv): Promise<{ providerOverride?: string }> {
  let value: string | undefined;
  try {
    value = chooseProvider(undefined, env);
  } catch (err) {
    if (err instanceof SpecError) throw new UsageError(err.message);
    throw err;
  }
  if (!value) return {};
  const view = await client.request<{ providers: { id: string; kind: string; enabled: boolean }[] }>('GET', '/v1/providers');
  try {
    return { providerOverride: checkProviderOverride(value, view) };
  } catch (err) {
    // PROVIDER_NOT_FOUND: how the command was called, as `macs run` says it (exit 2).
    throw new UsageError(`error: ${(err as Error).message}`);
  }
}

/** A {"prompt"} body with the override in its metadata; a TaskV1.1 body cannot carry one (refused, not ignored). */
export function withProviderOverride(body: unknown, meta: { providerOverride?: string }): unknown {
  if (!meta.providerOverride) return body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'type' in body || 'input' in body) {
    throw new UsageError(`PROVIDER=${meta.providerOverride} applies to {"prompt": …} bodies; for a TaskV1.1 spec, route its roles to the provider (macs providers import) or run it with macs run.`);
  }
  const { metadata } = body as { metadata?: unknown };
  const base = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? metadata : {};
  return { ...body, metadata: { ...base, providerOverride: meta.providerOverride } };
}
