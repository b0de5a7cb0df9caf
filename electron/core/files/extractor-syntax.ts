// Line-level recognisers used by the incremental extractor. Every function here looks at ONE
// line (newline and trailing CR already removed), never at the whole answer, so the extractor
// stays linear. Kept separate so the state machine in extractor.ts stays readable.

export const BACKTICK = 96;
export const TILDE = 126;
export const SPACE = 32;
export const TAB = 9;

export type Fence = { char: number; len: number; indent: number; info: string };

/** An opening fence: up to 3 spaces, 3+ backticks or tildes, then an info string. */
export function parseFence(line: string): Fence | null {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === SPACE) i++;
  const c = line.charCodeAt(i);
  if (c !== BACKTICK && c !== TILDE) return null;
  let j = i + 1;
  while (line.charCodeAt(j) === c) j++;
  const len = j - i;
  if (len < 3) return null;
  const info = line.slice(j).trim();
  // CommonMark: a backtick fence's info string cannot contain a backtick (`` ```js `x` `` is inline code).
  if (c === BACKTICK && info.includes('`')) return null;
  return { char: c, len, indent: i, info };
}

/** A closing fence for a block opened with `len` × `char`: same char, at least as long, only blanks after. */
export function isClosingFence(line: string, char: number, len: number): boolean {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === SPACE) i++;
  let j = i;
  while (line.charCodeAt(j) === char) j++;
  if (j - i < len) return false;
  for (let k = j; k < line.length; k++) {
    const d = line.charCodeAt(k);
    if (d !== SPACE && d !== TAB) return false;
  }
  return true;
}

