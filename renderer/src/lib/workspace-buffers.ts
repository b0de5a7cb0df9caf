// The workspace editor's Monaco buffers: one text model per open file, kept while its
// tab is open so switching tabs never loses unsaved edits. Loaded with the editor chunk.
import { monaco } from './monaco-setup.js';
import { languageForPath } from './language.js';
import { saveDoc, setDocDirty } from '../store/workspace-docs.js';
import { setBufferHooks } from '../store/workspace-state.js';

export interface Buffer {
  path: string;
  model: monaco.editor.ITextModel;
  /** The model's alternative version id when it last equalled the disk. */
  savedVersion: number;
  /** The doc's `reset` counter this buffer last applied. */
  reset: number;
  viewState: monaco.editor.ICodeEditorViewState | null;
}

const buffers = new Map<string, Buffer>();
let programmatic = false;

export function getBuffer(path: string, text: string, reset: number): Buffer {
  let b = buffers.get(path);
  if (b) return b;
  const model = monaco.editor.createModel(text, languageForPath(path));
  b = { path, model, savedVersion: model.getAlternativeVersionId(), reset, viewState: null };
  const buffer = b;
  model.onDidChangeContent(() => {
    if (programmatic) return;
    setDocDirty(path, isDirty(buffer));
  });
  buffers.set(path, b);
  return b;
}

export function peekBuffer(path: string): Buffer | undefined {
  return buffers.get(path);
}

export function isDirty(b: Buffer): boolean {
  return b.model.getAlternativeVersionId() !== b.savedVersion;
}

/** Replace the buffer's text with the disk's (keeps the undo stack, marks it clean). */
export function resetBuffer(b: Buffer, text: string, reset: number): void {
  b.reset = reset;
  if (b.model.getValue() !== text) {
    programmatic = true;
    try {
      b.model.pushEditOperations([], [{ range: b.model.getFullModelRange(), text }], () => null);
    } finally {
      programmatic = false;
    }
  }
  b.savedVersion = b.model.getAlternativeVersionId();
  setDocDirty(b.path, false);
}

/** The buffer was written to disk at `version`. */
export function markSaved(b: Buffer, version: number): void {
  b.savedVersion = version;
  setDocDirty(b.path, isDirty(b));
}

function dispose(path: string): void {
  const b = buffers.get(path);
  if (!b) return;
  buffers.delete(path);
  b.model.dispose();
}

/** Write the buffer to disk; it stays dirty if it was edited while the save ran. */
export async function saveBuffer(path: string): Promise<boolean> {
  const b = buffers.get(path);
  if (!b) return false;
  const version = b.model.getAlternativeVersionId();
  const ok = await saveDoc(path, b.model.getValue());
  if (ok && buffers.get(path) === b) markSaved(b, version);
  return ok;
}

setBufferHooks({
  dispose,
  save: saveBuffer,
  disposeAll: () => {
    for (const path of [...buffers.keys()]) dispose(path);
  },
});
