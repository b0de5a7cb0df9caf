// Model pulls (progress from the models.pull.progress topic, cancel) and deletes.
import type { PullProgress } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { sameHost } from '../lib/fit.js';
import { appStore, client, type PullState } from './app-state.js';
import { loadModels } from './catalog.js';
import { pushToast } from './toasts.js';

const PENDING = 'pending:';
/** If the engine said it cancelled but no final progress frame came, stop showing the pull after this. */
const CANCEL_GRACE_MS = 3_000;

function withoutKey(pulls: Record<string, PullState>, key: string): Record<string, PullState> {
  const next = { ...pulls };
  delete next[key];
  return next;
}

/** The pull of `name` (on `host`, when given) the UI shows, if any. */
export function findPull(pulls: Record<string, PullState>, name: string, host?: string | null): PullState | null {
  return Object.values(pulls).find((p) => p.name === name && (!host || !p.host || sameHost(p.host, host))) ?? null;
}

/** What to do once a pull of a name succeeds (e.g. run the task that lacked the model again). */
const afterInstall = new Map<string, Array<() => void>>();

/** Pull `name` and call `onInstalled` once it is installed (not on failure or cancel). */
export function pullThen(name: string, host: string | undefined, onInstalled: () => void): Promise<void> {
  afterInstall.set(name, [...(afterInstall.get(name) ?? []), onInstalled]);
  return startPull(name, host);
}

function settleAfterInstall(name: string, installed: boolean): void {
  const waiting = afterInstall.get(name) ?? [];
  afterInstall.delete(name);
  if (installed) for (const fn of waiting) fn();
}

export async function startPull(name: string, host?: string): Promise<void> {
  const key = `${PENDING}${name}`;
  const startedAt = Date.now();
  const placeholder: PullState = {
    pullId: key,
    name,
    host: host ?? '',
    status: 'starting',
    completedBytes: 0,
    totalBytes: 0,
    bytesPerSecond: 0,
    done: false,
    cancelled: false,
    error: null,
    startedAt,
  };
  appStore.setState((s) => ({ pulls: { ...s.pulls, [key]: placeholder } }));
  try {
    const { pullId } = await client().call('models.pull', host ? { name, host } : { name });
    appStore.setState((s) => {
      const pulls = withoutKey(s.pulls, key);
      // Progress may have beaten the answer here; keep the newer frame.
      if (!pulls[pullId]) pulls[pullId] = { ...placeholder, pullId };
      return { pulls };
    });
  } catch (err) {
    const e = toClientError(err);
    settleAfterInstall(name, false);
    appStore.setState((s) => ({ pulls: { ...s.pulls, [key]: { ...placeholder, error: { code: e.code, message: errorLine(e) } } } }));
  }
}

export function onPullProgress(p: PullProgress): void {
  const s = appStore.getState();
  const existing = s.pulls[p.pullId];
  let pulls = withoutKey(s.pulls, `${PENDING}${p.name}`);
  if (p.done && !p.error && !p.cancelled) {
    pulls = withoutKey(pulls, p.pullId);
    appStore.setState({ pulls });
    pushToast({ kind: 'success', text: `${p.name} is installed.` });
    void loadModels();
    settleAfterInstall(p.name, true);
    return;
  }
  if (p.done || p.error) settleAfterInstall(p.name, false);
  if (p.cancelled) {
    appStore.setState({ pulls: withoutKey(pulls, p.pullId) });
    if (existing) pushToast({ kind: 'info', text: `Pull of ${p.name} cancelled.` });
    return;
  }
  pulls[p.pullId] = { ...p, startedAt: existing?.startedAt ?? Date.now() };
  appStore.setState({ pulls });
}

export async function cancelPull(pullId: string): Promise<void> {
  const entry = appStore.getState().pulls[pullId];
  if (!entry) return;
  if (pullId.startsWith(PENDING) || entry.error) {
    dismissPull(pullId);
    return;
  }
  appStore.setState((s) => ({ pulls: { ...s.pulls, [pullId]: { ...entry, status: 'cancelling' } } }));
  try {
    const { cancelled } = await client().call('models.pullCancel', { pullId });
    setTimeout(() => {
      const still = appStore.getState().pulls[pullId];
      if (still && still.status === 'cancelling') {
        dismissPull(pullId);
        pushToast({ kind: 'info', text: cancelled ? `Pull of ${entry.name} cancelled.` : `The pull of ${entry.name} had already ended.` });
        void loadModels();
      }
    }, CANCEL_GRACE_MS);
  } catch (err) {
    appStore.setState((s) => ({ pulls: s.pulls[pullId] ? { ...s.pulls, [pullId]: { ...entry } } : s.pulls }));
    pushToast({ kind: 'error', text: `Could not cancel the pull of ${entry.name}: ${errorLine(toClientError(err))}` });
  }
}

export function dismissPull(pullId: string): void {
  appStore.setState((s) => ({ pulls: withoutKey(s.pulls, pullId) }));
}

/** Throws a ClientError for the row to show; on success the installed list refreshes. */
export async function deleteModel(name: string, host?: string): Promise<void> {
  try {
    await client().call('models.delete', host ? { name, host } : { name });
  } catch (err) {
    throw toClientError(err);
  }
  pushToast({ kind: 'success', text: `Deleted ${name}.` });
  await loadModels();
}
