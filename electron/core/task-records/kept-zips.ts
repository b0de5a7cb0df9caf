import fs from 'node:fs';
import path from 'node:path';
import type { Task } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';

export interface KeptZip {
  path: string;
  fileName: string;
  bytes: number;
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Only what MACS names its zips: a task id and `.zip` (no separators, no dots before it: nothing can leave the folder). */
const ZIP_NAME = /^([A-Za-z0-9][A-Za-z0-9_-]{0,127})\.zip$/;

/** The task id a kept zip's file name stands for; null for any other name. */
export function taskIdOfZipName(fileName: string): string | null {
  return ZIP_NAME.exec(fileName)?.[1] ?? null;
}

/**
 * The earlier MACS kept a zip per task at <data dir>/zips/<task_id>.zip. Made when a task with
 * files ends in a folder MACS generated (in the background: the task is already over), or on
 * the first request for it; one making per task at a time. A project turn's zip is the project
 * as that turn left it. A turn in a folder the user opened is zipped only when asked: that
 * folder may be a whole repository, and zipping it after every turn would cost more than the turn.
 */
export class KeptZips {
  private readonly making = new Map<string, Promise<KeptZip>>();

  /** dir: <data dir>/zips; the folders MACS generates live beside it in the data dir. */
  constructor(
    readonly dir: string,
    /** Zips a finished task's files to destPath (the engine's exportTask). */
    private readonly exportTask: (taskId: string, destPath: string) => Promise<{ bytes: number }>,
  ) {}

  pathOf(taskId: string): string {
    return path.join(this.dir, `${taskId}.zip`);
  }

  /** The task's kept zip, made now if there is none yet. */
  ensure(taskId: string): Promise<KeptZip> {
    if (!taskIdOfZipName(`${taskId}.zip`)) return Promise.reject(new MacsError('EXPORT_NOT_FOUND', `No zip for a task id like "${taskId.slice(0, 60)}".`));
    const target = this.pathOf(taskId);
    const fileName = path.basename(target);
    const size = fs.statSync(target, { throwIfNoEntry: false })?.size;
    if (size !== undefined) return Promise.resolve({ path: target, fileName, bytes: size });
    let pending = this.making.get(taskId);
    if (!pending) {
      pending = this.make(taskId, target).finally(() => this.making.delete(taskId));
      this.making.set(taskId, pending);
    }
    return pending;
  }

  /** A task ended: keep its zip (a new run of it replaces the old one). Failures wait for a request, which reports them. */
  taskEnded(task: Task): void {
    fs.rmSync(this.pathOf(task.id), { force: true });
    if (task.fileCount === 0 || !isInside(path.dirname(this.dir), task.workspacePath)) return;
    this.ensure(task.id).catch(() => undefined);
  }

  /** Resolves when no zip is being made (the engine closes its database after this). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.making.values()]);
  }

  private async make(taskId: string, target: string): Promise<KeptZip> {
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      const { bytes } = await this.exportTask(taskId, tmp);
      fs.renameSync(tmp, target);
      return { path: target, fileName: path.basename(target), bytes };
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
}
