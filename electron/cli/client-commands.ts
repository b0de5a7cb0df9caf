// `macs submit | status | cancel | feedback | show | list`: thin clients of a running
// `macs serve` (the REST API). `macs steps | replay` (step-commands.ts) are too.
// `macs run` is the one command that needs no server.
import fs from 'node:fs';
import path from 'node:path';
import { TaskStatusSchema } from '../../shared/index.js';
import type { ReceiptView, VersionEventView } from '../server/rest/project-view.js';
import type { StepEventView, StepView } from '../server/rest/step-view.js';
import type { TaskDetail, TaskSnapshot, TaskSummary } from '../server/rest/task-view.js';
import { ApiClient, ApiError, UnreachableError } from './api-client.js';
import type { CliContext } from './context.js';
import { providerOverrideMetadata, withProviderOverride } from './provider-override.js';
import { filesLines, listLines, snapshotLines, timelineLines, type ApiEvent, type ApiFinal } from './client-output.js';
import { humanBytes } from './format.js';
import { receiptLine, versionEventLine } from './project-output.js';
import { stepEventLine, stepRowLine } from './step-output.js';
import { runTaskHabitCommand } from './task-habit-commands.js';
import { ThinkingLines } from './thinking-lines.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, unreachable: 4, unauthorized: 5 } as const;

// retry, pause, resume, logs: the Software Maker's task commands (task-habit-commands.ts).
export const CLIENT_COMMANDS = ['submit', 'status', 'cancel', 'feedback', 'show', 'list', 'retry', 'pause', 'resume', 'logs'] as const;
export type ClientCommand = (typeof CLIENT_COMMANDS)[number];

export function isClientCommand(name: string): name is ClientCommand {
  return (CLIENT_COMMANDS as readonly string[]).includes(name);
}

export interface ClientOptions {
  url?: string;
  apiKey?: string;
  json?: boolean;
  wait?: boolean;
  events?: boolean;
  status?: string;
  limit?: string;
  model?: string;
  /** submit: a simple body becomes a build task (metadata.mode_hint = build). */
  build?: boolean;
}

/** A mistake in how the command was called: exit 2 with this message. */
export class UsageError extends Error {}

/**
 * --api-key, else MACS_API_KEY, else API_KEY (what the seed clients' agentctl read), else the
 * key file the engine wrote (works on the same machine).
 */
