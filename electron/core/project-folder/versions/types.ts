// What a project's history offers, whatever keeps it: a git repository (generated
// projects), copies in the data dir (a generated project whose repository is damaged),
// or the per-turn undo snapshots (an opened folder).
import type { ProjectKind, ProjectVersion, VersionFileDiff } from '../../../../shared/project.js';
import type { TurnInfo } from './version-list.js';

/** Where the versions live (the contract's projects.versions backend): a git repository, or snapshots/copies. */
export type HistoryBackend = 'git' | 'snapshots';

/** A turn as the history needs it (a Task row has all of these). */
export interface HistoryTurn {
  id: string;
  /** The version's message in the list. */
  prompt?: string;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Files the turn wrote: a turn with files but no snapshot cannot be stepped over by a restore. */
  fileCount: number;
}

export interface OpenProjectHistoryOptions {
  /** The project's folder (must exist). */
  root: string;
  kind: ProjectKind;
  /** MACS data dir: copies, restore records and the backend choice live under it. */
  dataDir: string;
  projectId: string;
  /** The project's turns, oldest first (opened folders build their versions from them). */
  turns?: HistoryTurn[];
}

/** A file of a version, for the export. */
export interface VersionFile {
  path: string;
  size: number;
  /** Permission bits (0o755 for an executable). */
  mode: number;
  read(): Promise<Buffer>;
}

export interface ProjectHistory {
  readonly backend: HistoryBackend;
  /** One sentence for the UI when the history is not kept the usual way (a damaged repository), else null. */
  readonly notice: string | null;
  /** Before a turn writes: what the user changed by hand since the last version, as its own version (null: nothing). */
  commitHandEdits(): Promise<ProjectVersion | null>;
  /** After a turn: what it changed, as a version with the prompt as its message (null: nothing changed). */
  commitTurn(turn: TurnInfo): Promise<ProjectVersion | null>;
  /** Oldest first, numbered 1..n. */
  list(): Promise<ProjectVersion[]>;
  /** The version's changes against the one before it. */
  diff(versionId: string): Promise<VersionFileDiff[]>;
  /** The files back as they were at that version, byte for byte, as a new version. */
  restore(versionId: string): Promise<ProjectVersion>;
  /** Back to the version before the newest turn that is not undone. */
  undoLastTurn(): Promise<ProjectVersion>;
  /** The files at a version (default: the newest), for the export. */
  filesAt(versionId?: string): Promise<VersionFile[]>;
}

export type { TurnInfo };
