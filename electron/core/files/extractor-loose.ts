// Loose file markers: the ways local models name a file when they were trained on other tools'
// formats rather than on ours. Like extractor-syntax.ts, every function looks at ONE line.

import { BACKTICK, KNOWN_NAMES, looksLikeCommentPath, type Label } from './extractor-syntax.js';

/** A single token that can only be a file name: a slash, a dotfile, a code extension or a known name. */
function isFileToken(t: string): boolean {
  return t.length > 0 && t.length <= 1024 && (looksLikeCommentPath(t) || KNOWN_NAMES.test(t));
}

/**
 * A path alone on its line (Aider's whole-file format: `src/app.py` then the fence), or alone in
 * square brackets (`[src/app.py]`). Brackets inside a path stay (`pages/posts/[id].jsx`).
 */
export function parseBareLabel(line: string): Label | null {
  let t = line.trim();
  if (t.length < 2 || t.length > 1026) return null;
  const bracketed = t.charCodeAt(0) === 91 /* [ */ && t.charCodeAt(t.length - 1) === 93; /* ] */
  if (bracketed) t = t.slice(1, -1).trim();
  else if (t.endsWith(':')) t = t.slice(0, -1); // "main.py:" then the fence
  if (/[\s`*#<>]/.test(t) || /^[-+]/.test(t)) return null;
  if (!isFileToken(t)) return null;
  // A bracketed path may stand across blank lines like a bold one; a bare one must touch its fence.
  return bracketed ? { path: t, weak: true } : { path: t, weak: true, adjacent: true };
}

/** A block's only line is a file name: the block names the next fence (```plaintext\nsrc/x.py\n```). */
export function parseNameLine(line: string): string | null {
  const t = line.trim();
  if (/[\s`*#<>]/.test(t) || /^[-+[]/.test(t)) return null;
  return isFileToken(t) ? t : null;
}

// A sentence that introduces part of a file ("In your `package.json`, add:") is not naming the whole file.
const PARTIAL_EDIT = /\b(?:add|adding|insert|inserting|append|appending|snippet|excerpt|fragment|portion|part of|section of|following lines?|these lines|this line|in your|inside your|to include)\b/i;

/**
 * A prose line that names exactly one file in backticks, anywhere in it: "Here's the updated
 * `src/settings.py`:", "Here is the implementation for `matops.py` as requested:". Other backticked
 * words (`heapq`, `npm test`) do not count; two different files name none. One pass over the line.
 */
export function parseProseLabel(line: string): Label | null {
  if (line.length > 4096 || PARTIAL_EDIT.test(line)) return null;
  let found: string | null = null;
  let i = line.indexOf('`');
  while (i >= 0) {
    let j = i + 1;
    while (j < line.length && line.charCodeAt(j) === BACKTICK) j++;
    const ticks = j - i;
    const close = line.indexOf('`'.repeat(ticks), j);
    if (close < 0) return found === null ? null : { path: found, weak: true };
    const token = line.slice(j, close).trim();
    if (isFileToken(token)) {
      if (found !== null && found !== token) return null;
      found = token;
    }
    i = line.indexOf('`', close + ticks);
  }
  return found === null ? null : { path: found, weak: true };
}

/** First line of a block that makes it a diff or a shell session rather than the labelled file. */
export function startsDiffOrShell(line: string): boolean {
  return /^(?:diff --git |--- \S|\+\+\+ \S|@@ -\d|\$ |> \$ |PS [A-Z]:\\[^>]*> )/.test(line.trimStart());
}
