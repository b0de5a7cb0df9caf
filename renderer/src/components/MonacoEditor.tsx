// One Monaco editor instance for the file panel. Loaded lazily (it is most of the bundle).
// Streaming files grow by appending at the end (no full re-set per frame); closed files
// are editable, with a dirty marker and Ctrl/Cmd+S to save.
import { useEffect, useRef } from 'react';
import { monaco, monacoTheme } from '../lib/monaco-setup.js';
import { languageForPath } from '../lib/language.js';

export interface MonacoEditorProps {
  /** Identity of the document (task + path): a change replaces the editor content. */
  docId: string;
  path: string;
  value: string;
  streaming: boolean;
  readOnly: boolean;
  onDirtyChange: (dirty: boolean) => void;
  onSave: (content: string) => Promise<boolean>;
  /** Receives a function that saves the current content (for a Save button), or null on unmount. */
  registerSave?: (save: (() => void) | null) => void;
}

/** `next` extends `prev` (checked on a short window, so the cost stays O(1) per frame). */
function isGrowthOf(prev: string, next: string): boolean {
  if (next.length < prev.length) return false;
  const from = Math.max(0, prev.length - 64);
  return next.slice(from, prev.length) === prev.slice(from);
}

export default function MonacoEditor(props: MonacoEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const applied = useRef<{ docId: string; value: string } | null>(null);
  const savedVersion = useRef(0);
  const programmatic = useRef(false);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    if (!host.current) return;
    const model = monaco.editor.createModel('', 'plaintext');
    const editor = monaco.editor.create(host.current, {
      model,
      theme: monacoTheme(),
      automaticLayout: true,
      fontSize: 13,
      fontFamily: "'JetBrains Mono', 'Fira Code', 'Cascadia Code', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderLineHighlight: 'line',
      smoothScrolling: true,
      tabSize: 4,
      padding: { top: 8 },
      readOnly: true,
    });
    editorRef.current = editor;
    const sub = model.onDidChangeContent(() => {
      if (programmatic.current) return;
      latest.current.onDirtyChange(model.getAlternativeVersionId() !== savedVersion.current);
    });
    const save = () => {
      const p = latest.current;
      if (p.readOnly) return;
      const version = model.getAlternativeVersionId();
      void p.onSave(model.getValue()).then((ok) => {
        if (!ok) return;
        savedVersion.current = version;
        latest.current.onDirtyChange(model.getAlternativeVersionId() !== version);
      });
    };
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, save);
    latest.current.registerSave?.(save);
    return () => {
      latest.current.registerSave?.(null);
      sub.dispose();
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
  }, []);

  const { docId, value, streaming, readOnly, path } = props;

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    const prev = applied.current;
    programmatic.current = true;
    try {
      if (!prev || prev.docId !== docId) {
        monaco.editor.setModelLanguage(model, languageForPath(path));
        model.setValue(value);
        savedVersion.current = model.getAlternativeVersionId();
        latest.current.onDirtyChange(false);
        if (streaming) editor.revealLine(model.getLineCount());
        else editor.setScrollTop(0);
      } else if (streaming && isGrowthOf(prev.value, value)) {
        // Growth: append only the new tail (read-only, so the model still equals prev.value).
        const tail = value.slice(prev.value.length);
        if (tail) {
          const end = model.getFullModelRange().getEndPosition();
          model.applyEdits([{ range: new monaco.Range(end.lineNumber, end.column, end.lineNumber, end.column), text: tail }]);
          savedVersion.current = model.getAlternativeVersionId();
          editor.revealLine(model.getLineCount());
        }
      } else if (value !== prev.value && model.getAlternativeVersionId() === savedVersion.current) {
        // New content from disk and no local edits: replace, keep the scroll position.
        if (model.getValue() !== value) {
          const state = editor.saveViewState();
          model.setValue(value);
          if (state) editor.restoreViewState(state);
        }
        savedVersion.current = model.getAlternativeVersionId();
      }
      applied.current = { docId, value };
    } finally {
      programmatic.current = false;
    }
    // onDirtyChange comes from latest props; only the document inputs drive this effect.
  }, [docId, value, streaming, path]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly });
  }, [readOnly]);

  return <div className="monaco-host" ref={host} data-testid="editor" data-path={path} data-streaming={streaming ? 'true' : 'false'} />;
}
