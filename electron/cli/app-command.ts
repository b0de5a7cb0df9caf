// `macs app run|stop|logs <project>`: run what a project built (issue 14) through the REST
// API's /v1/projects/{id}/run, on a server or on the data dir (project-backend.ts), like
// `macs project`. A run belongs to the process that started it: on a server it goes on after
// this command; on the data dir, `run` keeps serving until Ctrl-C, then stops the app.
import { parseArgs } from 'node:util';
import type { AppRunView } from '../server/rest/app-routes.js';
import type { ProjectView } from '../server/rest/project-view.js';
import { ApiError, type ApiClient } from './api-client.js';
import { EXIT, UsageError, reportError } from './client-commands.js';
import type { CliContext } from './context.js';
import { isRunning, linesOf, logLines, newTailLines, settledLines } from './app-output.js';
import { openProjectBackend, type ProjectBackend } from './project-backend.js';

export const APP_USAGE = `Usage: macs app <command> PROJECT …  (PROJECT: its id, or its name as macs project list shows it)

  macs app run PROJECT [--timeout S] [--command "CMD" | --detected] [--port N|any] [--install-network | --no-install-network]
      install what the app needs, start it in the sandbox and wait until its port answers (at most S
      seconds, default 120): prints the URL, or why it did not start with the last lines of its output.
      On a server the app keeps running; on the data dir (no server, or --local) it runs until Ctrl-C.
      Kept for the project's next runs: --command its start command (--detected: back to the one MACS
      finds), --port a pinned port (any: MACS picks), --install-network lets the install step reach
      package registries (off by default).
  macs app stop PROJECT
      stop the app: its whole process tree, then its preview port
  macs app logs PROJECT [--follow]
      the last lines of its install and server output, and the errors it produced;
      --follow prints new lines as they come until the app stops (or Ctrl-C)

  Where it runs: the server at --url / MACS_URL (with --api-key or MACS_API_KEY), or one answering on
  127.0.0.1:$MACS_PORT; with none (or --local), the data dir itself ($MACS_DATA_DIR).
  --json prints the API's JSON. Exit codes: 0 ok (ready, or a command that ended with 0) · 1 the app failed
  or exited with an error · 2 usage · 3 not found · 4 cannot reach the server · 5 unauthorized.`;

const SUBCOMMANDS = ['run', 'stop', 'logs'] as const;
type AppSubcommand = (typeof SUBCOMMANDS)[number];

const OPTIONS = {
  follow: { type: 'boolean', short: 'f' },
  timeout: { type: 'string' },
  command: { type: 'string' },
  detected: { type: 'boolean' },
  port: { type: 'string' },
  'install-network': { type: 'boolean' },
  'no-install-network': { type: 'boolean' },
  json: { type: 'boolean' },
  url: { type: 'string' },
  'api-key': { type: 'string' },
  local: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
type AppValues = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** What `run` keeps before it starts (PATCH /v1/projects/{id}/run); null when nothing was asked. */
type KeptSettings = { command?: string | null; pinned_port?: number | null; install_network?: boolean } | null;

/** States a run stays in only on its way somewhere: waiting goes on while it is in one. */
const UNSETTLED = new Set(['installing', 'starting']);
/** How often the run is read while waiting or following (the API has no run stream). */
const POLL_MS = 400;
const DEFAULT_TIMEOUT_S = 120;

const enc = encodeURIComponent;

/** `argv` is the whole command line, `app` included. */
export async function appCommand(ctx: CliContext, argv: string[]): Promise<number> {
  let values: AppValues;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS }));
  } catch (err) {
    ctx.stderr(`${(err as Error).message}\n\n${APP_USAGE}`);
    return EXIT.usage;
  }
  const [, sub, ...args] = positionals;
  if (values.help || sub === undefined) {
    ctx.stdout(APP_USAGE);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  let backend: ProjectBackend;
  try {
    const checked = checkArgs(sub, args, values);
    backend = await openProjectBackend(ctx, { url: values.url, apiKey: values['api-key'], local: values.local });
    try {
      return await runApp(ctx, backend, checked, args.join(' ').trim(), values);
    } catch (err) {
      return reportError(ctx, err, backend.client.baseUrl);
    } finally {
      await backend.close();
    }
  } catch (err) {
    return reportError(ctx, err, values.url ?? '');
  }
}

