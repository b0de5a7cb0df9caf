// The open workspace folder as the UI holds it: the folder, its tree, the editor's open
// files, the diff on screen, and what the composer sends as the model's context.
// A store of its own beside appStore: tree and editor updates re-render only the
// components that read them.
import type { ContextSelection, FileChange, WorkspaceInfo } from '../../../shared/index.js';
import type { Attachment } from '../lib/attachments.js';
import type { ErrorLike } from '../lib/error-text.js';
import type { WorkspaceTree } from '../lib/workspace-tree.js';
import { createStore, useStoreSelector } from './create-store.js';

/** One file open in the editor (a tab). */
export interface DocState {
  path: string;
  status: 'loading' | 'ready' | 'error' | 'deleted';
  /** The text on disk as last read or saved (null for binary files). */
  disk: string | null;
  binary: boolean;
  size: number;
  error: ErrorLike | null;
  /** The editor's buffer differs from `disk` (published by the editor). */
  dirty: boolean;
  /** The file changed on disk while the buffer had unsaved edits: both are kept until the user picks. */
  conflict: { theirs: string | null; deleted: boolean } | null;
  /** Bumped when the buffer must be replaced by `disk` whatever it holds (reload, take theirs). */
  reset: number;
  saving: boolean;
}

/** A task's change to one file, shown in the diff editor. */
export interface TaskDiff {
  kind: 'task';
  taskId: string;
  root: string;
  path: string;
  status: FileChange['status'];
  loading: boolean;
  error: ErrorLike | null;
  before: string | null;
  after: string | null;
  binary: boolean;
}

/** The user's buffer against the version a task (or anyone) wrote to disk. */
export interface ConflictDiff {
  kind: 'conflict';
  path: string;
}

/** One file's change in a project version (the Versions tab). */
export interface VersionDiff {
  kind: 'version';
  versionId: string;
  /** "version 2 ↔ version 3". */
  label: string;
  path: string;
  status: 'added' | 'modified' | 'deleted';
  binary: boolean;
  before: string | null;
  after: string | null;
}

export type DiffTarget = TaskDiff | ConflictDiff | VersionDiff;

export interface ContextChoiceState {
  pinned: string[];
  excluded: string[];
}

export interface WorkspaceState {
  info: WorkspaceInfo | null;
  recent: WorkspaceInfo[];
  recentLoaded: boolean;
  /** The "Open folder" dialog (a path field and the recent list). */
  dialogOpen: boolean;
  /** Why the dialog opened, e.g. a folder dropped in the browser (which cannot see its path). */
  dialogNote: string | null;
  opening: boolean;
  openError: ErrorLike | null;
  tree: WorkspaceTree | null;
  treeVersion: number;
  treeLoading: boolean;
  treeError: ErrorLike | null;
  truncated: boolean;
  ignoredCount: number;
  showIgnored: boolean;
  expanded: ReadonlySet<string>;
  /** The tree row with keyboard focus. */
  focusedPath: string | null;
  tabs: string[];
  activePath: string | null;
  docs: Record<string, DocState>;
  diff: DiffTarget | null;
  context: ContextChoiceState;
  preview: ContextSelection | null;
  previewLoading: boolean;
  previewError: ErrorLike | null;
  /** The composer's context list is expanded. */
  contextOpen: boolean;
  attachments: Attachment[];
  /** Files are being dragged over the window (the drop overlay shows). */
  dragging: boolean;
}

export const initialWorkspaceState = (): WorkspaceState => ({
  info: null,
  recent: [],
  recentLoaded: false,
  dialogOpen: false,
  dialogNote: null,
  opening: false,
  openError: null,
  tree: null,
  treeVersion: 0,
  treeLoading: false,
  treeError: null,
  truncated: false,
  ignoredCount: 0,
  showIgnored: false,
  expanded: new Set(),
  focusedPath: null,
  tabs: [],
  activePath: null,
  docs: {},
  diff: null,
  context: { pinned: [], excluded: [] },
  preview: null,
  previewLoading: false,
  previewError: null,
  contextOpen: false,
  attachments: [],
  dragging: false,
});

export const wsStore = createStore<WorkspaceState>(initialWorkspaceState());

export function useWs<T>(selector: (state: WorkspaceState) => T): T {
  return useStoreSelector(wsStore, selector);
}

export function patchDoc(path: string, patch: Partial<DocState>): void {
  wsStore.setState((s) => {
    const doc = s.docs[path];
    if (!doc) return {};
    return { docs: { ...s.docs, [path]: { ...doc, ...patch } } };
  });
}

// The editor's Monaco buffers live in the lazily loaded editor chunk; the store tells it
// when buffers must go (a tab closed, the workspace closed) through these hooks.
type BufferHooks = { dispose(path: string): void; disposeAll(): void; save(path: string): Promise<boolean> };
let bufferHooks: BufferHooks | null = null;

export function setBufferHooks(hooks: BufferHooks | null): void {
  bufferHooks = hooks;
}

export function disposeBuffer(path: string): void {
  bufferHooks?.dispose(path);
}

export function disposeAllBuffers(): void {
  bufferHooks?.disposeAll();
}

/** Save the open buffer of `path` (the Save button, "Keep mine"). */
export function saveBufferOf(path: string): Promise<boolean> {
  return bufferHooks ? bufferHooks.save(path) : Promise.resolve(false);
}
