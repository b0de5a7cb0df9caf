// What is kept per project between runs (migration 9, project_runs): the user's command,
// pinned port and registry access for installs, plus what MACS remembers itself: the
// last port (so the preview URL stays the same run after run) and the hash of the
// dependency files at the last successful install (so installs are not repeated).
import type { RunSettings } from '../../../shared/index.js';
import type { Db } from '../db/index.js';

interface Row {
  command: string | null;
  pinned_port: number | null;
  last_port: number | null;
  install_network: number;
  deps_hash: string | null;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = { command: null, pinnedPort: null, installNetwork: false };

export class RunSettingsStore {
  private readonly get: (projectId: string) => Row | undefined;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {
    const select = db.prepare<[string], Row>('SELECT command, pinned_port, last_port, install_network, deps_hash FROM project_runs WHERE project_id = ?');
    this.get = (projectId) => select.get(projectId);
  }

  settings(projectId: string): RunSettings {
    const row = this.get(projectId);
    if (!row) return { ...DEFAULT_RUN_SETTINGS };
    return { command: row.command, pinnedPort: row.pinned_port, installNetwork: row.install_network === 1 };
  }

  /** The port to ask for first: the pinned one, else the one the last run got (0: any). */
  preferredPort(projectId: string): number {
    const row = this.get(projectId);
    return row?.pinned_port ?? row?.last_port ?? 0;
  }

  depsHash(projectId: string): string | null {
    return this.get(projectId)?.deps_hash ?? null;
  }

  configure(projectId: string, patch: Partial<RunSettings>): RunSettings {
    const next = { ...this.settings(projectId), ...patch };
    this.upsert(projectId, {
      command: next.command,
      pinned_port: next.pinnedPort,
      install_network: next.installNetwork ? 1 : 0,
    });
    return next;
  }

  rememberPort(projectId: string, port: number): void {
    this.upsert(projectId, { last_port: port });
  }

  rememberInstall(projectId: string, depsHash: string | null): void {
    this.upsert(projectId, { deps_hash: depsHash });
  }

  private upsert(projectId: string, values: Partial<Row>): void {
    const columns = Object.keys(values) as (keyof Row)[];
    const assignments = columns.map((c) => `${c} = excluded.${c}`).join(', ');
    this.db
      .prepare(
        `INSERT INTO project_runs (project_id, ${columns.join(', ')}, updated_at) VALUES (?, ${columns.map(() => '?').join(', ')}, ?)
         ON CONFLICT (project_id) DO UPDATE SET ${assignments}, updated_at = excluded.updated_at`,
      )
      .run(projectId, ...columns.map((c) => values[c] ?? null), this.now());
  }
}
