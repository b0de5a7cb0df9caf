import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MacsError } from '../../shared/index.js';
import { defaultDataDir } from '../core/config/index.js';
import { appCommand } from './app-command.js';
import { isClientCommand, runClientCommand } from './client-commands.js';
import type { CliContext } from './context.js';
import { execCommand } from './exec-command.js';
import { hardwareCommand } from './hardware-command.js';
import { modelsCommand } from './models-command.js';
import { projectCommand } from './project-command.js';
import { providersCommand } from './providers-command.js';
import { runCommand } from './run-command.js';
import { SpecError, chooseProvider, looksLikeSpecFile, readTinySpec } from './run-spec.js';
import { serveCommand } from './serve-command.js';
import { REPLAY_USAGE, parseReplayArgs, replayCommand, stepsCommand } from './step-commands.js';

declare const __MACS_VERSION__: string;
const VERSION = typeof __MACS_VERSION__ === 'string' ? __MACS_VERSION__ : '0.0.0-dev';

const USAGE = `macs ${VERSION} — local, offline code generation with Ollama

Usage:
  macs serve [--port N]                       serve the UI and the API on http://127.0.0.1:N (token printed)
  macs run "prompt" [--model M] [--out DIR] [--build] [--project ID]
                                              run one task headless, no server needed: a chat task, or with
                                              --build the build pipeline; files go to the task workspace (and DIR);
                                              --project ID: the next turn of that project, in its folder
  macs run spec.yaml                          the same from a tiny spec: project (id or name; a new name makes
                                              one), task, provider (as PROVIDER=), options (model, build, mode, num_ctx, out)
  macs providers list|status|models ID|set-key ID|delete-key ID|import FILE.yaml|export
                                              model providers beside Ollama (OpenAI-compatible servers, Anthropic):
                                              configuration, reachability, models, keys (read from stdin), and
                                              Software Maker's YAML (macs providers --help)
  macs project new|list|show|add|restore|undo|pause|resume|export|locate|rename|pin|unpin|delete …
                                              projects, turn after turn, on a server or the data dir
                                              (macs project --help for each command)
  macs app run|stop|logs PROJECT [--follow] [--timeout S]
                                              run what a project built (in the sandbox; prints its URL or
                                              why it did not start), stop it, or read its output
                                              (macs app --help for each command)
  macs hardware [--json]                      GPUs, VRAM, RAM and CPU of this machine (and which figures were corrected)
  macs exec --workspace DIR [--level L] [--timeout S] -- CMD ARGS…
                                              run one command in the sandbox the agent uses (L: read-only,
                                              workspace-write (default), workspace-write+net, unrestricted)
  macs models [--fits gpu,partial,cpu] [--language L] [--json]
                                              installed and curated models with fit verdicts for this machine

Client commands (talk to a running \`macs serve\`; \`agentctl\` is the same command):
  macs submit task.json [--wait] [--model M] [--build]
                                              queue a task: {"prompt": ...} or a TaskV1.1 spec ({"type": "CODE", ...});
                                              prints the task id; --wait streams the answer and waits for the end;
                                              --build makes a {"prompt"} body a build task
  macs status <id>                            status, attempts and timings
  macs show <id> [--events]                   status, files and the answer; --events adds the event timeline
  macs list [--status S] [--limit N]          recent tasks (S: queued, running, succeeded, failed, cancelled)
  macs cancel <id>                            stop a queued or running task
  macs steps <id>                             a build task's step attempts (step@vN, status, model, time, tokens,
                                              summary; failing tests beneath a failed test step)
  macs replay <id> <step> [--version N] [--cascade] [--no-cache] [--no-follow]
                                              re-run one step of a finished build task (the latest version, or
                                              vN) as a new version; --cascade re-runs the steps after it too;
                                              --no-cache asks the model again; follows it to the end unless
                                              --no-follow (exit 0 when the task succeeds); <step> may be
                                              step@vN, and Agent-MVP's design is plan (design@v1 = plan@v1)
  macs feedback feedback.json                 rate a task: {"task_id": ..., "rating": 1 | -1, "comment": ...}; a rating
                                              of 2–5 is read on a 1–5 scale (≤2 bad, 3 neutral, ≥4 good; "scale": 5
                                              for a 1 of 5)
  macs retry <id> [--wait]                    queue a failed or cancelled task again
  macs pause <id> | resume <id>               hold / release the task's project: its queued turns (this task, if
                                              not started) wait until resume; a running turn finishes
  macs logs <id> [--follow]                   the task's event timeline (steps, files, tests); --follow to the end
  Options: --url URL (default $MACS_URL or http://127.0.0.1:$MACS_PORT), --api-key KEY, --json (machine-readable)
  Exit codes: 0 ok · 1 the task failed or was cancelled, the task's state does not allow it (replay of a
              running or a chat task), or a server error · 2 usage or invalid input
              3 not found · 4 cannot reach the server · 5 unauthorized (wrong or missing API key: reads need it too)

  macs --version | --help

Environment:
  MACS_DATA_DIR   data directory (default: the desktop app's userData folder)
  MACS_PORT       port for serve and the client commands (default 7421; 0 = any free port, serve only)
  MACS_URL        server URL for the client commands (overrides MACS_PORT)
  MACS_API_KEY    the API key (serve: use this key; clients: send it). Default: the key file in the data dir
  API_KEY         clients: read when MACS_API_KEY is not set (the seed agentctl's name; MACS_API_KEY wins)
  PROVIDER        run: this run's provider: ollama, openai, anthropic (or claude), or a configured provider's
                  id (macs providers list); its model answers every step. Unknown or turned off: refused
  MACS_WORKSPACE_ROOT  serve: the folder relative TaskV1.1 input.repo.path values resolve against
                  (default: the home directory; "./workspace" means a new project)
  MACS_METRICS    serve: who may read /metrics: key (default: the API key), open (anyone), off (no route)
  OLLAMA_HOST     Ollama address (default http://127.0.0.1:11434)`;

