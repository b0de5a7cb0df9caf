// File tags: our own `<file path>` and the agent formats local models were trained on:
//   bolt    <boltAction type="file" filePath="p"> … </boltAction>   (only type="file" makes a file)
//   Dyad    <dyad-write path="p" description="…"> … </dyad-write>
//   Lovable <lov-write file_path="p"> … </lov-write>
//   Cline   <write_to_file> <path>p</path> <content> … </content> </write_to_file>
//   qwen3-coder's XML tool call leaking into text (the format Ollama's model/parsers/qwen3coder.go
//   parses): <function=write_file> <parameter=path> p </parameter> <parameter=content> … </parameter> </function>
// Tags are recognised on one line (after optional indentation). Models sometimes write `< boltAction`
// and `</ boltAction>` (with a space), and put the first content on the opening line or the closing
// tag at the end of the last content line; both are accepted for the agent tags.

export type TagOpen = {
  /** Raw path, or null: a tag whose body is not a file (a bolt shell action). */
  path: string | null;
  /** Lower-case name of the closing tag. */
  close: string;
  /** The closing tag may end a content line (agent tags), not only stand alone (`<file>`). */
  loose: boolean;
  /** Text after the opening tag on the same line ('' if none). */
  rest: string;
};

const OPEN = /^\s*<\s*(file|boltaction|dyad-write|lov-write)((?:\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))*)\s*\/?\s*>(.*)$/i;
const BOLT_ARTIFACT_OPEN = /^\s*<\s*boltArtifact\b[^<>]*>(?=\s*<\s*boltAction\b)/i;
const ATTR = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/g;
// The attribute each format documents, and the ones models write instead (deepseek-coder:6.7b wrote
// `<dyad-write file="src/app/page.tsx">`, which Dyad itself rejects: github.com/dyad-sh/dyad/issues/1039).
const PATH_ATTR: Record<string, RegExp> = {
  file: /^(?:path|name|filename)$/i,
  boltaction: /^(?:filepath|file_path|path|file)$/i,
  'dyad-write': /^(?:path|file|file_path|filepath)$/i,
  'lov-write': /^(?:file_path|filepath|path|file)$/i,
};

/** An opening file tag on this line, or null. */
export function parseTagOpen(line: string): TagOpen | null {
  if (line.length > 4096) return null; // keeps the regex's backtracking bounded
  // bolt: `<boltArtifact id=… title=…><boltAction …>` on one line; the artifact is only a wrapper.
  const m = OPEN.exec(line.replace(BOLT_ARTIFACT_OPEN, ''));
  if (!m) return null;
  const name = m[1].toLowerCase();
  const attrs = new Map<string, string>();
  for (const a of m[2].matchAll(ATTR)) attrs.set(a[1].toLowerCase(), a[2] ?? a[3] ?? a[4] ?? '');
  let path: string | null = null;
  for (const [k, v] of attrs) if (PATH_ATTR[name].test(k)) path = v;
  if (name === 'boltaction') {
    if ((attrs.get('type') ?? '').toLowerCase() !== 'file') path = null; // shell/start actions run, they are not files
  } else if (path === null) return null;
  if (name === 'file' && m[3].trim() !== '') return null; // our own format: the tag stands alone
  return { path, close: name, loose: name !== 'file', rest: m[3] };
}

/**
 * A write call whose path and content follow in their own tags: Cline's `<write_to_file>`, or
 * qwen3-coder's `<function=write_file>` (also `write`, `create_file`). Returns the content's closing tag.
 */
export function parseWriteCallOpen(line: string): 'content' | 'parameter' | null {
  if (/^\s*<\s*write_to_file\s*>\s*$/i.test(line)) return 'content';
  if (/^\s*<function=(?:write|write_file|write_to_file|create_file|create)>\s*$/i.test(line)) return 'parameter';
  return null;
}

export function isWriteCallClose(line: string): boolean {
  return /^\s*<\/\s*(?:write_to_file|function)\s*>\s*$/i.test(line);
}

/** `<path>p</path>` / `<parameter=path>p</parameter>` → p; `<parameter=path>` alone → '' (the path is on the next line). */
export function parseWriteCallPath(line: string): string | null {
  const m = /^\s*<(?:path|parameter=(?:path|file_?path|filepath|file_?name))>([^<]*)(<\/(?:path|parameter)>)?\s*$/i.exec(line);
  if (!m) return null;
  return m[2] === undefined && m[1].trim() !== '' ? null : m[1].trim();
}

/** `<content>` / `<parameter=content>` line; returns what follows the tag on that line, or null. */
export function parseWriteCallContent(line: string): string | null {
  const m = /^\s*<(?:content|parameter=(?:content|contents|file_?text))>(.*)$/i.exec(line);
  return m ? m[1] : null;
}

/**
 * Does this line close a tag body? Returns the length of the content before the closing tag
 * (0 for a line that is only the tag), or -1. Strict tags must stand alone on the line.
 */
export function tagCloseAt(line: string, close: string, loose: boolean): number {
  // Only spaces and tabs around the tag: a non-breaking space makes the line content, as in CommonMark.
  let end = line.replace(/[ \t]+$/, '');
  // bolt: `</boltAction></boltArtifact>` closes the action (the artifact wrapper is dropped).
  if (close === 'boltaction') end = end.replace(/<[ \t]*\/[ \t]*boltArtifact[ \t]*>$/i, '').replace(/[ \t]+$/, '');
  const lt = end.lastIndexOf('<');
  if (lt < 0) return -1;
  const m = /^<[ \t]*\/[ \t]*([\w-]+)[ \t]*>$/.exec(end.slice(lt));
  if (!m || m[1].toLowerCase() !== close) return -1;
  const before = end.slice(0, lt);
  if (/^[ \t]*$/.test(before)) return 0;
  return loose ? before.length : -1;
}
