import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MacsError } from '../../../shared/errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

/**
 * Open (or create) the SQLite file, set the pragmas every connection needs, and run
 * pending migrations in one transaction each. Several processes may open the same
 * file: WAL + busy_timeout make that safe.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  let db: Db | null = null;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // durable across app crashes in WAL mode; fsync at checkpoints
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db?.close();
    throw notWritable(err, file) ?? err;
  }
}

/** Errno and SQLite codes that can mean "this file or folder cannot be written" (ENOENT: mkdir -p on a read-only mount). */
const MAYBE_NOT_WRITABLE = /^(EROFS|EACCES|EPERM|ENOENT|SQLITE_READONLY.*|SQLITE_CANTOPEN.*)$/;

/** Why `dir` (or its nearest existing ancestor) cannot be written, asked of the kernel; null if it can. */
function writeProblem(dir: string): 'EROFS' | 'EACCES' | null {
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      fs.accessSync(at, fs.constants.W_OK);
      return null;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EROFS') return 'EROFS';
      if (code === 'EACCES' || code === 'EPERM') return 'EACCES';
      if (path.dirname(at) === at) return null;
    }
  }
}

/**
 * A read-only data folder or database is a start-up fault the user fixes: one sentence
 * (DATA_DIR_NOT_WRITABLE) for the hosts to print, not a stack trace.
 */
function notWritable(err: unknown, file: string): MacsError | null {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (!MAYBE_NOT_WRITABLE.test(code)) return null;
  const dir = path.dirname(file);
  // The folder may be writable while macs.db itself is not (SQLite opens it read-only, then the first write fails).
  const problem = writeProblem(dir) ?? (code.startsWith('SQLITE_READONLY') ? 'EACCES' : null);
  if (!problem) return null;
  const why = problem === 'EROFS' ? 'its file system is mounted read-only' : 'it is read-only or not writable by this user';
  return new MacsError(
    'DATA_DIR_NOT_WRITABLE',
    `MACS cannot write its database ${file}: ${why}. Make ${dir} writable, or start MACS with another data folder (MACS_DATA_DIR=/path/to/folder).`,
    { path: file, dataDir: dir, errno: code, cause: err instanceof Error ? err.message : String(err) },
  );
}

function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new Error(`The database was created by a newer MACS (schema ${newest}, this build knows ${known}). Update the app.`);
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around it.
    if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        m.run?.(db);
        if (m.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`Migration ${m.version} left ${broken.length} broken foreign keys.`);
        }
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      }).immediate();
    } finally {
      if (m.rebuildsTables) db.pragma('foreign_keys = ON');
    }
  }
}