// Characters that never appear in a path a model means (globs, quotes, markup, assignments).
const PATH_CHARS = /^[^\s"'`<>|*?{}=,;]+$/;
const EXTENSION_CHARS = /^[A-Za-z0-9_-]+$/;
const HAS_LETTER = /[A-Za-z_]/;

/** A dot extension with at least one letter: `app.py`, `.gitignore`; not `v1.2`, `e.g.` (linear, no backtracking). */
function hasExtension(t: string): boolean {
  const dot = t.lastIndexOf('.');
  if (dot < 0) return false;
  const ext = t.slice(dot + 1);
  return EXTENSION_CHARS.test(ext) && HAS_LETTER.test(ext);
}
export const KNOWN_NAMES =
  /^(?:Makefile|GNUmakefile|Dockerfile|Containerfile|Procfile|Gemfile|Rakefile|Jenkinsfile|Vagrantfile|Justfile|Brewfile|LICENSE|README|CHANGELOG|CODEOWNERS)$/;
// Extensions accepted for a bare first-line comment path without a slash (`// app.ts`), so that
// `// window.onload` or `# self.value` are not taken for file names.
const CODE_EXTENSIONS = new Set(
  (
    'py pyi ipynb js mjs cjs jsx ts mts cts tsx json jsonc json5 html htm css scss sass less md mdx markdown rst txt ' +
    'yml yaml toml ini cfg conf properties sql sh bash zsh fish ps1 psm1 bat cmd go mod sum rs java kt kts swift c h cpp cxx cc hpp hh ' +
    'cs fs vb rb erb php pl pm lua r dart scala sc groovy gradle vue svelte astro xml xsd xsl svg proto graphql gql tf hcl ' +
    'ex exs erl hrl hs ml mli clj cljs edn vim el jl nim zig m mm prisma csv tsv lock cmake mk dockerfile tex bib ' +
    'j2 jinja jinja2 hbs ejs pug twig liquid mustache nix tpl sol wasm wat asm s ipynb'
  ).split(' '),
);

/** Does this token look like a file path (a slash, a backslash or a dot extension)? */
export function looksLikePath(t: string): boolean {
  if (t.length === 0 || t.length > 1024) return false;
  if (!PATH_CHARS.test(t) || t.includes('://')) return false;
  return t.includes('/') || t.includes('\\') || hasExtension(t);
}

/** Stricter check for weak signals (a path comment on a block's first line, a bare path line): a slash, a dotfile or a code extension. */
export function looksLikeCommentPath(t: string): boolean {
  if (!looksLikePath(t)) return false;
  if (t.includes('/') || t.includes('\\')) return true;
  if (/^\.[A-Za-z][\w.-]*$/.test(t)) return true; // dotfiles: .env, .gitignore, .eslintrc.json
  const dot = t.lastIndexOf('.');
  return CODE_EXTENSIONS.has(t.slice(dot + 1).toLowerCase());
}

/**
 * A path that names the next fence. `weak` labels (a path alone in bold/backticks/heading/prose/brackets)
 * give way before a shell or diff block naming another kind of file, and the block's first line is
 * checked before the file opens (a diff or a shell session introduced the same way is not the file).
 * `adjacent` labels (a bare path line, Aider's whole-file format) apply only to a fence on the very next line.
 */
export type Label = { path: string; weak: boolean; adjacent?: boolean };

const HEADING = /^#{1,6}[ \t]+/;
const LIST_MARKER = /^(?:[-+]|\*(?!\*)|\d{1,3}[.)])[ \t]+/;
const KEYWORD = /^(?:\*\*)?(?:file[ \t]*name|file[ \t]*path|file|path)[ \t]*(?::[ \t]*(?:\*\*)?|\*\*[ \t]*:)[ \t]*/i;
const LEAD_WRAPPERS = /^[*`"']+/;
const TRAILING_WRAPPERS = /[*`"':]+$/;
const ONLY_WRAPPERS = /^[*`"':\s]*$/;
const KEYWORD_TAIL = /^(?:[*`"':\s]*$|[*`"':]*\s*[(\-–—])/; // allow "File: a.py (new)" / "File: a.py - entry"

/**
 * A line that names the file of the NEXT fenced block:
 * `File: p`, `**File:** p`, `File: \`p\``, `Filename:`, `Path:`, `## File: p` (strong), or a path alone
 * in bold/backticks/heading: `**p**`, `` `p` ``, `**\`p\`**`, `### p`, optionally followed by ':' (weak).
 */
export function parseLabel(line: string): Label | null {
  let s = line.trim();
  if (s.length === 0 || s.length > 1100) return null;
  const c0 = s.charCodeAt(0);
  // Fast reject: labels start with # * ` - + a digit, or F/f/P/p (File:, Path:).
  if (!(c0 === 35 || c0 === 42 || c0 === 96 || c0 === 45 || c0 === 43 || (c0 >= 48 && c0 <= 57) || c0 === 70 || c0 === 102 || c0 === 80 || c0 === 112)) {
    return null;
  }
  let heading = false;
  const h = HEADING.exec(s);
  if (h) {
    heading = true;
    s = s.slice(h[0].length);
  }
  const l = LIST_MARKER.exec(s);
  if (l) s = s.slice(l[0].length);

  const kw = KEYWORD.exec(s);
  if (kw) {
    const tok = takeToken(s.slice(kw[0].length));
    if (tok === null || !KEYWORD_TAIL.test(tok.tail)) return null;
    if (tok.quoted ? tok.path.trim() === '' : !(looksLikePath(tok.path) || KNOWN_NAMES.test(tok.path))) return null;
    return { path: tok.path.trim(), weak: false };
  }
  const tok = takeToken(s);
  if (tok === null || !ONLY_WRAPPERS.test(tok.tail)) return null;
  if (!tok.wrapped && !heading) return null; // a bare `src/a.py` prose line is not a label
  if (/\s/.test(tok.path)) return null;
  if (!(looksLikePath(tok.path) || KNOWN_NAMES.test(tok.path))) return null;
  return { path: tok.path, weak: true };
}

/** Take a path token off the front of `s`, unwrapping ** / ` / quotes; returns what follows as tail. */
function takeToken(s: string): { path: string; tail: string; wrapped: boolean; quoted: boolean } | null {
  const lead = LEAD_WRAPPERS.exec(s);
  const leadText = lead ? lead[0] : '';
  const rest = s.slice(leadText.length);
  const wrapped = leadText.includes('*') || leadText.includes('`');
  if (leadText.includes('`')) {
    const close = rest.indexOf('`');
    if (close <= 0) return null;
    return { path: rest.slice(0, close), tail: rest.slice(close + 1), wrapped, quoted: true };
  }
  const ws = rest.search(/\s/);
  const raw = ws < 0 ? rest : rest.slice(0, ws);
  const path = raw.replace(TRAILING_WRAPPERS, '');
  if (path.length === 0) return null;
  return { path, tail: raw.slice(path.length) + (ws < 0 ? '' : rest.slice(ws)), wrapped, quoted: false };
}

const INFO_ATTR = /(?:^|[\s{,])(?:title|file(?:name)?|path|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s,}]+))/i;
const LANG = /^[\w+#.-]+$/;

/** A path in a fence info string: `python src/a.py`, `ts:src/a.ts`, `src/a.py`, `title="a.py"`, `file=a.py`. */
export function parseInfoPath(info: string): string | null {
  if (info.length === 0) return null;
  const attr = INFO_ATTR.exec(info);
  if (attr) return attr[1] ?? attr[2] ?? attr[3] ?? null;
  const tokens = info.split(/\s+/);
  if (tokens.length === 1) {
    const t = tokens[0];
    if (/^[A-Za-z]:[\\/]/.test(t)) return t; // a drive-letter path, refused later
    const colon = t.indexOf(':');
    if (colon > 0 && LANG.test(t.slice(0, colon))) {
      const p = t.slice(colon + 1);
      return looksLikePath(p) ? p : null;
    }
    return looksLikePath(t) ? t : null;
  }
  if (tokens.length === 2 && LANG.test(tokens[0]) && looksLikePath(tokens[1])) return tokens[1];
  return null;
}

/** The language word of an info string (`ts:src/a.ts` → `ts`), lower-cased. */
export function infoLanguage(info: string): string {
  const m = /^[^\s:{]*/.exec(info);
  return m ? m[0].toLowerCase() : '';
}

const COMMENT_KEYWORD = /^(?:file[ \t]*name|file[ \t]*path|file|path)[ \t]*:[ \t]*/i;

/**
 * A first line of a block that is only a path comment: `# src/a.py`, `// a.ts`, `-- x.sql`,
 * `<!-- index.html -->`, `/* styles.css *\/`, `# file: x.py`. Real comments (with spaces) are not paths.
 */
export function parseCommentPath(line: string): string | null {
  const s = line.trim();
  let body: string;
  const c0 = s.charCodeAt(0);
  if (c0 === 60 /* < */) {
    if (!s.startsWith('<!--') || !s.endsWith('-->') || s.length < 7) return null;
    body = s.slice(4, -3);
  } else if (c0 === 47 /* / */) {
    if (s.startsWith('/*')) {
      if (!s.endsWith('*/') || s.length < 4) return null;
      body = s.slice(2, -2);
    } else if (s.startsWith('//')) {
      body = s.slice(2);
      if (!/^\s/.test(body)) return null;
    } else return null;
  } else if (c0 === 45 /* - */) {
    if (!s.startsWith('--')) return null;
    body = s.slice(2);
    if (!/^\s/.test(body)) return null;
  } else if (c0 === 35 /* # */) {
    body = s.slice(1);
    if (!/^\s/.test(body)) return null; // not `#!/bin/sh`, `#include`, `## heading`
  } else return null;
  body = body.trim();
  const kw = COMMENT_KEYWORD.exec(body);
  if (kw) body = body.slice(kw[0].length);
  if (body.length === 0 || /\s/.test(body)) return null;
  if (kw) return PATH_CHARS.test(body) && !body.includes('://') ? body : null;
  return looksLikeCommentPath(body) ? body : null;
}

const SHELL_LANGS = new Set([
  'bash', 'sh', 'shell', 'zsh', 'fish', 'console', 'terminal', 'shellsession', 'powershell', 'ps', 'pwsh', 'cmd', 'bat', 'batch',
]);
const SHELL_FILE = /(?:\.(?:sh|bash|zsh|fish|ps1|psm1|bat|cmd|command)|^\.[^/\\]*|[/\\]\.[^/\\]*)$/i;

/**
 * A weak label (bold/backtick/heading path) right before a shell block is usually prose like
 * "**main.py**:" followed by the command that runs it, not the file's content.
 */
export function weakLabelMismatch(path: string, info: string): boolean {
  const lang = infoLanguage(info);
  if (DIFF_LANGS.has(lang)) return !/\.(?:diff|patch)$/i.test(path); // a diff of the file, not the file
  if (!SHELL_LANGS.has(lang)) return false;
  return !SHELL_FILE.test(path);
}
const DIFF_LANGS = new Set(['diff', 'patch', 'udiff']);

const MARKDOWN_LANGS = new Set(['md', 'markdown', 'mdx', 'gfm']);

/** Inside markdown files, a ``` with an info string opens an inner block (models nest same-length fences). */
export function isMarkdownBlock(info: string, path: string | null): boolean {
  if (MARKDOWN_LANGS.has(infoLanguage(info))) return true;
  return path !== null && /\.(?:md|markdown|mdx)$/i.test(path);
}
