// Incremental extractor: turns a streaming model answer (markdown, chunks of any size) into file
// operations as the text arrives.
//
// Recognised (strongest first; a label wins over an info-string path, which wins over a comment):
//  1. `File: p` / `**File:** p` / `File: \`p\`` / `Filename:` / `Path:` / `File path:` line, then a fence.
//  2. A path alone in bold/backticks before a fence: `**p**`, `` `p` ``, `**\`p\`**`, optional ':'.
//  3. Headings: `### p`, `## File: p`.
//  4. Loose markers of other tools' formats (extractor-loose.ts): a path alone on the line right
//     before the fence (Aider), `[p]` alone on a line, a prose line naming exactly one backticked
//     path ("Here's the updated `p`:"), a block holding only a file name before the code's fence.
//  5. Path in the info string: ```` ```python p ````, ```` ```ts:p ````, ```` ```p ````, `title="p"`, `file=p`.
//  6. First line of an unnamed block is only a path comment (`# p`, `// p`, `-- p`, `<!-- p -->`,
//     `/* p */`, `# file: p`); that line is not content. Only paths with a slash or a code extension.
//  7. File tags (extractor-tags.ts): `<file path="p">`, bolt `<boltAction type="file" filePath>`,
//     Dyad `<dyad-write path>`, Lovable `<lov-write file_path>`, Cline `<write_to_file>`; a fence
//     that opens the body is unwrapped.
//  8. Tool calls printed as JSON text (extractor-json.ts): objects with a path and a content string.
// Decisions:
//  - A label applies to the next fence only if nothing but blank lines come between (a bare path
//    line only to a fence on the very next line).
//  - Weak labels (2-4) do not open the file at once: the block's first line decides. A diff (`diff`
//    info or `diff --git`/`---`/`+++` first line), a shell session (`$ ` first line) or a shell
//    block naming a non-shell file is not the file; a first line that is only a file name, then the
//    closing fence, makes a name-only block that labels the next fence.
//  - Fences: 3+ backticks/tildes, up to 3 spaces of indent (removed from content lines, as in
//    CommonMark); closed by the same char, at least as long, nothing after. Inside a markdown file
//    (.md or info `markdown`), a same-length fence with an info string opens an inner block, and so
//    does a bare fence after a "## Section" or a line ending in ':' (README examples).
//  - Blocks without a path are not files (the chat runner may name them: namer.ts). Hostile paths
//    become a `refused` op (code/reason from normalizeWorkspacePath) and their content is skipped.
//    A path written twice is emitted twice. Base64 blocks of binary files open with encoding 'base64'.
//  - Content is the lines between the fences, each ending in "\n" (CRLF → LF, a lone CR kept).
//    end() inside a block closes it with truncated: true, the last partial line kept as is, except
//    a last line that is the start of the closing fence ("``"): the file was complete.
//  - <file> bodies close only on a line that is just `</file>`; agent tags also on a line ending in
//    their closing tag. Text after an unwrapped fence and before the closing tag is ignored.
// Cost is linear: only the current partial line is kept between pushes and every char is looked at
// a bounded number of times. Inside a block, whole runs of lines are sliced out at once, and a
// partial line is streamed as soon as it cannot become the closing line (only a line starting like
// a fence, or like `</file>` in a tag body, is held until its end). Prose lines are held to their
// end (any may be a label or a tool call) and looked at once there; JSON values stream char by char.

import {
  AWAIT_FIRST,
  AWAIT_NAME,
  BLOCK,
  CR,
  JSON_FENCE,
  JSON_VALUE,
  LT,
  OUT,
  SPACE,
  TAB,
  TAG_AFTER,
  TAG_BODY,
  TAG_START,
  type ExtractedFile,
  type FileOp,
} from './extractor-lines.js';
import { foldFileOps } from './extractor-fold.js';
import { ProseMachine } from './extractor-prose.js';

export type { ExtractedFile, FileOp } from './extractor-lines.js';
export { foldFileOps } from './extractor-fold.js';

