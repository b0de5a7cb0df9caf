// Code with no path at all must not be left in the chat: when an answer has code blocks but names
// no file, each code block gets a name from its language and content (deterministic, no model call):
// python with `def main` / `if __name__` → main.py, a class → its file, html → index.html, a
// package.json-shaped object → package.json, else snippet-N.<ext>. Shell commands, their output,
// diffs and plain text are never files. Runs once over the finished answer (linear in its length).

import type { FileOp } from './extractor-ops.js';
import { infoLanguage, isClosingFence, parseFence } from './extractor-syntax.js';
import { normalizeWorkspacePath } from './paths.js';

export type NamedBlock = { path: string; content: string };

const NOT_FILES = new Set([
  'bash', 'sh', 'shell', 'zsh', 'fish', 'console', 'terminal', 'shellsession', 'powershell', 'ps', 'pwsh', 'cmd', 'bat', 'batch',
  'text', 'txt', 'plaintext', 'plain', 'output', 'log', 'diff', 'patch', 'udiff', 'mermaid', 'math', 'latex', 'tex',
]);

// Language (info word) → extension.
const EXT: Record<string, string> = {
  python: 'py', py: 'py', python3: 'py', javascript: 'js', js: 'js', node: 'js', mjs: 'mjs', jsx: 'jsx', typescript: 'ts', ts: 'ts',
  tsx: 'tsx', html: 'html', htm: 'html', css: 'css', scss: 'scss', json: 'json', yaml: 'yml', yml: 'yml', toml: 'toml', rust: 'rs',
  rs: 'rs', go: 'go', golang: 'go', java: 'java', kotlin: 'kt', kt: 'kt', swift: 'swift', c: 'c', cpp: 'cpp', 'c++': 'cpp', cc: 'cpp',
  csharp: 'cs', cs: 'cs', 'c#': 'cs', ruby: 'rb', rb: 'rb', php: 'php', sql: 'sql', lua: 'lua', r: 'r', dart: 'dart', scala: 'scala',
  markdown: 'md', md: 'md', xml: 'xml', svg: 'svg', vue: 'vue', svelte: 'svelte', dockerfile: 'dockerfile', makefile: 'makefile',
  ini: 'ini', graphql: 'graphql', proto: 'proto', perl: 'pl', haskell: 'hs', elixir: 'ex', zig: 'zig',
};

type Block = { lang: string; content: string };

/** Top-level fenced blocks of an answer, in order (nested fences stay inside their block). */
function fencedBlocks(answer: string): Block[] {
  const lines = answer.split(/\r?\n/);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const f = parseFence(lines[i]);
    if (f === null) continue;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !isClosingFence(lines[j], f.char, f.len)) body.push(lines[j++]);
    if (j < lines.length) blocks.push({ lang: infoLanguage(f.info), content: body.join('\n') + '\n' }); // a cut-off block is not named
    i = j;
  }
  return blocks;
}

