// What the model will see from the open workspace: a debounced context.preview of the
// prompt being typed, the user's pins and removals (sent with tasks.create), and files
// dropped on the window that are not in the workspace (attached to the prompt).
import type { ContextChoice } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { looksBinary, MAX_ATTACHMENT_BYTES, relativeToRoot, type Attachment } from '../lib/attachments.js';
import { formatBytes } from '../lib/format.js';
import { appStore, client } from './app-state.js';
import { pushToast } from './toasts.js';
import { wsStore } from './workspace-state.js';

export const PREVIEW_DEBOUNCE_MS = 400;

let timer: ReturnType<typeof setTimeout> | null = null;
let request = 0;

/** The choice as tasks.create and context.preview take it (empty lists left out). */
export function contextChoice(): ContextChoice | undefined {
  const { pinned, excluded } = wsStore.getState().context;
  if (pinned.length === 0 && excluded.length === 0) return undefined;
  return { ...(pinned.length > 0 ? { pinned } : {}), ...(excluded.length > 0 ? { excluded } : {}) };
}

export function schedulePreview(delayMs = PREVIEW_DEBOUNCE_MS): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    void runPreview();
  }, delayMs);
}

async function runPreview(): Promise<void> {
  const info = wsStore.getState().info;
  const prompt = appStore.getState().draft.trim();
  const id = ++request;
  if (!info || (!prompt && wsStore.getState().context.pinned.length === 0)) {
    wsStore.setState({ preview: null, previewLoading: false, previewError: null });
    return;
  }
  wsStore.setState({ previewLoading: true });
  try {
    const context = contextChoice();
    const model = appStore.getState().selectedModel;
    const res = await client().call('context.preview', { root: info.root, prompt, ...(model ? { model } : {}), ...(context ? { context } : {}) });
    if (id !== request) return;
    wsStore.setState({ preview: res, previewLoading: false, previewError: null });
  } catch (err) {
    if (id !== request) return;
    wsStore.setState({ previewLoading: false, previewError: toClientError(err) });
  }
}

/** The draft or the workspace changed: preview again once typing pauses. */
export function watchDraftForPreview(): void {
  let lastDraft = appStore.getState().draft;
  let lastModel = appStore.getState().selectedModel;
  appStore.subscribe(() => {
    const { draft, selectedModel } = appStore.getState();
    if (draft === lastDraft && selectedModel === lastModel) return;
    lastDraft = draft;
    lastModel = selectedModel;
    if (wsStore.getState().info) schedulePreview();
  });
  let lastRoot = wsStore.getState().info?.root ?? null;
  wsStore.subscribe(() => {
    const root = wsStore.getState().info?.root ?? null;
    if (root === lastRoot) return;
    lastRoot = root;
    schedulePreview(0);
  });
}

function setChoice(update: (c: { pinned: string[]; excluded: string[] }) => { pinned: string[]; excluded: string[] }): void {
  wsStore.setState((s) => ({ context: update(s.context) }));
  schedulePreview(0);
}

export function pinContextFile(path: string): void {
  setChoice((c) => ({ pinned: c.pinned.includes(path) ? c.pinned : [...c.pinned, path], excluded: c.excluded.filter((p) => p !== path) }));
}

export function unpinContextFile(path: string): void {
  setChoice((c) => ({ ...c, pinned: c.pinned.filter((p) => p !== path) }));
}

export function excludeContextFile(path: string): void {
  setChoice((c) => ({ pinned: c.pinned.filter((p) => p !== path), excluded: c.excluded.includes(path) ? c.excluded : [...c.excluded, path] }));
}

export function restoreContextFile(path: string): void {
  setChoice((c) => ({ ...c, excluded: c.excluded.filter((p) => p !== path) }));
}

export function setContextOpen(open: boolean): void {
  wsStore.setState({ contextOpen: open });
}

/** After a send: the next prompt starts with no pins, removals or attachments. */
export function resetContext(): void {
  if (timer) clearTimeout(timer);
  request++;
  wsStore.setState({ context: { pinned: [], excluded: [] }, preview: null, previewLoading: false, previewError: null, attachments: [], contextOpen: false });
}

// ---- dropped files ----

let nextAttachmentId = 1;

export function removeAttachment(id: number): void {
  wsStore.setState((s) => ({ attachments: s.attachments.filter((a) => a.id !== id) }));
}

/**
 * A dropped file: pinned as context when it lies in the open workspace (its path is
 * known in Electron), else its text is attached to the prompt.
 */
export async function attachDroppedFile(file: File, absolutePath: string | null): Promise<void> {
  const info = wsStore.getState().info;
  const rel = info && absolutePath ? relativeToRoot(info.root, absolutePath) : null;
  if (rel) {
    pinContextFile(rel);
    wsStore.setState({ contextOpen: true });
    return;
  }
  if (file.size > MAX_ATTACHMENT_BYTES) {
    pushToast({ kind: 'error', text: `${file.name} is too large to attach (${formatBytes(file.size)}; the limit is ${formatBytes(MAX_ATTACHMENT_BYTES)}).` });
    return;
  }
  let text: string;
  try {
    text = await file.text();
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not read ${file.name}: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  if (looksBinary(text)) {
    pushToast({ kind: 'error', text: `${file.name} is a binary file; only text files can be attached to the prompt.` });
    return;
  }
  const attachment: Attachment = { id: nextAttachmentId++, name: file.name, text, size: file.size };
  wsStore.setState((s) => ({ attachments: [...s.attachments.filter((a) => a.name !== file.name), attachment] }));
}
