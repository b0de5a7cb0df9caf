// `macs retry | pause | resume | logs <task>`: the Software Maker's task commands, as
// clients of a running `macs serve` like submit and status.
//   retry   re-queues a failed or cancelled task (POST /v1/tasks/{id}/retry).
//   pause   pauses the task's project: its queued turns (this task, if it has not started)
//           are held until resume; a turn already running finishes. Tasks are turns of
//           projects here, and the project is what holds them (`macs project pause` too).
//   resume  releases them.
//   logs    the task's event timeline (steps, files, test runs, status changes);
//           --follow keeps printing until the task ends.
import type { TaskSnapshot } from '../server/rest/task-view.js';
import type { ApiClient } from './api-client.js';
import { ApiError } from './api-client.js';
import { EXIT, allEvents, follow, needId, type ClientOptions } from './client-commands.js';
import { timelineLines } from './client-output.js';
import type { CliContext } from './context.js';

export type TaskHabitCommand = 'retry' | 'pause' | 'resume' | 'logs';

interface ProjectView {
  id: string;
  name: string;
  paused: boolean;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** The task's project; an id that is a project's rather than a task's is taken as the project. */
async function projectOf(client: ApiClient, id: string): Promise<{ projectId: string; task: TaskSnapshot | null }> {
  try {
    const task = await client.request<TaskSnapshot & { project_id: string | null }>('GET', `/v1/tasks/${encodeURIComponent(id)}`);
    if (!task.project_id) throw new ApiError(409, { code: 'NOT_SUPPORTED', message: `${id} is not a turn of a project, so there is nothing to pause.` });
    return { projectId: task.project_id, task };
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
    await client.request('GET', `/v1/projects/${encodeURIComponent(id)}`).catch(() => {
      throw err; // neither a task nor a project: say the task was not found
    });
    return { projectId: id, task: null };
  }
}

export async function runTaskHabitCommand(ctx: CliContext, client: ApiClient, command: TaskHabitCommand, args: string[], opts: ClientOptions): Promise<number> {
  const id = needId(args[0], command);
  const path = `/v1/tasks/${encodeURIComponent(id)}`;
  switch (command) {
    case 'retry': {
      const task = await client.request<TaskSnapshot>('POST', `${path}/retry`);
      if (opts.wait) return follow(ctx, client, task.task_id, opts);
      if (opts.json) ctx.stdout(JSON.stringify(task, null, 2));
      else ctx.stdout(`${task.task_id} ${task.status} again — follow it with: macs logs ${task.task_id} --follow`);
      return EXIT.ok;
    }
    case 'pause':
    case 'resume': {
      const { projectId, task } = await projectOf(client, id);
      const { project } = await client.request<{ project: ProjectView }>('POST', `/v1/projects/${encodeURIComponent(projectId)}/${command}`);
      if (opts.json) ctx.stdout(JSON.stringify({ project, task_id: task?.task_id ?? null }, null, 2));
      else if (command === 'pause') {
        const held = task && task.status === 'queued' ? `${task.task_id} waits` : task?.status === 'running' ? `${task.task_id} is running and finishes; later turns wait` : 'its queued turns wait';
        ctx.stdout(`Project ${project.name} paused: ${held} until: macs resume ${id}`);
      } else ctx.stdout(`Project ${project.name} resumed: its queued turns run again.`);
      return EXIT.ok;
    }
    case 'logs': {
      const task = await client.request<TaskSnapshot>('GET', path);
      const events = await allEvents(client, id);
      if (opts.json) ctx.stdout(JSON.stringify({ task_id: id, events }, null, 2));
      else timelineLines(events).forEach((l) => ctx.stdout(l));
      // --wait/--follow: keep going until the task ends (from after the last event printed).
      if (opts.wait && !TERMINAL.has(task.status)) return follow(ctx, client, id, opts, events.at(-1)?.seq ?? 0);
      return EXIT.ok;
    }
  }
}
