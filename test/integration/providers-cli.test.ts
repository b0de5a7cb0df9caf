// `macs providers …` and PROVIDER= for `macs run`, in-process on a real data dir (SQLite file,
// secrets/ key file) with the Ollama stand-in: the commands as a user runs them, output captured.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult } from '../../shared/index.js';
import type { CliContext } from '../../electron/cli/context.js';
import { PROVIDERS_USAGE, providersCommand } from '../../electron/cli/providers-command.js';
import { runCommand } from '../../electron/cli/run-command.js';
import { runClientCommand } from '../../electron/cli/client-commands.js';
import { projectCommand } from '../../electron/cli/project-command.js';
import { startServedEngine } from './served-engine.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, tempDataDir } from './helpers.js';

let standin: OllamaStandin;
let dataDir: string;
let out: string[];
let err: string[];
let ctx: CliContext;
const KEY = 'sk-or-v1-CLICANARY0123456789abcdWXyz';

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('providers-cli');
  out = [];
  err = [];
  ctx = {
    version: 'test',
    dataDir,
    rendererDir: dataDir,
    env: { OLLAMA_HOST: standin.url, OPENROUTER_KEY: '' },
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    write: (text) => out.push(text),
  };
});
afterEach(async () => {
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const YAML = `llm:
  mode: hybrid
  local_only: false
  providers:
    ollama: { model: qwen2.5-coder:7b }
    openrouter: { model: "qwen/qwen3-coder:free", api_key_env: OPENROUTER_KEY }
    vllm: { enabled: false, model: Qwen/Qwen2.5-Coder-7B }
  routing:
    plan: [openrouter, ollama]
`;

const providers = (argv: string[], key?: string) => providersCommand(ctx, ['providers', ...argv], { readKey: async () => key ?? '' });

describe('macs providers', () => {
  it('import → list → export; the YAML round-trips through the data dir', async () => {
    const file = path.join(dataDir, 'llm.yaml');
    fs.writeFileSync(file, YAML);
    expect(await providers(['import', file])).toBe(0);
    expect(out.pop()).toBe(`Imported ${file}: mode hybrid, local only off, providers ollama, openrouter, vllm.`);
    expect(await providers(['list'])).toBe(0);
    const listed = out.join('\n');
    expect(listed).toMatch(/^Mode\s+hybrid/m);
    expect(listed).toMatch(/openrouter\s+openai\s+yes\s+https:\/\/openrouter\.ai\/api\/v1\s+qwen\/qwen3-coder:free\s+none \(set OPENROUTER_KEY\)\s+leaves this machine/);
    expect(listed).toMatch(/plan\s+fallback: openrouter → ollama/);
    out = [];
    expect(await providers(['export'])).toBe(0);
    const exported = out.join('');
    expect(exported).toContain('openrouter: { kind: openai, enabled: true, base_url: https://openrouter.ai/api/v1, model: qwen/qwen3-coder:free, api_key_env: OPENROUTER_KEY }');
    expect(exported).toContain('ollama: { enabled: true, base_url: ' + standin.url + ', model: qwen2.5-coder:7b }');
  });

  it('set-key: refused without a keychain until --allow-plaintext; then masked in list; delete-key forgets it', async () => {
    fs.writeFileSync(path.join(dataDir, 'llm.yaml'), YAML);
    await providers(['import', path.join(dataDir, 'llm.yaml')]);
    expect(await providers(['set-key', 'openrouter'], KEY)).toBe(2);
    expect(err.pop()).toContain('set OPENROUTER_KEY and leave the key field empty.\n(add --allow-plaintext to allow it)');
    expect(await providers(['set-key', 'openrouter', '--allow-plaintext'], KEY)).toBe(0);
    expect(out.pop()).toBe('Stored the key of openrouter (••••••••WXyz) in the 0600 key file.');
    expect(fs.statSync(path.join(dataDir, 'secrets', 'provider-keys.json')).mode & 0o777).toBe(0o600);
    await providers(['list']);
    expect(out.join('\n')).toContain('••••••••WXyz (file)');
    expect(await providers(['set-key', 'nobody', '--allow-plaintext'], KEY)).toBe(3);
    expect(err.pop()).toContain('No provider "nobody" is configured (configured: openrouter, vllm)');
    expect(await providers(['delete-key', 'openrouter'])).toBe(0);
    out = [];
    await providers(['list', '--json']);
    expect(JSON.parse(out.join('')).providers[1]).toMatchObject({ id: 'openrouter', keySource: null, keyHint: null });
    for (const line of [...out, ...err]) expect(line).not.toContain(KEY);
  });

  it('set-key takes no key on the command line; usage errors say how', async () => {
    expect(await providers(['set-key', 'openrouter', KEY])).toBe(2);
    expect(err.pop()).toContain('set-key reads the key from stdin, never from the command line.');
    expect(await providers(['frobnicate'])).toBe(2);
    expect(await providers(['models'])).toBe(2);
    expect(await providers(['--help'])).toBe(0);
    expect(out.pop()).toBe(PROVIDERS_USAGE);
    expect(PROVIDERS_USAGE).toContain('read from stdin (never from the command line');
  });

  it('a bad YAML file is refused with its line and column, and nothing changes', async () => {
    const file = path.join(dataDir, 'bad.yaml');
    fs.writeFileSync(file, 'llm:\n  mode: [hybrid\n');
    expect(await providers(['import', file])).toBe(2);
    expect(err.pop()).toMatch(/^error: \d+:\d+: YAML syntax error/);
    fs.writeFileSync(file, 'llm:\n  providers:\n    openai: { api_key: sk-nope-1234567 }\n');
    expect(await providers(['import', file])).toBe(2);
    expect(err.pop()).toContain('llm.providers.openai.api_key: put keys in the keychain or an environment variable');
    await providers(['list', '--json']);
    expect(JSON.parse(out.join('')).providers.map((p: { id: string }) => p.id)).toEqual(['ollama']);
  });

  it('status lists Ollama (reachable, the stand-in) and an unreachable provider', async () => {
    fs.writeFileSync(path.join(dataDir, 'llm.yaml'), 'providers:\n  lmstudio: { base_url: "http://127.0.0.1:9/v1" }\n');
    await providers(['import', path.join(dataDir, 'llm.yaml')]);
    expect(await providers(['status'])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/ollama\s+ollama\s+\S+\s+up/);
    expect(text).toMatch(/lmstudio\s+openai\s+\S+\s+unreachable/);
  });
});

describe('PROVIDER= for macs run', () => {
  async function setUp(): Promise<void> {
    fs.writeFileSync(path.join(dataDir, 'llm.yaml'), YAML);
    expect(await providers(['import', path.join(dataDir, 'llm.yaml')])).toBe(0);
  }

  async function tasks(): Promise<MethodResult<'tasks.list'>['tasks']> {
    const engine = openEngine(dataDir, standin.url);
    try {
      return ((await engine.invoke('tasks.list', {})) as MethodResult<'tasks.list'>).tasks;
    } finally {
      await engine.close();
    }
  }

  it('an unknown or turned-off provider is PROVIDER_NOT_FOUND listing what is configured; no task is created', async () => {
    await setUp();
    expect(await runCommand(ctx, { prompt: 'hello', provider: 'lmstudio' })).toBe(2);
    expect(err.pop()).toBe('error: PROVIDER=lmstudio: no provider "lmstudio" is configured (configured: ollama, openrouter (openai), vllm (openai, off)).');
    expect(await runCommand(ctx, { prompt: 'hello', provider: 'vllm' })).toBe(2);
    expect(err.pop()).toContain('the provider "vllm" is turned off');
    expect(await runCommand(ctx, { prompt: 'hello', provider: 'anthropic' })).toBe(2);
    expect(err.pop()).toContain('no enabled provider of kind anthropic is configured');
    expect(await tasks()).toEqual([]);
  });

  it('PROVIDER=ollama runs and the task carries providerOverride', async () => {
    await setUp();
    standin.enqueueChat({ text: 'Hello there.\n', tokensPerSecond: 5000 });
    expect(await runCommand(ctx, { prompt: 'say hello', model: 'qwen2.5-coder:7b', provider: 'ollama' })).toBe(0);
    expect(err.join('\n')).toContain('· PROVIDER=ollama ·');
    const [task] = await tasks();
    expect(task.metadata).toMatchObject({ providerOverride: 'ollama' });
  });
});

describe('PROVIDER= for the commands that queue on a server (macs submit, macs project new|add)', () => {
  it('checks against the server’s providers and sets providerOverride; refuses an unknown one and a TaskV1.1 body', async () => {
    const served = await startServedEngine('providers-cli-serve');
    try {
      const url = `http://127.0.0.1:${served.server.port}`;
      const apiKey = served.engine.apiKey().apiKey;
      await served.engine.invoke('providers.importYaml', { yaml: YAML });
      const body = path.join(dataDir, 'task.json');
      fs.writeFileSync(body, JSON.stringify({ prompt: 'say hello', model: 'qwen2.5-coder:7b' }));
      const spec = path.join(dataDir, 'spec.json');
      fs.writeFileSync(spec, JSON.stringify({ type: 'CODE', input: { goal: 'a hello script' } }));

      ctx.env = { ...ctx.env, PROVIDER: 'nosuch' };
      expect(await runClientCommand(ctx, 'submit', [body], { url, apiKey })).toBe(2);
      expect(err.pop()).toContain('PROVIDER=nosuch: no provider "nosuch" is configured (configured: ollama, openrouter (openai), vllm (openai, off))');
      expect(await projectCommand(ctx, ['project', 'new', 'a hello script', '--url', url, '--api-key', apiKey])).toBe(2);

      ctx.env = { ...ctx.env, PROVIDER: 'OpenRouter' };
      expect(await runClientCommand(ctx, 'submit', [spec], { url, apiKey })).toBe(2);
      expect(err.pop()).toContain('PROVIDER=openrouter applies to {"prompt": …} bodies');
      expect(await runClientCommand(ctx, 'submit', [body], { url, apiKey })).toBe(0);
      expect(await projectCommand(ctx, ['project', 'new', 'a hello script', '--url', url, '--api-key', apiKey])).toBe(0);

      const { tasks } = (await served.engine.invoke('tasks.list', {})) as MethodResult<'tasks.list'>;
      expect(tasks).toHaveLength(2);
      for (const t of tasks) expect(t.metadata).toMatchObject({ providerOverride: 'openrouter' });
    } finally {
      await served.close();
    }
  });
});
