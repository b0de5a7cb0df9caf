// Monaco for workspace folders (loaded lazily, with the editor chunk): the file editor,
// one buffer per open tab, and the diff editor for a task's changes and for conflicts.
import { useEffect, useRef } from 'react';
import { monaco, monacoTheme } from '../lib/monaco-setup.js';
import { languageForPath } from '../lib/language.js';
import { getBuffer, isDirty, peekBuffer, resetBuffer, saveBuffer, type Buffer } from '../lib/workspace-buffers.js';
import type { DocState } from '../store/workspace-state.js';

const FONT = "'JetBrains Mono', 'Fira Code', 'Cascadia Code', Menlo, Consolas, 'DejaVu Sans Mono', monospace";

const baseOptions: monaco.editor.IEditorOptions = {
  automaticLayout: true,
  fontSize: 13,
  fontFamily: FONT,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  renderLineHighlight: 'line',
  smoothScrolling: true,
  tabSize: 4,
  padding: { top: 8 },
} as monaco.editor.IEditorOptions;

/** The editor of the active tab; its buffer follows the disk while it has no unsaved edits. */
export default function WorkspaceEditor({ path, doc }: { path: string; doc: DocState }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const current = useRef<Buffer | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const editor = monaco.editor.create(host.current, { ...baseOptions, theme: monacoTheme(), model: null });
    editorRef.current = editor;
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => {
      const b = current.current;
      if (b) void saveBuffer(b.path);
    });
    return () => {
      if (current.current && !current.current.model.isDisposed()) current.current.viewState = editor.saveViewState();
      current.current = null;
      editor.setModel(null);
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  const { status, disk, reset } = doc;
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || status !== 'ready' || disk === null) return;
    const b = getBuffer(path, disk, reset);
    if (current.current !== b) {
      const prev = current.current;
      if (prev && !prev.model.isDisposed()) prev.viewState = editor.saveViewState();
      editor.setModel(b.model);
      if (b.viewState) editor.restoreViewState(b.viewState);
      current.current = b;
    }
    // Follow the disk: always after an explicit reset (reload, take theirs); else only a clean buffer.
    if (b.reset !== reset || (!isDirty(b) && b.model.getValue() !== disk)) resetBuffer(b, disk, reset);
  }, [path, status, disk, reset]);

  return <div className="monaco-host" ref={host} data-testid="ws-editor" data-path={path} />;
}

interface DiffProps {
  path: string;
  /** The left side. */
  original: string;
  /** The right side: a string (read-only), or the path of an open buffer (editable: a conflict). */
  modified: { text: string } | { buffer: string };
}

/** Side by side: before → after (a task's change), or the disk's version → your buffer (a conflict). */
export function DiffView({ path, original, modified }: DiffProps) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const editor = monaco.editor.createDiffEditor(host.current, {
      ...(baseOptions as monaco.editor.IDiffEditorConstructionOptions),
      theme: monacoTheme(),
      renderSideBySide: true,
      originalEditable: false,
      readOnly: true,
      ignoreTrimWhitespace: false,
      renderOverviewRuler: true,
    });
    editorRef.current = editor;
    return () => {
      editor.setModel(null);
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  const modText = 'text' in modified ? modified.text : null;
  const modBuffer = 'buffer' in modified ? modified.buffer : null;
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const language = languageForPath(path);
    const left = monaco.editor.createModel(original, language);
    const buffer = modBuffer ? peekBuffer(modBuffer) : undefined;
    const right = buffer ? buffer.model : monaco.editor.createModel(modText ?? '', language);
    editor.setModel({ original: left, modified: right });
    editor.getModifiedEditor().updateOptions({ readOnly: !buffer });
    let save: monaco.IDisposable | null = null;
    if (buffer) {
      const path = buffer.path;
      save = editor.getModifiedEditor().addAction({
        id: 'macs.save-buffer',
        label: 'Save',
        keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
        run: () => void saveBuffer(path),
      });
    }
    return () => {
      save?.dispose();
      editor.setModel(null);
      left.dispose();
      if (!buffer) right.dispose(); // the buffer belongs to its tab
    };
  }, [path, original, modText, modBuffer]);

  return <div className="monaco-host" ref={host} data-testid="diff-editor" data-path={path} />;
}
