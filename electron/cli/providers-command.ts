// `macs providers list|status|models <id>|set-key <id>|delete-key <id>|import <file.yaml>|export`:
// the provider configuration, headless on the data dir (no server needed), through the engine's
// providers.* methods (the same as Settings → Providers and /v1/providers). A key is read from
// stdin, never from argv (argv is visible to every user in `ps` and stays in shell history).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { LlmConfigView, MethodName, MethodParams, MethodResult } from '../../shared/index.js';
import { toErrorPayload } from '../../shared/index.js';
import { createEngine } from '../core/engine/index.js';
import type { CliContext } from './context.js';
import { table } from './format.js';

export const PROVIDERS_USAGE = `Usage:
  macs providers list [--json]              each provider (Ollama first): kind, address, model, where its key comes
                                            from (masked), whether prompts leave this machine; mode, local only
  macs providers status [--json]            each enabled provider's reachability
  macs providers models <id> [--json]       the models a provider serves, with context sizes from its server
  macs providers set-key <id> [--allow-plaintext]
                                            store a provider's key, read from stdin (never from the command line:
                                            echo "$KEY" | macs providers set-key openai, or type it when asked).
                                            Without an OS keychain (macs serve, the CLI) the key goes to a 0600
                                            file in the data dir only with --allow-plaintext (asked once); or
                                            leave it unstored and set the provider's api_key_env variable
  macs providers delete-key <id>            forget a provider's stored key
  macs providers import <file.yaml>         replace the configuration from Software Maker's YAML (llm: mode,
                                            providers, routing); keys in the file are refused
  macs providers export                     the configuration as that YAML, on stdout (never a key)`;

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_NOT_FOUND = 3;

type Invoke = <M extends MethodName>(method: M, params: MethodParams<M>) => Promise<MethodResult<M>>;

export interface ProvidersCommandDeps {
  /** Seam for tests: the engine's invoke (by default an engine on the data dir, runsQueue: false). */
  withEngine?: <T>(ctx: CliContext, use: (invoke: Invoke) => Promise<T>) => Promise<T>;
  /** Seam for tests: the key as typed or piped. */
  readKey?: (ctx: CliContext, id: string) => Promise<string>;
}

async function engineOnDataDir<T>(ctx: CliContext, use: (invoke: Invoke) => Promise<T>): Promise<T> {
  const engine = createEngine({ dataDir: ctx.dataDir, host: 'cli', version: ctx.version, ollamaHost: ctx.env.OLLAMA_HOST, env: ctx.env, runsQueue: false });
  try {
    return await use((method, params) => engine.invoke(method, params) as never);
  } finally {
    await engine.close();
  }
}

/** Piped: all of stdin. A terminal: one line, not echoed. */
async function readKeyFromStdin(_ctx: CliContext, id: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').trim();
  }
  process.stderr.write(`Key for ${id} (not shown; Enter to finish): `);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise<string>((resolve, reject) => {
    let key = '';
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(key.trim());
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        key = ch === '\u007f' || ch === '\b' ? key.slice(0, -1) : key + ch;
      }
    };
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

function keyCell(p: LlmConfigView['providers'][number]): string {
  if (p.kind === 'ollama') return '—';
  if (p.keySource === null) return p.apiKeyEnv ? `none (set ${p.apiKeyEnv})` : 'none';
  return `${p.keyHint ?? ''} (${p.keySource === 'env' ? `env ${p.apiKeyEnv}` : p.keySource})`;
}

function renderList(ctx: CliContext, view: LlmConfigView): void {
  ctx.stdout(`Mode        ${view.mode}${view.mode === 'hybrid' ? ' (routing as configured)' : ''}`);
  ctx.stdout(`Local only  ${view.localOnly ? 'on: no prompt leaves this machine or its network' : 'off: cloud providers may be used'}`);
  ctx.stdout(`Keys        ${view.keyStore.backend === 'keychain' ? 'OS keychain' : `a 0600 file in the data dir (plain text${view.keyStore.consented ? ', allowed' : ', not yet allowed'})`}`);
  ctx.stdout('');
  const rows = view.providers.map((p) => [p.id, p.kind, p.enabled ? 'yes' : 'no', p.baseUrl, p.model ?? '—', keyCell(p), p.leavesMachine ? 'leaves this machine' : 'local']);
  for (const line of table(['ID', 'KIND', 'ON', 'ADDRESS', 'MODEL', 'KEY', 'WHERE'], rows)) ctx.stdout(line);
  const routes = Object.entries(view.routing);
  if (routes.length > 0) {
    ctx.stdout('');
    ctx.stdout('Routing');
    for (const [role, route] of routes) {
      const targets = route!.targets.map((t) => `${t.provider}${t.model ? `/${t.model}` : ''}${route!.strategy === 'weighted' ? ` ×${t.weight}` : ''}`);
      ctx.stdout(`  ${role.padEnd(9)} ${route!.strategy}: ${targets.join(' → ')}`);
    }
  }
}

