// `macs project new|list|show|add|restore|undo|pause|resume|export|locate|rename|pin|unpin|delete`:
// the project routes of the REST API (a server's, or this process's own over the data dir:
// project-backend.ts), printed like the other client commands.
import path from 'node:path';
import type { ProjectView, VersionView } from '../server/rest/project-view.js';
import type { ApiClient } from './api-client.js';
import { EXIT, UsageError, follow, reportError } from './client-commands.js';
import type { CliContext } from './context.js';
import { providerOverrideMetadata } from './provider-override.js';
import { humanBytes } from './format.js';
import { parseProjectArgs, type ProjectSubcommand, type ProjectValues } from './project-args.js';
import { openProjectBackend, type ProjectBackend } from './project-backend.js';
import { projectDetailLines, projectListLines, type ApiProjectDetail } from './project-output.js';

interface TurnCreated {
  task_id: string;
  project_id: string;
  status: string;
  kind: string;
  model: string;
}

/** Parse, then run; a usage problem exits 2 with one line that says where its usage is. */
export async function projectCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const parsed = parseProjectArgs(argv);
  if (!parsed.ok) {
    ctx.stderr(parsed.message);
    return EXIT.usage;
  }
  if (parsed.help !== undefined) {
    ctx.stdout(parsed.help);
    return EXIT.ok;
  }
  const { sub, args, values } = parsed;
  let backend: ProjectBackend;
  try {
    checkArgs(sub, args, values);
    backend = await openProjectBackend(ctx, { url: values.url, apiKey: values['api-key'], local: values.local });
  } catch (err) {
    return reportError(ctx, err, values.url ?? '');
  }
  try {
    return await run(ctx, backend, sub, args, values);
  } catch (err) {
    return reportError(ctx, err, backend.client.baseUrl);
  } finally {
    await backend.close();
  }
}

/** How many words each subcommand takes, named in its error. */
const ARGS: Record<ProjectSubcommand, string[]> = {
  new: ['"prompt"'],
  list: ['SEARCH'],
  show: ['ID'],
  add: ['ID', '"prompt"'],
  restore: ['ID', 'VERSION'],
  undo: ['ID'],
  pause: ['ID'],
  resume: ['ID'],
  export: ['ID'],
  locate: ['ID', 'PATH'],
  rename: ['ID', 'NAME'],
  pin: ['ID'],
  unpin: ['ID'],
  delete: ['ID'],
};

function checkArgs(sub: ProjectSubcommand, args: string[], values: ProjectValues): void {
  const usage = `see: macs project ${sub} --help`;
  const want = ARGS[sub];
  // A prompt or a name may be given unquoted: the rest of the words are it.
  const joinsRest = sub === 'new' || sub === 'add' || sub === 'rename' || sub === 'list';
  if (sub === 'new' && values.folder !== undefined) {
    if (args.length > 0 || values.build || values.model || values.wait) throw new UsageError(`--folder opens a folder as a project; send its first turn with: macs project add ID "prompt"`);
    return;
  }
  if (sub === 'list') return;
  if (args.length < want.length) throw new UsageError(`macs project ${sub} needs ${want.join(' and ')}; ${usage}`);
  if (!joinsRest && args.length > want.length) throw new UsageError(`Unexpected argument "${args[want.length]}"; ${usage}`);
  if (args.slice(want.length - 1).join(' ').trim() === '') throw new UsageError(`macs project ${sub} needs ${want.at(-1)}, not an empty one; ${usage}`);
}

const enc = encodeURIComponent;

