import fs from 'node:fs';
import path from 'node:path';
import type { StepName } from '../../../shared/index.js';

/**
 * Step artifacts: artifacts/<task_id>/<step>@vN.json under the data dir. Written to a
 * temp name and renamed, so a crash never leaves half a JSON file behind.
 */
export class ArtifactStore {
  constructor(private readonly dataDir: string) {}

  relativePath(taskId: string, step: StepName, version: number): string {
    return path.posix.join('artifacts', taskId, `${step}@v${version}.json`);
  }

  taskDir(taskId: string): string {
    return path.join(this.dataDir, 'artifacts', taskId);
  }

  write(taskId: string, step: StepName, version: number, artifact: Record<string, unknown>): string {
    const rel = this.relativePath(taskId, step, version);
    this.writeJson(rel, artifact);
    return rel;
  }

  writeJson(rel: string, value: unknown): void {
    const full = path.join(this.dataDir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    const tmp = `${full}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
    fs.renameSync(tmp, full);
  }

  read(rel: string): Record<string, unknown> | null {
    const full = path.join(this.dataDir, rel);
    if (!fs.existsSync(full)) return null;
    return JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>;
  }
}