interface CheckedArgs {
  sub: AppSubcommand;
  timeoutMs: number;
  keep: KeptSettings;
}

function checkArgs(sub: string, args: string[], values: AppValues): CheckedArgs {
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(`There is no "macs app ${sub}"; the commands are ${SUBCOMMANDS.join(', ')} (see: macs app --help).`);
  const command = sub as AppSubcommand;
  if (args.join(' ').trim() === '') throw new UsageError(`macs app ${command} needs a PROJECT (its id or name), e.g.: macs app ${command} 01hx…  (see: macs app --help)`);
  if (values.follow && command !== 'logs') throw new UsageError(`--follow applies to macs app logs only.`);
  const runOnly = (['timeout', 'command', 'detected', 'port', 'install-network', 'no-install-network'] as const).find((k) => values[k] !== undefined);
  if (runOnly && command !== 'run') throw new UsageError(`--${runOnly} applies to macs app run only.`);
  const seconds = values.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new UsageError(`--timeout must be seconds from 1 to 3600, got "${values.timeout}".`);
  return { sub: command, timeoutMs: seconds * 1000, keep: keptSettings(values) };
}

function keptSettings(values: AppValues): KeptSettings {
  if (values.command !== undefined && values.detected) throw new UsageError('Give --command "CMD" or --detected, not both.');
  if (values['install-network'] && values['no-install-network']) throw new UsageError('Give --install-network or --no-install-network, not both.');
  if (values.command !== undefined && values.command.trim() === '') throw new UsageError('--command needs the command line, e.g. --command "npm run dev" (--detected: the one MACS finds).');
  let port: number | null | undefined;
  if (values.port !== undefined) {
    port = values.port === 'any' ? null : Number(values.port);
    if (port !== null && (!Number.isInteger(port) || port < 1024 || port > 65535)) throw new UsageError(`--port must be a port from 1024 to 65535, or any, got "${values.port}".`);
  }
  const keep = {
    ...(values.command !== undefined ? { command: values.command } : values.detected ? { command: null } : {}),
    ...(port !== undefined ? { pinned_port: port } : {}),
    ...(values['install-network'] ? { install_network: true } : values['no-install-network'] ? { install_network: false } : {}),
  };
  return Object.keys(keep).length > 0 ? keep : null;
}

async function runApp(ctx: CliContext, backend: ProjectBackend, checked: CheckedArgs, ref: string, values: AppValues): Promise<number> {
  const { client } = backend;
  const project = await resolveProject(client, ref);
  const runPath = `/v1/projects/${enc(project.project_id)}/run`;
  const print = (value: unknown) => ctx.stdout(JSON.stringify(value, null, 2));
  switch (checked.sub) {
    case 'run': {
      if (checked.keep) await client.request('PATCH', runPath, checked.keep);
      const started = await client.request<{ run: AppRunView }>('POST', runPath);
      if (!values.json) ctx.stderr(`project ${project.project_id} "${project.name}" · ${started.run.command ?? started.run.plan?.source ?? 'nothing to run'}`);
      const run = await waitSettled(client, runPath, started.run, checked.timeoutMs);
      if (values.json) print({ run });
      else settledLines(run).forEach((l) => ctx.stdout(l));
      if (run.state !== 'ready') return run.state === 'exited' && run.exit_code === 0 ? EXIT.ok : EXIT.failed;
      // On the data dir the app lives in this process: it serves until Ctrl-C, then stops.
      if (backend.mode === 'local') return serveUntilInterrupted(ctx, client, runPath, values);
      return EXIT.ok;
    }
    case 'stop': {
      const { run } = await client.request<{ run: AppRunView }>('POST', `/v1/projects/${enc(project.project_id)}/stop`);
      if (values.json) print({ run });
      else ctx.stdout(`project ${project.project_id}: the app is stopped (nothing of it runs any more).`);
      return EXIT.ok;
    }
    case 'logs': {
      const { run } = await client.request<{ run: AppRunView }>('GET', runPath);
      if (values.json && !values.follow) {
        print({ run });
        return EXIT.ok;
      }
      logLines(run, backend.mode).forEach((l) => ctx.stdout(l));
      if (!values.follow || !isRunning(run)) return EXIT.ok;
      return followOutput(ctx, client, runPath, run);
    }
  }
}

