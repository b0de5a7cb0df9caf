import type { Db } from './open-database.js';
import { adoptTasksIntoProjects } from './adopt-tasks.js';

// Forward-only numbered migrations. Append new entries; never edit an applied one.
// Kept as TypeScript strings (not .sql files) so the bundled CLI and Electron main
// carry them without a copy step.
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Table rebuilds (SQLite cannot alter a CHECK) must run with foreign keys off. */
  rebuildsTables?: boolean;
  /** Data moves SQL alone cannot express, run in the same transaction after `sql`. */
  run?: (db: Db) => void;
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
  {
    version: 2,
    name: 'durable queue: leases, attempts, priorities, retries, feedback',
    rebuildsTables: true,
    sql: `
      CREATE TABLE tasks_v2 (
        id               TEXT PRIMARY KEY,
        kind             TEXT NOT NULL CHECK (kind IN ('chat','build')),
        status           TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled','interrupted')),
        title            TEXT NOT NULL,
        prompt           TEXT NOT NULL,
        model            TEXT NOT NULL,
        num_ctx          INTEGER NOT NULL,
        workspace_path   TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        started_at       INTEGER,
        finished_at      INTEGER,
        error_json       TEXT,
        last_seq         INTEGER NOT NULL DEFAULT 0,
        eval_tokens      INTEGER NOT NULL DEFAULT 0,
        priority         INTEGER NOT NULL DEFAULT 0,
        attempts         INTEGER NOT NULL DEFAULT 0,
        max_attempts     INTEGER NOT NULL DEFAULT 3,
        not_before       INTEGER,
        metadata_json    TEXT,
        lease_owner      TEXT,
        lease_expires_at INTEGER,
        cancel_requested INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO tasks_v2 (id, kind, status, title, prompt, model, num_ctx, workspace_path, created_at, started_at,
                            finished_at, error_json, last_seq, eval_tokens)
        SELECT id, kind, status, title, prompt, model, num_ctx, workspace_path, created_at, started_at,
               finished_at, error_json, last_seq, eval_tokens
        FROM tasks ORDER BY created_at, rowid;
      DROP TABLE tasks;
      ALTER TABLE tasks_v2 RENAME TO tasks;
      CREATE INDEX tasks_created ON tasks (created_at DESC);
      CREATE INDEX tasks_status ON tasks (status, created_at DESC);
      -- The claim query reads only this: queued tasks by priority, then age.
      CREATE INDEX tasks_queue ON tasks (priority DESC, created_at, model) WHERE status = 'queued';
      -- Lease recovery reads only this.
      CREATE INDEX tasks_leases ON tasks (lease_expires_at) WHERE status = 'running';

      CREATE TABLE task_attempts (
        task_id     TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        attempt     INTEGER NOT NULL,
        worker      TEXT NOT NULL,
        started_at  INTEGER NOT NULL,
        finished_at INTEGER,
        outcome     TEXT NOT NULL CHECK (outcome IN ('running','succeeded','failed','cancelled','interrupted','retrying')),
        error_json  TEXT,
        PRIMARY KEY (task_id, attempt)
      ) WITHOUT ROWID;

      CREATE TABLE feedback (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id    TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        rating     INTEGER NOT NULL CHECK (rating IN (-1, 1)),
        comment    TEXT,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'task host routing, model metadata cache',
    sql: `
      -- The Ollama host a task runs on (NULL: the default host in settings).
      ALTER TABLE tasks ADD COLUMN host TEXT;
      -- /api/show answers, by digest: architecture numbers do not change for a digest.
      CREATE TABLE model_meta (
        digest     TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        show_json  TEXT NOT NULL,
        fetched_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'queue index that serves the claim order',
    sql: `
      -- Version 2's index had model before the implicit rowid, so ORDER BY priority DESC,
      -- created_at, rowid sorted every queued row on each claim. This one is the claim order.
      DROP INDEX IF EXISTS tasks_queue;
      CREATE INDEX tasks_queue ON tasks (priority DESC, created_at) WHERE status = 'queued';
    `,
  },
  {
    version: 5,
    name: 'build pipeline: step attempts, replay requests, LLM response cache',
    sql: `
      -- One row per attempt of one step (plan@v1, test@v3 ...). output_json is what later
      -- steps read (the plan, a test report, the files written), so a resumed or replayed
      -- task continues from here; the full prompt and answer live in the artifact file.
      CREATE TABLE task_steps (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id       TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        step          TEXT NOT NULL CHECK (step IN ('plan','implement','docs','test','fix','review')),
        version       INTEGER NOT NULL,
        attempt       INTEGER NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('running','succeeded','failed','cancelled')),
        model         TEXT,
        model_reason  TEXT,
        started_at    INTEGER NOT NULL,
        finished_at   INTEGER,
        llm_ms        REAL NOT NULL DEFAULT 0,
        command_ms    REAL NOT NULL DEFAULT 0,
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        eval_tokens   INTEGER NOT NULL DEFAULT 0,
        llm_calls     INTEGER NOT NULL DEFAULT 0,
        cached_calls  INTEGER NOT NULL DEFAULT 0,
        summary       TEXT NOT NULL DEFAULT '',
        error_json    TEXT,
        replay_of     INTEGER,
        artifact      TEXT,
        output_json   TEXT,
        UNIQUE (task_id, step, version)
      );
      CREATE INDEX task_steps_task ON task_steps (task_id, id);

      -- A replay asked for and not yet run (one per task; the task is queued meanwhile).
      CREATE TABLE task_replays (
        task_id      TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
        step         TEXT NOT NULL,
        version      INTEGER,
        cascade      INTEGER NOT NULL,
        use_cache    INTEGER NOT NULL,
        requested_at INTEGER NOT NULL
      );

      -- Content-addressed answers: key = sha256(model digest, messages, options).
      CREATE TABLE llm_cache (
        key         TEXT PRIMARY KEY,
        model       TEXT NOT NULL,
        response    TEXT NOT NULL,
        usage_json  TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        hits        INTEGER NOT NULL DEFAULT 0,
        last_hit_at INTEGER
      );
    `,
  },
  {
    version: 6,
    name: 'workspace folders the user opened',
    sql: `
      -- Folders opened as workspaces (recent list). Only these may be listed, read or written
      -- through workspaces.*: a path is checked once, when it is opened.
      CREATE TABLE workspaces (
        root      TEXT PRIMARY KEY,
        name      TEXT NOT NULL,
        is_git    INTEGER NOT NULL,
        opened_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'measured model speed per host',
    sql: `
      -- Generation speed as Ollama reports it (eval_count / eval_duration), summed per model
      -- and host; the Models screen shows it instead of the bandwidth estimate once a model ran.
      CREATE TABLE model_speeds (
        host        TEXT NOT NULL,
        model       TEXT NOT NULL,
        eval_tokens INTEGER NOT NULL,
        eval_ms     REAL NOT NULL,
        samples     INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (host, model)
      );
    `,
  },
  {
    version: 8,
    name: 'projects: a task is a turn of a project',
    sql: `
      -- A project is what the user works on: a folder MACS made (generated) or one the user
      -- opened (folder), and a conversation of turns (tasks). The kind is stored, never
      -- guessed from the path. Opened folders move here from the workspaces table.
      CREATE TABLE projects (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('generated','folder')),
        root       TEXT NOT NULL,
        language   TEXT,
        pinned     INTEGER NOT NULL DEFAULT 0,
        paused     INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX projects_root ON projects (root);
      CREATE INDEX projects_recent ON projects (pinned DESC, updated_at DESC);
      ALTER TABLE tasks ADD COLUMN project_id TEXT REFERENCES projects(id) ON DELETE CASCADE;
      -- Turn order within a project, and "is an earlier turn still unfinished" for the claim.
      CREATE INDEX tasks_project ON tasks (project_id, created_at);
    `,
    run: (db) => adoptTasksIntoProjects(db),
  },
  {
    version: 9,
    name: 'project runs: how a project is started and on which port',
    sql: `
      -- What the user kept for running a project (its own command, a pinned port, registry
      -- access for installs) and what MACS remembers between runs: the last port (so the
      -- preview URL stays the same) and the hash of the dependency files last installed.
      CREATE TABLE project_runs (
        project_id      TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        command         TEXT,
        pinned_port     INTEGER,
        last_port       INTEGER,
        install_network INTEGER NOT NULL DEFAULT 0,
        deps_hash       TEXT,
        updated_at      INTEGER NOT NULL
      );
    `,
  },
  {
    version: 10,
    name: 'feedback: neutral ratings, and the rating as the client sent it',
    rebuildsTables: true,
    sql: `
      -- Seed clients rate 1 to 5: 3 is neutral (0), so the CHECK allows 0; the rating as sent
      -- and its scale (2: -1/1, 5: 1 to 5) are kept beside the mapped one.
      CREATE TABLE feedback_v10 (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id      TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        rating       INTEGER NOT NULL CHECK (rating IN (-1, 0, 1)),
        comment      TEXT,
        created_at   INTEGER NOT NULL,
        rating_given INTEGER,
        rating_scale INTEGER CHECK (rating_scale IN (2, 5))
      );
      INSERT INTO feedback_v10 (id, task_id, rating, comment, created_at, rating_given, rating_scale)
        SELECT id, task_id, rating, comment, created_at, rating, 2 FROM feedback;
      DROP TABLE feedback;
      ALTER TABLE feedback_v10 RENAME TO feedback;
    `,
  },
  {
    version: 11,
    name: 'build pipeline: the webcheck step (smoke scenarios in a browser)',
    rebuildsTables: true,
    sql: `
      -- SQLite cannot alter a CHECK: the step rows move to a table whose CHECK knows webcheck.
      CREATE TABLE task_steps_v11 (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id       TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        step          TEXT NOT NULL CHECK (step IN ('plan','implement','docs','test','webcheck','fix','review')),
        version       INTEGER NOT NULL,
        attempt       INTEGER NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('running','succeeded','failed','cancelled')),
        model         TEXT,
        model_reason  TEXT,
        started_at    INTEGER NOT NULL,
        finished_at   INTEGER,
        llm_ms        REAL NOT NULL DEFAULT 0,
        command_ms    REAL NOT NULL DEFAULT 0,
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        eval_tokens   INTEGER NOT NULL DEFAULT 0,
        llm_calls     INTEGER NOT NULL DEFAULT 0,
        cached_calls  INTEGER NOT NULL DEFAULT 0,
        summary       TEXT NOT NULL DEFAULT '',
        error_json    TEXT,
        replay_of     INTEGER,
        artifact      TEXT,
        output_json   TEXT,
        UNIQUE (task_id, step, version)
      );
      INSERT INTO task_steps_v11 SELECT id, task_id, step, version, attempt, status, model, model_reason, started_at, finished_at,
        llm_ms, command_ms, prompt_tokens, eval_tokens, llm_calls, cached_calls, summary, error_json, replay_of, artifact, output_json
        FROM task_steps;
      DROP TABLE task_steps;
      ALTER TABLE task_steps_v11 RENAME TO task_steps;
      CREATE INDEX task_steps_task ON task_steps (task_id, id);
    `,
  },
  {
    version: 12,
    name: 'projects: model options (temperature, system prompt) per project',
    sql: `
      -- JSON {temperature, systemPrompt}; NULL: the defaults (the steps' own temperature, MACS's system prompt alone).
      ALTER TABLE projects ADD COLUMN model_options TEXT;
    `,
  },
];
