// Split markdown into top-level blocks so a streaming answer re-renders only its last,
// growing block; finished blocks keep the same string and their memoised React subtree.
// Cuts at blank lines outside code fences, right before a fence that starts at column 0
// (a fence interrupts a paragraph anyway) and right after one closes, so every code block
// is its own block; and around a "File: path" line, so a path is never parsed as markdown
// (`__init__` must not turn into a bold "init"). Linear in the text.

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
// "File: path" (the default prompt format), also as "**File:** `path`" or "File: `path`".
const FILE_LINE = /^(?:\*\*|__)?File:(?:\*\*|__)?\s*(\S.*)$/;

export interface MarkdownBlocks {
  blocks: string[];
  /** The last block is a code fence that has not been closed yet (still streaming). */
  lastIsOpenFence: boolean;
}

/** The path of a "File: path" line, cleaned of backticks, bold and "./"; null for other lines. */
export function fileLinePath(line: string): string | null {
  const m = FILE_LINE.exec(line.trim());
  if (!m) return null;
  const path = m[1]
    .trim()
    .replace(/^(\*\*|__)|(\*\*|__)$/g, '')
    .replace(/^`+|`+$/g, '')
    .replace(/^\.\//, '')
    .trim();
  return path.length > 0 && !/\s/.test(path) ? path : null;
}

export function splitMarkdownBlocks(text: string): MarkdownBlocks {
  const blocks: string[] = [];
  let fence: { char: string; len: number } | null = null;
  let fenceStart = -1;
  let start = 0;
  let pos = 0;
  let prevBlank = false;
  // The previous line was a File: line or a closing fence: whatever follows starts a block.
  let cutAfter = false;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(pos, end);
    const blank = line.trim() === '';
    const m = FENCE.exec(line);
    const opensFence = fence === null && m !== null && !(m[1][0] === '`' && m[2].includes('`'));
    const fileLine = fence === null && !/^\s/.test(line) && fileLinePath(line) !== null;
    // Indented lines continue list items or indented code, so they stay with their block.
    const cut = fence === null && pos > start && !blank && (cutAfter || fileLine || (!/^\s/.test(line) && (prevBlank || opensFence)));
    if (cut) {
      blocks.push(text.slice(start, pos));
      start = pos;
    }
    if (!blank) cutAfter = false;
    if (fence) {
      if (m && m[1][0] === fence.char && m[1].length >= fence.len && m[2].trim() === '') {
        fence = null;
        cutAfter = true;
      }
    } else if (opensFence && m) {
      fence = { char: m[1][0], len: m[1].length };
      fenceStart = start;
    } else if (fileLine) cutAfter = true;
    prevBlank = blank && fence === null;
    if (nl < 0) break;
    pos = nl + 1;
  }
  if (start < text.length) blocks.push(text.slice(start));
  return { blocks, lastIsOpenFence: fence !== null && fenceStart === start };
}

export interface Fence {
  /** The info string's first word ("python"), or "". */
  lang: string;
  /** The code, without the fence lines. */
  body: string;
  /** The closing fence arrived. Only an unclosed fence is "cut off". */
  closed: boolean;
}

/** A block that is one code fence (from splitMarkdownBlocks), or null for other blocks. */
export function parseFence(block: string): Fence | null {
  const nl = block.indexOf('\n');
  const first = nl < 0 ? block : block.slice(0, nl);
  const open = FENCE.exec(first);
  if (!open || (open[1][0] === '`' && open[2].includes('`'))) return null;
  const lang = open[2].trim().split(/\s+/)[0] ?? '';
  if (nl < 0) return { lang, body: '', closed: false };
  const lines = block.slice(nl + 1).split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const last = lines.length > 0 ? FENCE.exec(lines[lines.length - 1]) : null;
  const closed = last !== null && last[1][0] === open[1][0] && last[1].length >= open[1].length && last[2].trim() === '';
  if (closed) lines.pop();
  return { lang, body: lines.join('\n'), closed };
}

export type AnswerItem =
  | { kind: 'markdown'; text: string }
  | { kind: 'code'; fence: Fence; streaming: boolean }
  /** "File: path", with the fence that follows it (null: a bare label, e.g. a refused file). */
  | { kind: 'file'; path: string; fence: Fence | null; streaming: boolean };

/**
 * Blocks → what the chat draws: markdown, code blocks, and file blocks ("File: path" +
 * fence). `streaming` marks the fence still being written (the last one, while the answer streams).
 */
export function answerItems(text: string, streaming: boolean): { items: AnswerItem[]; blocks: string[] } {
  const { blocks, lastIsOpenFence } = splitMarkdownBlocks(text);
  const items: AnswerItem[] = [];
  const live = (i: number) => streaming && lastIsOpenFence && i === blocks.length - 1;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const path = fileLinePath(block);
    if (path !== null && block.trim().indexOf('\n') < 0) {
      const next = i + 1 < blocks.length ? parseFence(blocks[i + 1]) : null;
      if (next) {
        items.push({ kind: 'file', path, fence: next, streaming: live(i + 1) });
        i++;
      } else items.push({ kind: 'file', path, fence: null, streaming: false });
      continue;
    }
    const fence = parseFence(block);
    items.push(fence ? { kind: 'code', fence, streaming: live(i) } : { kind: 'markdown', text: block });
  }
  return { items, blocks };
}

/** Lines in a code body ("" is 0 lines; a trailing newline does not count). */
export function lineCount(body: string): number {
  if (body.length === 0) return 0;
  let n = 1;
  for (let i = body.indexOf('\n'); i >= 0 && i < body.length - 1; i = body.indexOf('\n', i + 1)) n++;
  return n;
}
