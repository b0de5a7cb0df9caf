import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Task, TopicPayload } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import { exportWorkspaceZip } from '../export/index.js';

export interface PreparedExport {
  exportId: string;
  fileName: string;
  fileCount: number;
  bytes: number;
  path: string;
}

const EXPORT_TTL_MS = 60 * 60 * 1000;

/** Zips a task's workspace, reporting progress; browser downloads are served from exportsDir. */
export class ExportService {
  constructor(
    private readonly exportsDir: string,
    private readonly onProgress: (payload: TopicPayload<'export.progress'>) => void,
    /** The task's part of manifest.json (its status; for build tasks, the pipeline's steps). */
    private readonly manifestExtra: (task: Task) => Record<string, unknown> = () => ({}),
  ) {}

  exportTask(task: Task, destPath?: string): Promise<PreparedExport> {
    return this.exportFolder({ root: task.workspacePath, title: task.title, ref: task.id, manifestExtra: this.manifestExtra(task) }, destPath);
  }

  /** A zip of a folder (a task's or project's files now, or a version's files written out to a staging folder). */
  async exportFolder(source: { root: string; title: string; ref: string; manifestExtra: Record<string, unknown> }, destPath?: string): Promise<PreparedExport> {
    const exportId = crypto.randomBytes(12).toString('hex');
    const fileName = `${slug(source.title) || 'project'}-${source.ref.replace(/^p-/, '').slice(0, 8)}.zip`;
    const target = destPath ?? path.join(this.exportsDir, exportId, fileName);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    try {
      const result = await exportWorkspaceZip({
        root: source.root,
        destPath: target,
        onProgress: (p) => this.onProgress({ exportId, taskId: source.ref, ...p }),
        manifestExtra: source.manifestExtra,
      });
      const bytes = fs.statSync(result.destPath).size;
      return { exportId, fileName, fileCount: result.fileCount, bytes, path: result.destPath };
    } catch (err) {
      if (err instanceof MacsError) throw err;
      throw new MacsError('EXPORT_FAILED', `Export failed: ${(err as Error).message}`, { ref: source.ref });
    }
  }

  /** A scratch folder under the exports folder (pruned with the exports) to write a version's files into. */
  stagingDir(): string {
    const dir = path.join(this.exportsDir, `staging-${crypto.randomBytes(8).toString('hex')}`);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The zip prepared for a browser download, by id (ids are random; nothing else is served). */
  exportFile(exportId: string): { path: string; fileName: string } {
    if (!/^[0-9a-f]{24}$/.test(exportId)) throw new MacsError('EXPORT_NOT_FOUND', 'No such export.');
    const dir = path.join(this.exportsDir, exportId);
    const name = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith('.zip')) : undefined;
    if (!name) throw new MacsError('EXPORT_NOT_FOUND', 'This export has expired; export again.');
    return { path: path.join(dir, name), fileName: name };
  }

  /** Browser exports are temporary copies; drop the old ones. */
  pruneOld(now = Date.now()): void {
    if (!fs.existsSync(this.exportsDir)) return;
    for (const entry of fs.readdirSync(this.exportsDir)) {
      const dir = path.join(this.exportsDir, entry);
      if (now - fs.statSync(dir).mtimeMs > EXPORT_TTL_MS) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}
