// `macs steps <id>` and `macs replay <id> <step>`: client commands for a build task's
// pipeline steps, over the REST API of a running `macs serve` like the other client commands.
import { parseArgs } from 'node:util';
import type { StepName } from '../../shared/index.js';
import { STEP_NAMES, parseStepRef } from '../../shared/index.js';
import type { StepView } from '../server/rest/step-view.js';
import type { TaskSnapshot } from '../server/rest/task-view.js';
import { EXIT, UsageError, clientFor, follow, needId, reportError, type ClientOptions } from './client-commands.js';
import type { CliContext } from './context.js';
import { stepsTableLines } from './step-output.js';

export const REPLAY_USAGE = 'Usage: macs replay <task-id> <step> [--version N] [--cascade] [--no-cache] [--no-follow] [--json] [--url URL] [--api-key KEY]';

export interface ReplayArgs {
  taskId: string;
  step: StepName;
  /** Which stored version's context to re-run; omitted: the latest. */
  version?: number;
  cascade: boolean;
  useCache: boolean;
  follow: boolean;
  client: Pick<ClientOptions, 'url' | 'apiKey' | 'json'>;
}

export type ParsedReplay = { ok: true; help: false; args: ReplayArgs } | { ok: true; help: true } | { ok: false; message: string };

/**
 * `macs replay` has its own parser: its --version takes a number, where everywhere else
 * --version prints macs's version. `argv` is the whole command line, `replay` included.
 */
export function parseReplayArgs(argv: string[]): ParsedReplay {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        version: { type: 'string' },
        cascade: { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        'no-follow': { type: 'boolean' },
        json: { type: 'boolean' },
        url: { type: 'string' },
        'api-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { ok: true, help: true };
  const [, taskId, step, ...extra] = positionals;
  if (!taskId || !step) return { ok: false, message: 'macs replay needs a task id and a step, e.g.: macs replay <task-id> test  (macs steps <task-id> lists them)' };
  if (extra.length > 0) return { ok: false, message: `Unexpected argument "${extra[0]}".` };
  // Agent-MVP's names work too: design = plan, and "implement@v1" names the version.
  const stepRef = parseStepRef(step);
  if (!stepRef) return { ok: false, message: `There is no step "${step}"; steps are ${STEP_NAMES.join(', ')} (design = plan), optionally step@vN.` };
  let version = stepRef.version;
  if (values.version !== undefined) {
    const m = /^v?([1-9]\d{0,8})$/.exec(values.version);
    if (!m) return { ok: false, message: `--version must be a step version, a whole number ≥ 1 (e.g. 2 or v2), got "${values.version}".` };
    if (version !== undefined && version !== Number(m[1])) return { ok: false, message: `${step} and --version ${values.version} name different versions; give it once.` };
    version = Number(m[1]);
  }
  return {
    ok: true,
    help: false,
    args: {
      taskId,
      step: stepRef.step,
      version,
      cascade: values.cascade ?? false,
      useCache: !values['no-cache'],
      follow: !values['no-follow'],
      client: { url: values.url, apiKey: values['api-key'], json: values.json },
    },
  };
}

/** The body of POST …/replay: only what was asked for, so the server's defaults apply otherwise. */
export function replayBody(a: Pick<ReplayArgs, 'version' | 'cascade' | 'useCache'>): Record<string, unknown> {
  return {
    ...(a.version !== undefined ? { version: a.version } : {}),
    ...(a.cascade ? { cascade: true } : {}),
    ...(a.useCache ? {} : { use_cache: false }),
  };
}

interface ReplayResponse {
  task_id: string;
  status: string;
  replay: { step: string; version: number | null; cascade: boolean; use_cache: boolean };
}

/** "replaying test@v2 and the steps after it, LLM cache off" */
export function replayDescription(r: ReplayResponse['replay']): string {
  return `replaying ${r.step}${r.version ? `@v${r.version}` : ''}${r.cascade ? ' and the steps after it' : ''}${r.use_cache ? '' : ', LLM cache off'}`;
}

export async function replayCommand(ctx: CliContext, a: ReplayArgs): Promise<number> {
  const client = clientFor(ctx, a.client);
  try {
    const path = `/v1/tasks/${encodeURIComponent(a.taskId)}`;
    // Where the log ends now: following starts after it, so the earlier run is not printed again.
    const before = await client.request<TaskSnapshot>('GET', path);
    const res = await client.request<ReplayResponse>('POST', `${path}/steps/${a.step}/replay`, replayBody(a));
    if (!a.follow) {
      if (a.client.json) ctx.stdout(JSON.stringify(res, null, 2));
      else {
        ctx.stdout(`${res.task_id} ${res.status}: ${replayDescription(res.replay)}.`);
        ctx.stderr(`follow it with: macs show ${res.task_id} --events  (or macs steps ${res.task_id})`);
      }
      return EXIT.ok;
    }
    if (!a.client.json) ctx.stderr(`${res.task_id} ${res.status}: ${replayDescription(res.replay)}`);
    return await follow(ctx, client, res.task_id, a.client, before.last_seq);
  } catch (err) {
    return reportError(ctx, err, client.baseUrl);
  }
}

export async function stepsCommand(ctx: CliContext, args: string[], opts: Pick<ClientOptions, 'url' | 'apiKey' | 'json'>): Promise<number> {
  const client = clientFor(ctx, opts);
  try {
    const id = needId(args[0], 'steps');
    if (args.length > 1) throw new UsageError(`Unexpected argument "${args[1]}": macs steps <task-id> [--json]`);
    const res = await client.request<{ task_id: string; steps: StepView[] }>('GET', `/v1/tasks/${encodeURIComponent(id)}/steps`);
    if (opts.json) ctx.stdout(JSON.stringify(res, null, 2));
    else if (res.steps.length === 0) ctx.stdout(`No steps: ${id} has not run a pipeline step (only build tasks have steps).`);
    else stepsTableLines(res.steps).forEach((l) => ctx.stdout(l));
    return EXIT.ok;
  } catch (err) {
    return reportError(ctx, err, client.baseUrl);
  }
}
