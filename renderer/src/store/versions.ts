// The selected project's versions: the list (projects.versions; its `undone` marks also
// mark turns in the chat), one version's changed files (projects.versionDiff) with the diff
// of a file in the file pane, Restore, Undo last turn, and Export zip of a version.
import type { VersionFileDiff } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { appStore, client, type VersionsState } from './app-state.js';
import { pushToast } from './toasts.js';
import { wsStore } from './workspace-state.js';

const empty = (projectId: string): VersionsState => ({
  projectId,
  rows: null,
  backend: null,
  notice: null,
  loading: true,
  error: null,
  openId: null,
  files: null,
  filesError: null,
  busy: false,
  actionError: null,
});

function patch(projectId: string, p: Partial<VersionsState>): void {
  appStore.setState((s) => (s.activeProjectId === projectId ? { versions: { ...(s.versions?.projectId === projectId ? s.versions : empty(projectId)), ...p } } : {}));
}

export async function loadVersions(projectId: string): Promise<void> {
  const cur = appStore.getState().versions;
  if (cur?.projectId !== projectId) appStore.setState({ versions: empty(projectId) });
  else patch(projectId, { loading: true });
  try {
    const res = await client().call('projects.versions', { projectId });
    patch(projectId, { rows: res.versions, backend: res.backend, notice: res.notice, loading: false, error: null });
  } catch (err) {
    patch(projectId, { loading: false, error: toClientError(err) });
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | null = null;

/** Many project.updated in a burst (a turn streaming) → one versions fetch. */
export function scheduleVersionsRefresh(delayMs = 400): void {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    const id = appStore.getState().activeProjectId;
    if (id) void loadVersions(id);
  }, delayMs);
}

/** List what a version changed (click again: close it). */
export async function openVersion(versionId: string): Promise<void> {
  const s = appStore.getState();
  const projectId = s.activeProjectId;
  if (!projectId || !s.versions) return;
  if (s.versions.openId === versionId) {
    patch(projectId, { openId: null, files: null, filesError: null });
    return;
  }
  patch(projectId, { openId: versionId, files: null, filesError: null });
  try {
    const { files } = await client().call('projects.versionDiff', { projectId, versionId });
    if (appStore.getState().versions?.openId !== versionId) return;
    patch(projectId, { files });
    if (files[0]) showVersionFileDiff(versionId, files[0]);
  } catch (err) {
    if (appStore.getState().versions?.openId === versionId) patch(projectId, { filesError: toClientError(err) });
  }
}

/** One file's change in a version, in the file pane's diff editor. */
export function showVersionFileDiff(versionId: string, file: VersionFileDiff): void {
  const number = appStore.getState().versions?.rows?.find((v) => v.id === versionId)?.number ?? null;
  wsStore.setState({
    diff: {
      kind: 'version',
      versionId,
      label: number === null ? 'before ↔ after' : number > 1 ? `version ${number - 1} ↔ version ${number}` : `before ↔ version ${number}`,
      path: file.path,
      status: file.status,
      binary: file.binary,
      before: file.before,
      after: file.after,
    },
  });
}

function busy(projectId: string, on: boolean, actionError: VersionsState['actionError'] = null): void {
  patch(projectId, { busy: on, actionError });
}

/** Bring the files back to a version (as a new version); the Versions tab asked first. Refused while a turn runs: the sentence stays on the pane. */
export async function restoreVersion(versionId: string): Promise<void> {
  const s = appStore.getState();
  const projectId = s.activeProjectId;
  const row = s.versions?.rows?.find((v) => v.id === versionId);
  if (!projectId || !row) return;
  busy(projectId, true);
  try {
    const { version } = await client().call('projects.restore', { projectId, versionId });
    busy(projectId, false);
    pushToast({ kind: 'success', text: `Restored version ${row.number} as version ${version.number}.` });
    await loadVersions(projectId);
  } catch (err) {
    busy(projectId, false, toClientError(err));
  }
}

/** Back to the version before the newest turn not yet undone (as a new version); the Versions tab asked first. */
export async function undoLastTurn(): Promise<void> {
  const projectId = appStore.getState().activeProjectId;
  if (!projectId) return;
  busy(projectId, true);
  try {
    const { version } = await client().call('projects.undoTurn', { projectId });
    busy(projectId, false);
    pushToast({ kind: 'success', text: `Undid the last turn: the files are now version ${version.number}.` });
    await loadVersions(projectId);
  } catch (err) {
    busy(projectId, false, toClientError(err));
  }
}
