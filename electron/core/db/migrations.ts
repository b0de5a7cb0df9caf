// Forward-only numbered migrations. Append new entries; never edit an applied one.
// Kept as TypeScript strings (not .sql files) so the bundled CLI and Electron main
// carry them without a copy step.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tasks, events, files, settings',
    sql: `
      CREATE TABLE tasks (
        id             TEXT PRIMARY KEY,
        kind           TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled')),
        title          TEXT NOT NULL,
        prompt         TEXT NOT NULL,
        model          TEXT NOT NULL,
        num_ctx        INTEGER NOT NULL,
        workspace_path TEXT NOT NULL,
        created_at     INTEGER NOT NULL,
        started_at     INTEGER,
        finished_at    INTEGER,
        error_json     TEXT,
        last_seq       INTEGER NOT NULL DEFAULT 0,
        eval_tokens    INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX tasks_created ON tasks (created_at DESC);
      CREATE INDEX tasks_status ON tasks (status);

      -- Append-only: rows are inserted, never updated or deleted (except with their task).
      CREATE TABLE task_events (
        task_id   TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        seq       INTEGER NOT NULL,
        ts        INTEGER NOT NULL,
        type      TEXT NOT NULL,
        data_json TEXT NOT NULL,
        PRIMARY KEY (task_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE task_files (
        task_id    TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        path       TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('streaming','written','truncated')),
        size       INTEGER NOT NULL DEFAULT 0,
        sha256     TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (task_id, path)
      ) WITHOUT ROWID;

      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
      );
    `,
  },
];
