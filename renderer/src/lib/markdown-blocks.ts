// Split markdown into top-level blocks (at blank lines outside code fences) so a
// streaming answer re-renders only its last, growing block; finished blocks keep the
// same string and their memoised React subtree. Linear in the text.

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export function splitMarkdownBlocks(text: string): string[] {
  const blocks: string[] = [];
  let fence: { char: string; len: number } | null = null;
  let start = 0;
  let pos = 0;
  let prevBlank = false;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(pos, end);
    const blank = line.trim() === '';
    // Cut before a non-indented line that follows a blank line outside any fence.
    // Indented lines continue list items or indented code, so they stay together.
    if (fence === null && prevBlank && !blank && pos > start && !/^\s/.test(line)) {
      blocks.push(text.slice(start, pos));
      start = pos;
    }
    const m = FENCE.exec(line);
    if (fence) {
      if (m && m[1][0] === fence.char && m[1].length >= fence.len && m[2].trim() === '') fence = null;
    } else if (m && !(m[1][0] === '`' && m[2].includes('`'))) {
      fence = { char: m[1][0], len: m[1].length };
    }
    prevBlank = blank && fence === null;
    if (nl < 0) break;
    pos = nl + 1;
  }
  if (start < text.length) blocks.push(text.slice(start));
  return blocks;
}