export function resolveApiKey(ctx: CliContext, opts: Pick<ClientOptions, 'apiKey'>): string | null {
  if (opts.apiKey) return opts.apiKey;
  if (ctx.env.MACS_API_KEY?.trim()) return ctx.env.MACS_API_KEY.trim();
  if (ctx.env.API_KEY?.trim()) return ctx.env.API_KEY.trim();
  try {
    return fs.readFileSync(path.join(ctx.dataDir, 'api-key'), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

export function resolveUrl(env: NodeJS.ProcessEnv, opts: Pick<ClientOptions, 'url'>): string {
  return opts.url ?? env.MACS_URL ?? `http://127.0.0.1:${env.MACS_PORT ?? 7421}`;
}

function readJsonFile(file: string | undefined, what: string): unknown {
  if (!file) throw new UsageError(`Give the ${what} file, e.g. ${what === 'task' ? 'macs submit task.json' : 'macs feedback feedback.json'} (or - for stdin).`);
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** The client for --url / --api-key (or their environment and key-file defaults). */
export function clientFor(ctx: CliContext, opts: Pick<ClientOptions, 'url' | 'apiKey'>): ApiClient {
  return new ApiClient(resolveUrl(ctx.env, opts), resolveApiKey(ctx, opts));
}

/** --build on a simple body: mode_hint build. A TaskV1.1 body is a build task already. */
export function withBuildHint(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'type' in body || 'input' in body) return body;
  const { metadata } = body as { metadata?: unknown };
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) return body; // the server names the problem
  return { ...body, metadata: { ...(metadata as Record<string, unknown> | undefined), mode_hint: 'build' } };
}

export function needId(id: string | undefined, command: string): string {
  if (!id) throw new UsageError(`macs ${command} needs a task id, e.g.: macs ${command} <task-id>  (macs list shows them)`);
  return id;
}

const RATING_WORDS: Record<string, string> = { '-1': 'bad', '0': 'neutral', '1': 'good' };

const failedStatus = (status: string) => status === 'failed' || status === 'cancelled';

export async function runClientCommand(ctx: CliContext, command: ClientCommand, args: string[], opts: ClientOptions): Promise<number> {
  const client = clientFor(ctx, opts);
  const print = (value: unknown) => ctx.stdout(JSON.stringify(value, null, 2));
  try {
    switch (command) {
      case 'submit': {
        let body = readJsonFile(args[0], 'task');
        if (opts.build) body = withBuildHint(body);
        if (opts.model && typeof body === 'object' && body !== null) (body as Record<string, unknown>).model = opts.model;
        body = withProviderOverride(body, await providerOverrideMetadata(client, ctx.env));
        const created = await client.request<{ task_id: string; status: string; kind: string; model: string }>('POST', '/v1/tasks', body);
        if (!opts.wait) {
          if (opts.json) print(created);
          else {
            ctx.stdout(created.task_id);
            ctx.stderr(`${created.status} · ${created.kind} · ${created.model}  — follow it with: macs show ${created.task_id} --events`);
          }
          return EXIT.ok;
        }
        if (!opts.json) ctx.stdout(created.task_id);
        return await follow(ctx, client, created.task_id, opts);
      }
      case 'status': {
        const task = await client.request<TaskSnapshot>('GET', `/v1/tasks/${encodeURIComponent(needId(args[0], command))}`);
        if (opts.json) print(task);
        else snapshotLines(task).forEach((l) => ctx.stdout(l));
        return failedStatus(task.status) ? EXIT.failed : EXIT.ok;
      }
      case 'cancel': {
        const id = needId(args[0], command);
        const before = await client.request<TaskSnapshot>('GET', `/v1/tasks/${encodeURIComponent(id)}`);
        const task = await client.request<TaskSnapshot>('POST', `/v1/tasks/${encodeURIComponent(id)}/cancel`);
        if (opts.json) print(task);
        else if (['succeeded', 'failed', 'cancelled'].includes(before.status)) ctx.stdout(`${id} had already ${before.status === 'cancelled' ? 'been cancelled' : before.status}; nothing to cancel.`);
        else ctx.stdout(`${id} ${task.status}.`);
        return EXIT.ok;
      }
      case 'feedback': {
        const body = readJsonFile(args[0], 'feedback');
        const answer = await client.request<{ id: number; rating?: number; given?: { rating: number; scale: number } }>('POST', '/v1/feedback', body);
        if (opts.json) print(answer);
        else ctx.stdout(`feedback #${answer.id} recorded${answer.given?.scale === 5 ? ` (${answer.given.rating} of 5 counted as ${RATING_WORDS[String(answer.rating)] ?? answer.rating})` : ''}.`);
        return EXIT.ok;
      }
      case 'retry':
      case 'pause':
      case 'resume':
      case 'logs':
        return await runTaskHabitCommand(ctx, client, command, args, opts);
      case 'show':
        return await show(ctx, client, needId(args[0], command), opts);
      case 'list': {
        if (opts.status !== undefined && !TaskStatusSchema.safeParse(opts.status).success) {
          throw new UsageError(`--status must be one of ${TaskStatusSchema.options.join(', ')}.`);
        }
        const query = new URLSearchParams();
        if (opts.status) query.set('status', opts.status);
        if (opts.limit) query.set('limit', opts.limit);
        const { tasks } = await client.request<{ tasks: TaskSummary[] }>('GET', `/v1/tasks${query.size ? `?${query}` : ''}`);
        if (opts.json) print({ tasks });
        else if (tasks.length === 0) ctx.stdout(opts.status ? `No ${opts.status} tasks.` : 'No tasks yet. Submit one with: macs submit task.json');
        else listLines(tasks).forEach((l) => ctx.stdout(l));
        return EXIT.ok;
      }
    }
  } catch (err) {
    return reportError(ctx, err, client.baseUrl);
  }
}

/** The whole log, following the server's `next` cursor (a page may end early: it is capped in bytes too). */
export async function allEvents(client: ApiClient, id: string): Promise<ApiEvent[]> {
  const events: ApiEvent[] = [];
  let since = 0;
  for (;;) {
    const page = await client.request<{ events: ApiEvent[]; next?: number | null }>('GET', `/v1/tasks/${encodeURIComponent(id)}/events?since=${since}&limit=5000`);
    events.push(...page.events);
    // A server from before paging sends no `next`: a short page was its last.
    const next = page.next === undefined ? (page.events.length < 5000 ? null : (page.events.at(-1)?.seq ?? null)) : page.next;
    if (next === null || next <= since) return events;
    since = next;
  }
}

async function show(ctx: CliContext, client: ApiClient, id: string, opts: ClientOptions): Promise<number> {
  const task = await client.request<TaskDetail>('GET', `/v1/tasks/${encodeURIComponent(id)}`);
  const final = await client.request<ApiFinal>('GET', `/v1/tasks/${encodeURIComponent(id)}/final`);
  const events = opts.events ? await allEvents(client, id) : undefined;
  if (opts.json) {
    ctx.stdout(JSON.stringify({ task, final, ...(events ? { events } : {}) }, null, 2));
  } else {
    snapshotLines(task).forEach((l) => ctx.stdout(l));
    if (task.steps?.length) {
      // The full rows (model, time, test report), not just the snapshot's compact list.
      const { steps } = await client.request<{ steps: StepView[] }>('GET', `/v1/tasks/${encodeURIComponent(id)}/steps`);
      ctx.stdout('');
      steps.forEach((s) => ctx.stdout(stepRowLine(s)));
    }
    ctx.stdout('');
    filesLines(final).forEach((l) => ctx.stdout(l));
    if (events) {
      ctx.stdout('');
      timelineLines(events).forEach((l) => ctx.stdout(l));
    }
    if (final.result.text) ctx.stdout(`\n── answer ──\n${final.result.text.replace(/\n$/, '')}`);
  }
  return failedStatus(task.status) ? EXIT.failed : EXIT.ok;
}

/**
 * --wait: the answer to stdout as it streams, progress (files, steps) to stderr, exit code
 * from the outcome. `since`: follow from after this event (a replay skips the earlier run).
 */
export async function follow(ctx: CliContext, client: ApiClient, id: string, opts: Pick<ClientOptions, 'json'>, since = 0): Promise<number> {
  let status = 'queued';
  let midLine = false;
  const thinking = new ThinkingLines((line) => ctx.stderr(line));
  for await (const e of client.events(id, since)) {
    const d = e.data;
    if (e.event === 'thinking' && !opts.json) {
      thinking.onThinking(Date.now());
    } else if (e.event === 'delta' && !opts.json) {
      thinking.onAnswer(Date.now());
      ctx.write(String(d.text));
      midLine = !String(d.text).endsWith('\n');
    } else if (e.event === 'step' && !opts.json) {
      // On a line of its own, even when the answer stopped mid-line.
      ctx.stderr(`${midLine ? '\n' : ''}${stepEventLine(d as unknown as StepEventView)}`);
      midLine = false;
    } else if (e.event === 'file' && !opts.json) {
      if (d.action === 'open') ctx.stderr(`\n→ writing ${d.path}`);
      else if (d.action === 'close') ctx.stderr(`✓ ${d.path} (${humanBytes(Number(d.size))})${d.truncated ? ' — cut off, kept as it arrived' : ''}`);
      else if (d.action === 'refused') ctx.stderr(`✗ refused ${d.path}: ${d.reason}`);
      midLine = false;
    } else if ((e.event === 'receipt' || e.event === 'version') && !opts.json) {
      // A project turn: what it sent the model, and the version it made.
      ctx.stderr(`${midLine ? '\n' : ''}${e.event === 'receipt' ? receiptLine(d as unknown as ReceiptView) : versionEventLine(d as unknown as VersionEventView)}`);
      midLine = false;
    } else if (e.event === 'status' && !opts.json) {
      const error = d.error as { message: string; code: string } | undefined;
      if (d.status === 'queued' && d.retry_in_ms) ctx.stderr(`\nretrying in ${d.retry_in_ms} ms${error ? ` (${error.message})` : ''}`);
    } else if (e.event === 'done') status = String(d.status);
  }
  const task = await client.request<TaskSnapshot>('GET', `/v1/tasks/${encodeURIComponent(id)}`);
  if (opts.json) ctx.stdout(JSON.stringify(task, null, 2));
  else if (status === 'succeeded') ctx.stderr(`\nsucceeded: ${task.file_count} file(s) in ${task.workspace_path}`);
  else ctx.stderr(`\n${status}${task.error ? `: ${task.error.message} [${task.error.code}]` : ''}`);
  return status === 'succeeded' ? EXIT.ok : EXIT.failed;
}

export function reportError(ctx: CliContext, err: unknown, url: string): number {
  if (err instanceof UsageError) {
    ctx.stderr(err.message);
    return EXIT.usage;
  }
  if (err instanceof UnreachableError) {
    ctx.stderr(`Cannot reach MACS at ${err.url} (${err.message}). Start the server with: macs serve  (or point --url / MACS_URL at it).`);
    return EXIT.unreachable;
  }
  if (err instanceof ApiError) {
    const { code, message, details } = err.payload;
    ctx.stderr(`error: ${message} [${code}]`);
    const fieldList = (details?.fields ?? []) as { path: string; message: string }[];
    for (const f of fieldList) ctx.stderr(`  ${f.path}: ${f.message}`);
    if (err.status === 401) {
      ctx.stderr(`The server at ${url} wants its API key: --api-key KEY or MACS_API_KEY (the server's data dir holds it in the file "api-key"; Settings shows it).`);
      return EXIT.unauthorized;
    }
    if (err.status === 404) return EXIT.notFound;
    if (err.status === 400 || err.status === 413) return EXIT.usage;
    return EXIT.failed;
  }
  ctx.stderr(`error: ${(err as Error).message}`);
  return EXIT.failed;
}