/** The language of a block with no (or an unknown) info string, from its content; null = not code. */
function guessLanguage(c: string): string | null {
  const t = c.trimStart();
  if (/^<!DOCTYPE html|^<html[\s>]/i.test(t)) return 'html';
  if (/^(?:[{[])/.test(t)) return jsonShaped(t) ? 'json' : null;
  if (/^#include\s*</m.test(c)) return /\bstd::|\bcout\b|\bclass\b/.test(c) ? 'cpp' : 'c';
  if (/^package main\b/m.test(c)) return 'go';
  if (/^fn main\s*\(/m.test(c)) return 'rust';
  if (/^(?:def |class |import |from \S+ import )/m.test(c) && /:\s*$/m.test(c)) return 'python';
  if (/^(?:import |export |const |let |function |class )/m.test(c) && /[;{}]/.test(c)) return 'javascript';
  return null;
}

/** The parsed value, or undefined when `t` is not JSON (JSON.parse never returns undefined). */
function parseJson(t: string): unknown {
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

const jsonShaped = (t: string) => parseJson(t) !== undefined;

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** A name for one block, or null when it is not a file (a command, output, a printed tool call). */
function nameFor(b: Block, html: string | null): { base: string | null; ext: string } | null {
  let lang = b.lang;
  if (NOT_FILES.has(lang)) return null;
  const c = b.content;
  if (/^\s*(?:\$ |>>> |PS [A-Z]:\\)/.test(c)) return null; // a session, not a file
  if (!(lang in EXT)) {
    const guessed = guessLanguage(c);
    if (guessed === null) return null;
    lang = guessed;
  }
  const ext = EXT[lang];
  const cls = (re: RegExp) => re.exec(c)?.[1] ?? null;
  switch (ext) {
    case 'py':
      if (/^if __name__ == ['"]__main__['"]/m.test(c) || /^def main\s*\(/m.test(c)) return { base: 'main', ext };
      {
        const name = cls(/^class ([A-Za-z_]\w*)/m);
        return { base: name ? snake(name) : null, ext };
      }
    case 'java': case 'kt': case 'cs': case 'swift': case 'scala': case 'dart':
      return { base: cls(/^\s*(?:public\s+|internal\s+|final\s+|abstract\s+|data\s+)*(?:class|interface|enum|object|struct)\s+([A-Za-z_]\w*)/m), ext };
    case 'js': case 'mjs': case 'jsx': case 'ts': case 'tsx': {
      const fromHtml = linkedPath(html && /<script[^>]*\bsrc=["']([\w./-]+\.(?:m?js|ts))["']/i.exec(html)?.[1]);
      const named = cls(/^export default (?:async )?(?:function|class) ([A-Za-z_$][\w$]*)/m) ?? cls(/^(?:export )?class ([A-Za-z_$][\w$]*)/m);
      if (named) return { base: named, ext };
      if (fromHtml) return { base: fromHtml.replace(/\.[^.]+$/, ''), ext: fromHtml.slice(fromHtml.lastIndexOf('.') + 1) };
      return { base: null, ext };
    }
    case 'html':
      return { base: 'index', ext };
    case 'css': case 'scss': {
      const href = linkedPath(html && /<link[^>]*\bhref=["']([\w./-]+\.s?css)["']/i.exec(html)?.[1]);
      return href ? { base: href.replace(/\.s?css$/, ''), ext } : { base: 'style', ext };
    }
    case 'json': {
      const v = parseJson(c); // parsed once: a block can be megabytes
      if (v === undefined) return { base: null, ext };
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        if ('name' in o && ('arguments' in o || 'parameters' in o)) return null; // a printed tool call, not a file
        if ('name' in o && ('dependencies' in o || 'devDependencies' in o || 'scripts' in o || 'version' in o)) return { base: 'package', ext };
        if ('compilerOptions' in o) return { base: 'tsconfig', ext };
      }
      return { base: null, ext };
    }
    case 'go': return { base: /^package main\b/m.test(c) ? 'main' : null, ext };
    case 'rs': return { base: /^fn main\s*\(/m.test(c) ? 'main' : null, ext };
    case 'c': case 'cpp': return { base: /\bint main\s*\(/.test(c) ? 'main' : null, ext };
    case 'md': return { base: 'README', ext };
    case 'yml': return { base: /^services:/m.test(c) ? 'docker-compose' : null, ext };
    case 'toml': return { base: /^\[package\]/m.test(c) ? 'Cargo' : /^\[(?:project|tool\.poetry)\]/m.test(c) ? 'pyproject' : null, ext };
    case 'dockerfile': return { base: 'Dockerfile', ext: '' };
    case 'makefile': return { base: 'Makefile', ext: '' };
    default: return { base: null, ext };
  }
}

/** A path the page links to, as a workspace path; null when it would leave the project (`../x.css`, `/x.js`). */
function linkedPath(p: string | null | undefined): string | null {
  if (!p) return null;
  const r = normalizeWorkspacePath(p, { modelOutput: true });
  return r.ok ? r.path : null;
}

/**
 * Names for the code blocks of an answer that named no file (empty when it has no code).
 * `existing`: paths already in the project; a name is never one of them nor used twice, so a
 * block never silently replaces another one (`main.py`, then `main-2.py`, …).
 */
export function nameCodeBlocks(answer: string, existing: ReadonlySet<string> = new Set()): NamedBlock[] {
  const blocks = fencedBlocks(answer);
  const html = blocks.find((b) => b.lang === 'html' || /^\s*<!DOCTYPE html/i.test(b.content))?.content ?? null;
  const taken = new Set<string>();
  // Next suffix to try per name: each name's suffixes are tried once in all (linear for 100k `main.py`).
  const nextSuffix = new Map<string, number>();
  const free = (p: string) => !taken.has(p) && !existing.has(p);
  const unique = (base: string, dot: string): string => {
    const key = base + dot;
    let k = nextSuffix.get(key) ?? 1;
    let path = k === 1 ? key : `${base}-${k}${dot}`;
    while (!free(path)) path = `${base}-${++k}${dot}`;
    nextSuffix.set(key, k + 1);
    return path;
  };
  const out: NamedBlock[] = [];
  let snippet = 0;
  for (const b of blocks) {
    const n = nameFor(b, html);
    if (n === null) continue;
    const dot = n.ext ? `.${n.ext}` : '';
    let path: string;
    if (n.base === null) {
      do path = `snippet-${++snippet}${dot}`;
      while (!free(path));
    } else path = unique(n.base, dot);
    taken.add(path);
    out.push({ path, content: b.content });
  }
  return out;
}

/** The file ops that write named blocks (the same ops the extractor emits, so the same sink writes them). */
export function namedBlockOps(blocks: readonly NamedBlock[]): FileOp[] {
  return blocks.flatMap((b): FileOp[] => [
    { kind: 'open', path: b.path },
    ...(b.content ? [{ kind: 'chunk' as const, path: b.path, text: b.content }] : []),
    { kind: 'close', path: b.path, truncated: false },
  ]);
}

/** What to tell the user about named blocks. */
export function describeNamedBlocks(blocks: readonly NamedBlock[]): string {
  const names = blocks.map((b) => b.path).join(', ');
  return `The answer named no file for its code, so ${blocks.length === 1 ? 'its code block was' : `its ${blocks.length} code blocks were`} saved as ${names} (names chosen from each block's language and content).`;
}
