// Monaco, bundled locally (no CDN): the core editor + the editor contributions
// (find, folding, …) + Monarch tokenizers for common languages. No language-service
// workers (TS/JSON/CSS/HTML) to keep the bundle lean; only the base editor worker.
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/editor/editor.all.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import { confirmLinkOutsideReact } from '../components/confirm-link-outside-react.js';
import { themeStore } from '../store/theme.js';

import 'monaco-editor/esm/vs/basic-languages/python/python.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/javascript/javascript.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/typescript/typescript.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/markdown/markdown.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/html/html.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/css/css.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/scss/scss.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/less/less.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/shell/shell.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/go/go.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/rust/rust.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/java/java.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/kotlin/kotlin.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/sql/sql.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/xml/xml.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/cpp/cpp.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/csharp/csharp.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/ruby/ruby.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/php/php.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/swift/swift.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/lua/lua.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/r/r.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/powershell/powershell.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/bat/bat.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/dockerfile/dockerfile.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/ini/ini.contribution.js';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

// Ctrl+click on a URL in a generated file must not open it unasked (in the browser host
// Monaco would window.open it): every link asks first, like links in chat answers.
// Returning true tells Monaco the link was handled, so it never opens one by itself.
monaco.editor.registerLinkOpener({
  open(resource) {
    confirmLinkOutsideReact(resource.toString(true));
    return true;
  },
});

// Disposing an editor cancels its pending work with a "Canceled" rejection nobody awaits
// (React StrictMode mounts twice in dev; switching files quickly does it too). It is not an error.
window.addEventListener('unhandledrejection', (e) => {
  const reason: unknown = e.reason;
  if (reason instanceof Error && reason.name === 'Canceled' && reason.message === 'Canceled') e.preventDefault();
});

// JSON's full language service needs its own worker; a small Monarch grammar is enough
// for highlighting.
monaco.languages.register({ id: 'json', extensions: ['.json', '.jsonc'], aliases: ['JSON'] });
monaco.languages.setMonarchTokensProvider('json', {
  tokenizer: {
    root: [
      [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'type'],
      [/"(?:[^"\\]|\\.)*"/, 'string'],
      [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
      [/\b(?:true|false|null)\b/, 'keyword'],
      [/\/\/.*$/, 'comment'],
      [/[{}[\],:]/, 'delimiter'],
    ],
  },
});

monaco.editor.defineTheme('macs-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#16181d',
    'editor.lineHighlightBackground': '#1f232b',
    'editorGutter.background': '#16181d',
    'editorLineNumber.foreground': '#4b5263',
    'editorLineNumber.activeForeground': '#9aa4b5',
    'editor.selectionBackground': '#2d3f5f',
    'scrollbarSlider.background': '#ffffff1a',
  },
});

monaco.editor.defineTheme('macs-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#ffffff',
    'editor.lineHighlightBackground': '#f3f5f8',
    'editorGutter.background': '#ffffff',
    'editorLineNumber.foreground': '#a3aab5',
    'editorLineNumber.activeForeground': '#4b5263',
    'editor.selectionBackground': '#cfe0ff',
    'scrollbarSlider.background': '#0000001a',
  },
});

/** The Monaco theme matching the app's (an editor created now must not reset the global theme to dark). */
export function monacoTheme(): string {
  return themeStore.getState().resolved === 'light' ? 'macs-light' : 'macs-dark';
}
// Monaco's theme is global: switching it restyles every open editor at once.
themeStore.subscribe(() => monaco.editor.setTheme(monacoTheme()));

export { monaco };
