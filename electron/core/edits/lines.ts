// A file as lines that remember their own line ending, so an edit can change some
// lines of a CRLF (or mixed) file without rewriting the endings of the rest, and a
// file without a final newline keeps not having one.

export interface FileLine {
  text: string;
  /** "\r\n", "\n" or "" (the last line of a file without a final newline). */
  eol: string;
}

export interface SplitFile {
  lines: FileLine[];
  /** The ending new lines get: the file's majority ending. */
  eol: '\n' | '\r\n';
  bom: boolean;
}

export function splitFile(content: string): SplitFile {
  const bom = content.startsWith('\uFEFF');
  const body = bom ? content.slice(1) : content;
  const lines: FileLine[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
  while (start < body.length) {
    const nl = body.indexOf('\n', start);
    if (nl === -1) {
      lines.push({ text: body.slice(start), eol: '' });
      break;
    }
    const isCrlf = nl > start && body[nl - 1] === '\r';
    if (isCrlf) crlf++;
    else lf++;
    lines.push({ text: body.slice(start, isCrlf ? nl - 1 : nl), eol: isCrlf ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return { lines, eol: crlf > lf ? '\r\n' : '\n', bom };
}

export function joinFile(file: SplitFile): string {
  return (file.bom ? '\uFEFF' : '') + file.lines.map((l) => l.text + l.eol).join('');
}

/** Block text ("a\nb") → lines; "" → no lines. */
export function textLines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}