const CLOSE_TAG = '</file';

export class FileExtractor extends ProseMachine {
  push(chunk: string): FileOp[] {
    const n = chunk.length;
    // Hot path (a file streamed in small chunks): the chunk continues a content line and, if it
    // ends that line, the next line plainly starts as content: the whole chunk is content as is.
    if (this.streaming && !this.heldCR && this.mode === BLOCK && this.fenceIndent === 0 && n > 0 && chunk.charCodeAt(n - 1) !== CR && !this.watchingMarkdown()) {
      const nl = chunk.indexOf('\n');
      let hot = nl < 0;
      if (!hot && chunk.charCodeAt(nl - 1) !== CR) {
        if (nl + 1 === n) {
          hot = true;
          this.streaming = false;
        } else hot = chunk.indexOf('\n', nl + 1) < 0 && this.startsContent(chunk, nl + 1, n);
      }
      if (hot) return this.path === null ? [] : [{ kind: 'chunk', path: this.path, text: chunk }];
    }
    this.feed(chunk, n);
    this.flush();
    return this.take();
  }

  private feed(chunk: string, n: number): void {
    let pos = 0;
    if (n === 0) return;
    if (this.ignoring) {
      const nl = chunk.indexOf('\n');
      if (nl < 0) return;
      this.ignoring = false;
      pos = nl + 1;
    } else if (this.streaming) {
      const nl = chunk.indexOf('\n');
      if (nl < 0) {
        if (!this.heldCR && chunk.charCodeAt(n - 1) !== CR && !this.watchingMarkdown()) {
          if (this.path !== null) this.emit({ kind: 'chunk', path: this.path, text: chunk });
        } else {
          this.streamPiece(chunk);
        }
        return;
      }
      if (this.heldCR) {
        this.finishPartial(chunk.slice(0, nl));
        pos = nl + 1;
      } else {
        // The rest of the streamed line starts the content run: one slice for the whole chunk.
        this.streaming = false;
        pos = this.scanContent(chunk, nl + 1, 0);
      }
    } else if (this.partial !== '') {
      const nl = chunk.indexOf('\n');
      if (nl < 0) {
        this.extendPartial(chunk);
        return;
      }
      this.finishPartial(chunk.slice(0, nl));
      pos = nl + 1;
    }
    while (pos < n) {
      if (this.ignoring) {
        const nl = chunk.indexOf('\n', pos);
        if (nl < 0) return;
        this.ignoring = false;
        pos = nl + 1;
        continue;
      }
      if (this.mode === BLOCK || this.mode === TAG_BODY) {
        pos = this.scanContent(chunk, pos, pos);
        continue;
      }
      if (this.mode === JSON_VALUE) {
        pos = this.scanJson(chunk, pos);
        continue;
      }
      const nl = chunk.indexOf('\n', pos);
      if (nl < 0) {
        this.extendPartial(chunk.slice(pos));
        break;
      }
      const end = nl > pos && chunk.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      this.handleLine(chunk.slice(pos, end), '\n');
      pos = nl + 1;
    }
  }

  protected replay(text: string): void {
    this.feed(text, text.length);
  }

  end(): FileOp[] {
    if (this.ignoring) {
      this.ignoring = false;
    } else if (this.streaming) {
      this.streaming = false;
      if (this.heldCR) this.content('\r'); // a final line without newline is kept as is
      this.heldCR = false;
    } else if (this.partial !== '') {
      let line = this.partial;
      this.partial = '';
      let eol = '';
      if (line.charCodeAt(line.length - 1) === CR) {
        line = line.slice(0, -1);
        eol = '\r';
      }
      // Cut off inside the closing fence ("``"): the block was complete, the fence is not content.
      if (this.cutInClosingFence(line)) this.handleLine(String.fromCharCode(this.fenceChar).repeat(this.fenceLen), '');
      else this.handleLine(line, eol);
    }
    this.endExample(); // the answer ended while a markdown file's example block was open: it was the file's end
    if (this.mode === JSON_VALUE) this.endJson();
    if (this.mode === AWAIT_FIRST || this.mode === AWAIT_NAME) this.endPending();
    if (this.mode === TAG_START) this.content(this.tagHeld);
    if (this.mode !== OUT && this.mode !== TAG_AFTER) this.close(true);
    this.flush();
    this.reset();
    return this.take();
  }

