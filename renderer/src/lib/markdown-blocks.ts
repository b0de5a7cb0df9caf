// Split markdown into top-level blocks so a streaming answer re-renders only its last,
// growing block; finished blocks keep the same string and their memoised React subtree.
// Cuts at blank lines outside code fences, and right before a fence that starts at
// column 0 (a fence interrupts a paragraph anyway), so every code block is its own block.
// Linear in the text.

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export interface MarkdownBlocks {
  blocks: string[];
  /** The last block is a code fence that has not been closed yet (still streaming). */
  lastIsOpenFence: boolean;
}

export function splitMarkdownBlocks(text: string): MarkdownBlocks {
  const blocks: string[] = [];
  let fence: { char: string; len: number } | null = null;
  let fenceStart = -1;
  let start = 0;
  let pos = 0;
  let prevBlank = false;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(pos, end);
    const blank = line.trim() === '';
    const m = FENCE.exec(line);
    const opensFence = fence === null && m !== null && !(m[1][0] === '`' && m[2].includes('`'));
    // Indented lines continue list items or indented code, so they stay with their block.
    const cut = fence === null && pos > start && !/^\s/.test(line) && ((prevBlank && !blank) || opensFence);
    if (cut) {
      blocks.push(text.slice(start, pos));
      start = pos;
    }
    if (fence) {
      if (m && m[1][0] === fence.char && m[1].length >= fence.len && m[2].trim() === '') fence = null;
    } else if (opensFence && m) {
      fence = { char: m[1][0], len: m[1].length };
      fenceStart = start;
    }
    prevBlank = blank && fence === null;
    if (nl < 0) break;
    pos = nl + 1;
  }
  if (start < text.length) blocks.push(text.slice(start));
  return { blocks, lastIsOpenFence: fence !== null && fenceStart === start };
}