/** PROJECT as an id, else as a name (exact, case-insensitive; or the one project a search finds). */
async function resolveProject(client: ApiClient, ref: string): Promise<ProjectView> {
  try {
    return (await client.request<{ project: ProjectView }>('GET', `/v1/projects/${enc(ref)}`)).project;
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  const { projects } = await client.request<{ projects: ProjectView[] }>('GET', `/v1/projects?q=${enc(ref)}`);
  const exact = projects.filter((p) => p.name.toLowerCase() === ref.toLowerCase());
  const found = exact.length > 0 ? exact : projects;
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new ApiError(404, { code: 'PROJECT_NOT_FOUND', message: `No project has the id or name "${ref}"; see: macs project list` });
  const names = found.slice(0, 5).map((p) => `${p.project_id} "${p.name}"`).join(', ');
  throw new UsageError(`"${ref}" names ${found.length} projects (${names}${found.length > 5 ? ', …' : ''}); give its id.`);
}

async function waitSettled(client: ApiClient, runPath: string, first: AppRunView, timeoutMs: number): Promise<AppRunView> {
  const deadline = Date.now() + timeoutMs;
  let run = first;
  while (UNSETTLED.has(run.state) && Date.now() < deadline) {
    await sleep(POLL_MS);
    run = (await client.request<{ run: AppRunView }>('GET', runPath)).run;
  }
  return run;
}

async function followOutput(ctx: CliContext, client: ApiClient, runPath: string, first: AppRunView): Promise<number> {
  const interrupted = interruption();
  let seen = linesOf(first.output_tail);
  let run = first;
  try {
    while (isRunning(run) && !interrupted.happened()) {
      await Promise.race([sleep(POLL_MS), interrupted.promise]);
      if (interrupted.happened()) break;
      const next = (await client.request<{ run: AppRunView }>('GET', runPath)).run;
      // A restart begins a new output: everything in it is new.
      const now = linesOf(next.output_tail);
      newTailLines(next.started_at === run.started_at ? seen : [], now).forEach((l) => ctx.stdout(l));
      if (next.state !== run.state) ctx.stdout(`--- ${next.state}${next.reason ? `: ${next.reason}` : ''}`);
      seen = now;
      run = next;
    }
    return run.state === 'failed' ? EXIT.failed : EXIT.ok;
  } finally {
    interrupted.dispose();
  }
}

async function serveUntilInterrupted(ctx: CliContext, client: ApiClient, runPath: string, values: AppValues): Promise<number> {
  if (!values.json) ctx.stderr('Serving from this process; press Ctrl-C to stop the app.');
  const interrupted = interruption();
  try {
    for (;;) {
      await Promise.race([sleep(1000), interrupted.promise]);
      if (interrupted.happened()) break;
      const { run } = await client.request<{ run: AppRunView }>('GET', runPath);
      if (run.state === 'failed' || run.state === 'exited' || run.state === 'idle') {
        settledLines(run).forEach((l) => ctx.stdout(l));
        return run.state === 'failed' ? EXIT.failed : EXIT.ok;
      }
    }
    await client.request('POST', runPath.replace(/\/run$/, '/stop'));
    if (!values.json) ctx.stderr('Stopped the app.');
    return EXIT.ok;
  } finally {
    interrupted.dispose();
  }
}

/** Ctrl-C (or a TERM) ends the wait instead of the process, so what runs is stopped first. */
function interruption() {
  let happened = false;
  let wake: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (wake = resolve));
  const on = () => {
    happened = true;
    wake();
  };
  process.once('SIGINT', on);
  process.once('SIGTERM', on);
  return {
    promise,
    happened: () => happened,
    dispose() {
      process.removeListener('SIGINT', on);
      process.removeListener('SIGTERM', on);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