export async function providersCommand(ctx: CliContext, argv: string[], deps: ProvidersCommandDeps = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, 'allow-plaintext': { type: 'boolean' }, refresh: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    ctx.stderr(`${(err as Error).message}\n\n${PROVIDERS_USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [, sub, arg, ...extra] = positionals; // positionals[0] is "providers"
  if (values.help) {
    ctx.stdout(PROVIDERS_USAGE);
    return 0;
  }
  const needsArg = sub === 'models' || sub === 'set-key' || sub === 'delete-key' || sub === 'import';
  const known = needsArg || sub === 'list' || sub === 'status' || sub === 'export';
  if (!known || (needsArg && !arg) || (!needsArg && arg !== undefined) || extra.length > 0) {
    ctx.stderr(`${!sub ? 'Say what to do.' : !known ? `Unknown providers command "${sub}".` : sub === 'set-key' && extra.length > 0 ? 'set-key reads the key from stdin, never from the command line.' : `Usage of providers ${sub}:`}\n\n${PROVIDERS_USAGE}`);
    return EXIT_USAGE;
  }
  const withEngine = deps.withEngine ?? engineOnDataDir;
  try {
    return await withEngine(ctx, async (invoke) => {
      switch (sub) {
        case 'list': {
          const view = await invoke('providers.get', {});
          if (values.json) ctx.stdout(JSON.stringify(view, null, 2));
          else renderList(ctx, view);
          return 0;
        }
        case 'status': {
          const { providers } = await invoke('providers.status', { refresh: true });
          if (values.json) ctx.stdout(JSON.stringify(providers, null, 2));
          else for (const line of table(['ID', 'KIND', 'HOST', 'STATE'], providers.map((p) => [p.id, p.kind, p.host, !p.enabled ? 'off' : p.reachable ? `up${p.version ? ` (${p.version})` : ''}` : `unreachable: ${p.error?.message ?? 'no answer'}`]))) ctx.stdout(line);
          return 0;
        }
        case 'models': {
          const { models } = await invoke('providers.models', { id: arg!, refresh: values.refresh ?? false });
          if (values.json) ctx.stdout(JSON.stringify(models, null, 2));
          else if (models.length === 0) ctx.stdout(`${arg} lists no models.`);
          else for (const line of table(['MODEL', 'CONTEXT', 'FROM', 'FIT'], models.map((m) => [m.ref, m.contextLength?.toString() ?? 'unknown', m.contextSource ?? '—', m.fit]))) ctx.stdout(line);
          return 0;
        }
        case 'set-key': {
          const key = await (deps.readKey ?? readKeyFromStdin)(ctx, arg!);
          if (!key) {
            ctx.stderr('No key was given on stdin; nothing stored.');
            return EXIT_USAGE;
          }
          const view = await invoke('providers.setKey', { id: arg!, key, allowPlaintext: values['allow-plaintext'] || undefined });
          const p = view.providers.find((x) => x.id === arg);
          ctx.stdout(`Stored the key of ${arg} (${p?.keyHint ?? 'masked'}) in ${view.keyStore.backend === 'keychain' ? 'the OS keychain' : 'the 0600 key file'}.`);
          return 0;
        }
        case 'delete-key': {
          await invoke('providers.deleteKey', { id: arg! });
          ctx.stdout(`Forgot the stored key of ${arg}.`);
          return 0;
        }
        case 'import': {
          let yaml: string;
          try {
            yaml = fs.readFileSync(arg!, 'utf8');
          } catch (err) {
            ctx.stderr(`Cannot read ${arg}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
            return EXIT_USAGE;
          }
          const view = await invoke('providers.importYaml', { yaml });
          ctx.stdout(`Imported ${arg}: mode ${view.mode}, local only ${view.localOnly ? 'on' : 'off'}, providers ${view.providers.map((p) => p.id).join(', ')}.`);
          return 0;
        }
        default: {
          ctx.write((await invoke('providers.exportYaml', {})).yaml);
          return 0;
        }
      }
    });
  } catch (err) {
    const e = toErrorPayload(err);
    const fields = Array.isArray(e.details?.fields) ? (e.details.fields as { path: string; message: string }[]) : [];
    ctx.stderr(`error: ${e.message}${e.code === 'KEY_STORE_NEEDS_CONSENT' ? '\n(add --allow-plaintext to allow it)' : ''}${fields.length > 1 ? `\n${fields.map((f) => `  ${f.path}: ${f.message}`).join('\n')}` : ''}`);
    return e.code === 'PROVIDER_NOT_FOUND' ? EXIT_NOT_FOUND : e.code === 'CONFIG_INVALID' || e.code === 'INVALID_INPUT' || e.code === 'KEY_STORE_NEEDS_CONSENT' ? EXIT_USAGE : EXIT_FAILED;
  }
}
