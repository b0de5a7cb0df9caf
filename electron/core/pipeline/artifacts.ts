import fs from 'node:fs';
import path from 'node:path';
import type { StepName } from '../../../shared/index.js';
import { mapDiskFull } from '../db/index.js';

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
    const text = `${JSON.stringify(value, null, 2)}\n`;
    mapDiskFull({ path: full, what: `the step artifact ${rel}`, neededBytes: Buffer.byteLength(text) }, () => {
      try {
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, full);
      } catch (err) {
        fs.rmSync(tmp, { force: true }); // a half-written temp file would hold on to the space
        throw err;
      }
    });
  }

  read(rel: string): Record<string, unknown> | null {
    const full = path.join(this.dataDir, rel);
    if (!fs.existsSync(full)) return null;
    return JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>;
  }
}
