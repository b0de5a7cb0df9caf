// `macs run spec.yaml`: the Unified Orchestrator's tiny spec, read with the `yaml` package.
//   project: hello-api          # a project's id or name: its next turn; a new name: a new project so named
//   task: "A FastAPI hello world with tests"
//   provider: lmstudio          # or PROVIDER=…: ollama, openai, anthropic/claude, or a configured provider's id
//   options: { model: qwen2.5-coder:7b, build: true, num_ctx: 8192, out: ./out }
// A syntax error is reported with its line and column; a field that cannot be honoured is
// named with what is accepted.
import fs from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { MacsError, OLLAMA_PROVIDER_ID, fieldErrors } from '../../shared/index.js';

/** The kinds PROVIDER= may name instead of a provider's id ("claude" is Software Maker's name for anthropic). */
export const PROVIDER_KINDS = ['ollama', 'openai', 'anthropic', 'claude'] as const;

const TinySpecSchema = z
  .object({
    project: z.union([z.string().trim().min(1).max(200), z.number()]).transform(String).optional(),
    task: z.string({ error: 'Say what to do: task: "a Python CLI that converts CSV to JSON, with tests".' }).trim().min(1, 'Say what to do.').max(200_000),
    provider: z.string().trim().min(1).max(100).optional(),
    options: z
      .object({
        model: z.string().trim().min(1).max(200).optional(),
        /** true: the build pipeline (plan → implement → test → review); false or omitted: a chat answer. */
        build: z.boolean().optional(),
        mode: z.enum(['chat', 'build'], { error: 'Expected "chat" or "build".' }).optional(),
        num_ctx: z.number().int().min(512).max(1_048_576).optional(),
        /** Copy the files here too when the task ends. */
        out: z.string().trim().min(1).max(4096).optional(),
      })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

export interface TinySpec {
  prompt: string;
  /** A project's id or name. */
  project?: string;
  model?: string;
  build: boolean;
  numCtx?: number;
  out?: string;
  /** spec.provider or PROVIDER=: checked against the configuration when the engine is open (checkProviderOverride). */
  provider?: string;
}

export class SpecError extends Error {}

/** Is this `macs run` argument a spec file rather than a prompt? */
export function looksLikeSpecFile(arg: string): boolean {
  return /\.ya?ml$/i.test(arg.trim()) && fs.existsSync(arg.trim());
}

/**
 * spec.provider, else PROVIDER=, else none (the configuration's routing decides). Only its form
 * is checked here; whether such a provider is configured and on is checkProviderOverride's.
 */
export function chooseProvider(fromSpec: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const raw = (fromSpec ?? env.PROVIDER ?? '').trim();
  if (raw === '') return undefined;
  const chosen = raw.toLowerCase();
  if (/^[a-z][a-z0-9_-]{0,31}$/.test(chosen)) return chosen;
  const where = fromSpec !== undefined ? `provider: ${raw}` : `PROVIDER=${raw}`;
  throw new SpecError(`${where}: not a provider; say ${PROVIDER_KINDS.join(', ')} or a configured provider's id (macs providers list).`);
}

/**
 * PROVIDER=<id or kind> for one run: ollama; a configured provider's id (it must be on); or a
 * kind (openai, anthropic/claude) that an enabled provider has. PROVIDER_NOT_FOUND lists what is configured.
 */
export function checkProviderOverride(value: string, view: { providers: readonly { id: string; kind: string; enabled: boolean }[] }): string {
  const v = value.trim().toLowerCase();
  if (v === OLLAMA_PROVIDER_ID) return v;
  const configured = view.providers.filter((p) => p.id !== OLLAMA_PROVIDER_ID);
  const list = configured.length ? `configured: ${[OLLAMA_PROVIDER_ID, ...configured.map((p) => `${p.id} (${p.kind}${p.enabled ? '' : ', off'})`)].join(', ')}` : 'only ollama is configured; add providers in Settings → Providers or macs providers import';
  const byId = configured.find((p) => p.id === v);
  if (byId) {
    if (byId.enabled) return v;
    throw new MacsError('PROVIDER_NOT_FOUND', `PROVIDER=${value}: the provider "${byId.id}" is turned off; turn it on in Settings → Providers (${list}).`, { provider: v, configured: configured.map((p) => p.id) });
  }
  const kind = v === 'claude' ? 'anthropic' : v;
  if ((kind === 'openai' || kind === 'anthropic') && configured.some((p) => p.kind === kind && p.enabled)) return v;
  const what = kind === 'openai' || kind === 'anthropic' ? `no enabled provider of kind ${kind}` : `no provider "${v}"`;
  throw new MacsError('PROVIDER_NOT_FOUND', `PROVIDER=${value}: ${what} is configured (${list}).`, { provider: v, configured: configured.map((p) => p.id) });
}

/** Reads and checks a tiny spec; every problem is a SpecError with file:line:column or the field. */
export function readTinySpec(file: string, env: NodeJS.ProcessEnv): TinySpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SpecError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = e.linePos?.[0];
    throw new SpecError(`${file}:${at ? `${at.line}:${at.col}` : '?'}: YAML syntax error (line ${at?.line ?? '?'}, column ${at?.col ?? '?'}): ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpecError(`${file}: expected a mapping with task (and project, provider, options), e.g.\n  project: hello-api\n  task: "a FastAPI hello world with tests"`);
  }
  const parsed = TinySpecSchema.safeParse(value);
  if (!parsed.success) {
    const lines = fieldErrors(parsed.error.issues).map((f) => `  ${f.path === '(body)' ? '(spec)' : f.path}: ${f.message}`);
    throw new SpecError(`${file}: ${lines.length} problem(s); fields are project, task, provider, options (model, build, mode, num_ctx, out):\n${lines.join('\n')}`);
  }
  const { project, task, provider: fromSpec, options } = parsed.data;
  const provider = chooseProvider(fromSpec, env);
  if (options?.build !== undefined && options.mode !== undefined && options.build !== (options.mode === 'build')) {
    throw new SpecError(`${file}: options.build and options.mode disagree; give one of them.`);
  }
  return {
    prompt: task,
    project,
    model: options?.model,
    build: options?.build ?? options?.mode === 'build',
    numCtx: options?.num_ctx,
    out: options?.out,
    provider,
  };
}