  private cutInClosingFence(line: string): boolean {
    const m = this.mode;
    if (m !== BLOCK && m !== AWAIT_FIRST && m !== AWAIT_NAME && m !== JSON_FENCE) return false;
    const t = line.trim();
    if (t.length === 0 || t.length >= this.fenceLen || line.length - line.trimStart().length > 3) return false;
    for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) !== this.fenceChar) return false;
    return true;
  }

  // ---- content streaming -------------------------------------------------------------------

  /**
   * Fast path inside a block: extend a run of raw content (one slice, not line by line) from
   * `runStart` over whole content lines until a line that may close the block, the chunk's end, or
   * a mode change. A trailing partial line that is already known to be content joins the run and
   * is streamed. Returns the new position.
   */
  private scanContent(chunk: string, pos: number, runStart: number): number {
    const n = chunk.length;
    for (;;) {
      const nl = chunk.indexOf('\n', pos);
      if (nl < 0) {
        if (pos < n && this.fenceIndent === 0 && chunk.charCodeAt(n - 1) !== CR) {
          let decided = this.mode === BLOCK && this.example === null && this.startsContent(chunk, pos, n);
          if (!decided) {
            this.hold = 0;
            decided = this.holdDecides(chunk, pos);
          }
          if (decided) {
            this.emitRun(runStart === 0 ? chunk : chunk.slice(runStart, n));
            this.streaming = true;
            return n;
          }
        }
        if (pos > runStart) this.emitRun(chunk.slice(runStart, pos));
        if (pos < n) this.extendPartial(chunk.slice(pos));
        return n;
      }
      if (this.mayClose(chunk, pos)) {
        if (pos > runStart) this.emitRun(chunk.slice(runStart, pos));
        const end = nl > pos && chunk.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        this.handleLine(chunk.slice(pos, end), '\n');
        pos = nl + 1;
        if (this.mode !== BLOCK && this.mode !== TAG_BODY) return pos;
        runStart = pos;
      } else if (this.fenceIndent > 0) {
        if (pos > runStart) this.emitRun(chunk.slice(runStart, pos));
        const end = nl > pos && chunk.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        this.content(this.stripIndent(chunk.slice(pos, end)) + '\n');
        pos = nl + 1;
        runStart = pos;
      } else {
        pos = nl + 1;
      }
    }
  }

  /** In a fenced block: is the line starting at `i` (chars up to `n` known) already certain to be content? */
  private startsContent(s: string, i: number, n: number): boolean {
    const lim = i + 3;
    while (i < n && s.charCodeAt(i) === SPACE) {
      if (i === lim) return true; // 4 spaces: never a fence
      i++;
    }
    return i < n && s.charCodeAt(i) !== this.fenceChar;
  }

  private emitRun(run: string): void {
    if (this.path === null) return;
    const text = run.indexOf('\r') < 0 ? run : run.replace(/\r\n/g, '\n');
    if (this.watchingMarkdown()) this.trackMarkdown(text);
    this.out += text;
  }

  /** Could the (complete or partial) line starting at `i` close the current block? */
  private mayClose(s: string, i: number): boolean {
    let c = s.charCodeAt(i);
    if (this.example !== null) return true; // every line is held while an example block is undecided
    if (this.mode === BLOCK) {
      let k = 0;
      while (c === SPACE && k < 3) {
        c = s.charCodeAt(++i);
        k++;
      }
      return c === this.fenceChar;
    }
    if (this.tagLoose) return true; // an agent tag may close at the end of any line
    while (c === SPACE || c === TAB) c = s.charCodeAt(++i);
    return c === LT;
  }

  /** A partial line (no newline yet) grew by `text`. Stream it once it is content that cannot close. */
  private extendPartial(text: string): void {
    if (this.streaming) {
      this.streamPiece(text);
      return;
    }
    const fresh = this.partial === '';
    this.partial += text;
    if (fresh) this.hold = 0;
    // Only the new text is examined (the partial is never rescanned), so a long held line stays linear.
    if (this.hold < 0) return;
    const mode = this.mode;
    // Prose and undecided first lines are held to their end: any of them may be a label, a file
    // name or the start of a tool call (kept linear: the partial is only appended to).
    if ((mode !== BLOCK && mode !== TAG_BODY) || !this.holdDecides(text, 0)) return;
    const p = this.partial;
    this.partial = '';
    this.streaming = true;
    this.streamPiece(this.stripIndent(p));
  }

  private holdDecides(s: string, from: number): boolean {
    return this.mode === BLOCK ? this.fenceHoldDecides(s, from) : this.tagHoldDecides(s, from);
  }

  /**
   * Feed new chars of a held line in a fenced block; true once the line can no longer be a closing
   * fence (`^ {0,3}F{n,}[ \t]*$`). In markdown-aware blocks a line starting with the fence char is held
   * to its end, because it may open an inner block (depth is counted on whole lines).
   */
  private fenceHoldDecides(text: string, from: number): boolean {
    if (this.example !== null) return false;
    const fc = this.fenceChar;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const h = this.hold;
      if (h <= 3) {
        if (c === SPACE) {
          if (h === 3) return true;
          this.hold = h + 1;
        } else if (c === fc) {
          if (this.nest) {
            this.hold = -1;
            return false;
          }
          this.hold = 4;
        } else return true;
      } else if (h === 4) {
        if (c !== fc) {
          if (c !== SPACE && c !== TAB && c !== CR) return true;
          this.hold = 5;
        }
      } else if (c !== SPACE && c !== TAB && c !== CR) return true;
    }
    return false;
  }

  /** Same for a raw <file> body: true once the held line can no longer be `</file>`. Agent tags may close at a line's end: held. */
  private tagHoldDecides(text: string, from: number): boolean {
    if (this.tagLoose) return false;
    for (let i = from; i < text.length; i++) {
      let c = text.charCodeAt(i);
      const h = this.hold;
      if (h === 0) {
        if (c === LT) this.hold = 1;
        else if (c !== SPACE && c !== TAB) return true;
      } else if (h < 6) {
        if (c >= 65 && c <= 90) c += 32;
        if (c !== CLOSE_TAG.charCodeAt(h)) return true;
        this.hold = h + 1;
      } else if (h < 8) {
        if (c === 62 /* > */) this.hold = 8;
        else if (c === SPACE || c === TAB) this.hold = 7;
        else return true;
      } else if (c !== SPACE && c !== TAB && c !== CR) return true;
    }
    return false;
  }

  private streamPiece(text: string): void {
    if (text.length === 0) return;
    if (this.heldCR) {
      this.heldCR = false;
      text = '\r' + text;
    }
    if (text.charCodeAt(text.length - 1) === CR) {
      this.heldCR = true;
      text = text.slice(0, -1);
    }
    this.content(text);
  }

  /** The current partial line ends with `rest` followed by a newline. */
  private finishPartial(rest: string): void {
    if (this.streaming) {
      this.streaming = false;
      let t = rest;
      if (t.length > 0) {
        if (this.heldCR) t = '\r' + t;
        if (t.charCodeAt(t.length - 1) === CR) t = t.slice(0, -1);
      }
      this.heldCR = false; // with an empty rest, the held CR was the CR of CRLF
      this.content(t + '\n');
      return;
    }
    let line = this.partial + rest;
    this.partial = '';
    if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
    this.handleLine(line, '\n');
  }
}

/** One-shot convenience: extract the files of a complete answer. */
export function extractFiles(text: string): ExtractedFile[] {
  const x = new FileExtractor();
  const ops = x.push(text);
  for (const op of x.end()) ops.push(op);
  return foldFileOps(ops).files;
}