async function run(ctx: CliContext, backend: ProjectBackend, sub: ProjectSubcommand, args: string[], values: ProjectValues): Promise<number> {
  const { client } = backend;
  const print = (value: unknown) => ctx.stdout(JSON.stringify(value, null, 2));
  const [id] = args;
  const rest = (from: number) => args.slice(from).join(' ').trim();
  // PROVIDER= (checked against the server's providers) only where a turn is queued.
  const override = sub === 'new' || sub === 'add' ? await providerOverrideMetadata(client, ctx.env) : {};
  const turnBody = (prompt: string) => ({
    prompt,
    kind: values.build ? 'build' : 'chat',
    ...(values.model ? { model: values.model } : {}),
    ...(override.providerOverride ? { metadata: { providerOverride: override.providerOverride } } : {}),
  });

  switch (sub) {
    case 'new': {
      if (values.folder !== undefined) {
        const { project } = await client.request<{ project: ProjectView }>('POST', '/v1/projects', { folder: path.resolve(values.folder), ...(values.name ? { name: values.name } : {}) });
        if (values.json) print({ project });
        else {
          ctx.stdout(project.project_id);
          ctx.stderr(`opened ${project.root} as project "${project.name}"; add a turn with: macs project add ${project.project_id} "…"`);
        }
        return EXIT.ok;
      }
      const body = { ...turnBody(rest(0)), ...(values.name ? { name: values.name } : {}) };
      const created = await client.request<{ project: ProjectView; task: TurnCreated }>('POST', '/v1/projects', body);
      if (!values.json) ctx.stdout(created.project.project_id);
      return queued(ctx, backend, created.task, values, `project ${created.project.project_id} "${created.project.name}"`, created);
    }
    case 'add': {
      const task = await client.request<TurnCreated>('POST', `/v1/projects/${enc(id)}/turns`, turnBody(rest(1)));
      return queued(ctx, backend, task, values, `project ${id}`, task);
    }
    case 'list': {
      const query = new URLSearchParams();
      if (rest(0)) query.set('q', rest(0));
      if (values.limit) query.set('limit', values.limit);
      const { projects } = await client.request<{ projects: ProjectView[] }>('GET', `/v1/projects${query.size ? `?${query}` : ''}`);
      if (values.json) print({ projects });
      else if (projects.length === 0) ctx.stdout(rest(0) ? `No project matches "${rest(0)}".` : 'No projects yet. Start one with: macs project new "prompt"');
      else projectListLines(projects).forEach((l) => ctx.stdout(l));
      return EXIT.ok;
    }
    case 'show': {
      const detail = await client.request<ApiProjectDetail>('GET', `/v1/projects/${enc(id)}`);
      if (values.json) print(detail);
      else projectDetailLines(detail).forEach((l) => ctx.stdout(l));
      return EXIT.ok;
    }
    case 'restore':
    case 'undo': {
      const result =
        sub === 'restore'
          ? await client.request<{ version: VersionView }>('POST', `/v1/projects/${enc(id)}/restore`, { version: args[1] })
          : await client.request<{ version: VersionView }>('POST', `/v1/projects/${enc(id)}/undo`);
      if (values.json) print(result);
      else ctx.stdout(`${sub === 'restore' ? `restored ${args[1].replace(/^(\d)/, 'v$1')}` : 'undid the last turn'}: the files are now version v${result.version.number} (${result.version.files_changed} file(s) changed).`);
      return EXIT.ok;
    }
    case 'pause':
    case 'resume':
    case 'pin':
    case 'unpin':
    case 'rename':
    case 'locate': {
      const { project } =
        sub === 'pause' || sub === 'resume'
          ? await client.request<{ project: ProjectView }>('POST', `/v1/projects/${enc(id)}/${sub}`)
          : sub === 'locate'
            ? await client.request<{ project: ProjectView }>('POST', `/v1/projects/${enc(id)}/locate`, { path: path.resolve(args[1]) })
            : await client.request<{ project: ProjectView }>('PATCH', `/v1/projects/${enc(id)}`, sub === 'rename' ? { name: rest(1) } : { pinned: sub === 'pin' });
      if (values.json) print({ project });
      else ctx.stdout(changedLine(sub, project));
      return EXIT.ok;
    }
    case 'export': {
      const query = values.version ? `?version=${enc(values.version)}` : '';
      const saved = await client.download(`/v1/projects/${enc(id)}/zip${query}`, (serverName) => path.resolve(values.out ?? serverName));
      if (values.json) print(saved);
      else {
        ctx.stdout(saved.file);
        ctx.stderr(`wrote ${humanBytes(saved.bytes)}${values.version ? ` (version ${values.version})` : ''}`);
      }
      return EXIT.ok;
    }
    case 'delete': {
      const result = await client.request<{ deleted: boolean; files_deleted: boolean }>('DELETE', `/v1/projects/${enc(id)}${values['delete-files'] ? '?delete_files=true' : ''}`);
      if (values.json) print(result);
      else ctx.stdout(`deleted project ${id}; ${result.files_deleted ? 'its files were deleted too' : 'its files were kept'}.`);
      return EXIT.ok;
    }
  }
}

function changedLine(sub: 'pause' | 'resume' | 'pin' | 'unpin' | 'rename' | 'locate', p: ProjectView): string {
  switch (sub) {
    case 'locate':
      return `project ${p.project_id} is at ${p.root} now.`;
    case 'pause':
      return `project ${p.project_id} paused: queued turns wait until: macs project resume ${p.project_id}`;
    case 'resume':
      return `project ${p.project_id} resumed: its queued turns run again.`;
    case 'pin':
      return `project ${p.project_id} pinned.`;
    case 'unpin':
      return `project ${p.project_id} unpinned.`;
    case 'rename':
      return `project ${p.project_id} is now "${p.name}".`;
  }
}

/**
 * A turn was queued. On a server: say so and return (or follow it with --wait). Locally the
 * turn runs in this process, so it is followed to its end (Ctrl-C cancels it, as in macs run).
 */
async function queued(ctx: CliContext, backend: ProjectBackend, task: TurnCreated, values: ProjectValues, what: string, json: unknown): Promise<number> {
  if (backend.mode === 'server' && !values.wait) {
    if (values.json) ctx.stdout(JSON.stringify(json, null, 2));
    else ctx.stderr(`${what} · turn ${task.task_id} ${task.status} · ${task.kind} · ${task.model}  — follow it with: macs show ${task.task_id} --events`);
    return EXIT.ok;
  }
  if (!values.json) ctx.stderr(`${what} · turn ${task.task_id} · ${task.kind} · ${task.model}`);
  return backend.mode === 'local' ? followHere(ctx, backend.client, task.task_id, values) : follow(ctx, backend.client, task.task_id, { json: values.json });
}

async function followHere(ctx: CliContext, client: ApiClient, taskId: string, values: ProjectValues): Promise<number> {
  const onSigint = () => {
    ctx.stderr('\nStopping…');
    void client.request('POST', `/v1/tasks/${enc(taskId)}/cancel`).catch(() => undefined);
  };
  process.once('SIGINT', onSigint);
  try {
    return await follow(ctx, client, taskId, { json: values.json });
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