const OPTIONS = {
  port: { type: 'string' },
  model: { type: 'string', short: 'm' },
  out: { type: 'string', short: 'o' },
  'num-ctx': { type: 'string' },
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  wait: { type: 'boolean', short: 'w' },
  events: { type: 'boolean' },
  status: { type: 'string' },
  limit: { type: 'string' },
  fits: { type: 'string' },
  workspace: { type: 'string' },
  level: { type: 'string' },
  timeout: { type: 'string' },
  language: { type: 'string' },
  build: { type: 'boolean' },
  project: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** The command word, found leniently (options may come first); undefined when there is none. */
export function commandOf(argv: string[]): string | undefined {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: false, options: OPTIONS }).positionals[0];
  } catch {
    return undefined;
  }
}

/** Start-up faults the user fixes (a read-only data folder) print one sentence, not a stack trace. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    return await dispatch(argv, env);
  } catch (err) {
    if (!(err instanceof MacsError && err.code === 'DATA_DIR_NOT_WRITABLE')) throw err;
    process.stderr.write(`macs: ${err.message}\n`);
    return 1;
  }
}

async function dispatch(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const ctx: CliContext = {
    version: VERSION,
    dataDir: defaultDataDir(env),
    rendererDir: env.MACS_RENDERER_DIR ?? path.resolve(here, '../renderer'),
    env,
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
  };
  // Its own parser too: `macs project export ID --version 2` takes a version.
  if (commandOf(argv) === 'project') return projectCommand(ctx, argv);
  if (commandOf(argv) === 'app') return appCommand(ctx, argv);
  if (commandOf(argv) === 'providers') return providersCommand(ctx, argv);
  if (commandOf(argv) === 'replay') {
    const replay = parseReplayArgs(argv);
    if (!replay.ok) {
      ctx.stderr(`${replay.message}\n${REPLAY_USAGE}`);
      return 2;
    }
    if (replay.help) {
      ctx.stdout(USAGE);
      return 0;
    }
    return replayCommand(ctx, replay.args);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    ctx.stderr(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    ctx.stdout(VERSION);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    ctx.stdout(USAGE);
    return values.help ? 0 : 2;
  }
  if (isClientCommand(command)) {
    if (values.limit !== undefined && !/^[1-9]\d*$/.test(values.limit)) {
      ctx.stderr(`--limit must be a whole number ≥ 1, got "${values.limit}".`);
      return 2;
    }
    return runClientCommand(ctx, command, rest, {
      url: values.url,
      apiKey: values['api-key'],
      json: values.json,
      wait: values.wait || values.follow,
      events: values.events,
      status: values.status,
      limit: values.limit,
      model: values.model,
      build: values.build,
    });
  }
  switch (command) {
    case 'serve': {
      const port = Number(values.port ?? env.MACS_PORT ?? 7421);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        ctx.stderr(`--port must be a number from 0 to 65535, got "${values.port ?? env.MACS_PORT}".`);
        return 2;
      }
      return serveCommand(ctx, { port });
    }
    case 'exec':
      return execCommand(ctx, { workspace: values.workspace, level: values.level, timeoutS: values.timeout, command: rest });
    case 'steps':
      return stepsCommand(ctx, rest, { url: values.url, apiKey: values['api-key'], json: values.json });
    case 'hardware':
      return hardwareCommand(ctx, { json: values.json });
    case 'models':
      return modelsCommand(ctx, { json: values.json, fits: values.fits, language: values.language });
    case 'run': {
      if (rest.length === 1 && looksLikeSpecFile(rest[0])) return runSpecFile(ctx, rest[0], { model: values.model, out: values.out, build: values.build });
      let provider: string | undefined;
      try {
        provider = chooseProvider(undefined, env);
      } catch (err) {
        ctx.stderr((err as Error).message);
        return 2;
      }
      const prompt = rest.join(' ').trim();
      if (!prompt) {
        ctx.stderr('macs run needs a prompt, e.g.: macs run "a Python CLI that converts CSV to JSON, with tests"');
        return 2;
      }
      const numCtx = values['num-ctx'] ? Number(values['num-ctx']) : undefined;
      if (numCtx !== undefined && (!Number.isInteger(numCtx) || numCtx < 512)) {
        ctx.stderr('--num-ctx must be a whole number ≥ 512.');
        return 2;
      }
      return runCommand(ctx, { prompt, model: values.model, out: values.out, numCtx, build: values.build, projectId: values.project, provider });
    }
    default:
      ctx.stderr(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

/** `macs run spec.yaml` (run-spec.ts); --model, --out and --build on the command line win over the spec's options. */
async function runSpecFile(ctx: CliContext, file: string, flags: { model?: string; out?: string; build?: boolean }): Promise<number> {
  let spec;
  try {
    spec = readTinySpec(file, ctx.env);
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    ctx.stderr(err.message);
    return 2;
  }
  return runCommand(ctx, { prompt: spec.prompt, model: flags.model ?? spec.model, out: flags.out ?? spec.out, numCtx: spec.numCtx, build: flags.build || spec.build, project: spec.project, provider: spec.provider });
}
