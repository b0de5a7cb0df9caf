// Files dropped on the window that are not in the open workspace: their text goes into
// the prompt as fenced blocks, each named, the way the model is asked to write files.
export interface Attachment {
  id: number;
  name: string;
  text: string;
  size: number;
}

/** Attachments bigger than this are refused (they would crowd out everything else). */
export const MAX_ATTACHMENT_BYTES = 256 * 1024;

/** A fence longer than any backtick run in the text, so the content cannot close it. */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function fenceLanguage(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase().replace(/[^a-z0-9+#-]/g, '') : '';
}

/** The prompt as sent: the user's text, then each attachment as `File: name` + a fenced block. */
export function composePrompt(prompt: string, attachments: readonly Pick<Attachment, 'name' | 'text'>[]): string {
  if (attachments.length === 0) return prompt;
  const blocks = attachments.map((a) => {
    const fence = fenceFor(a.text);
    const body = a.text.endsWith('\n') ? a.text : `${a.text}\n`;
    return `File: ${a.name}\n${fence}${fenceLanguage(a.name)}\n${body}${fence}`;
  });
  return `${prompt}\n\nAttached file${attachments.length === 1 ? '' : 's'}:\n\n${blocks.join('\n\n')}\n`;
}

/** Text files only: a NUL byte in the first 8 KB means binary. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

/** `path` is inside `root` (either separator); returns the POSIX path relative to root, or null. */
export function relativeToRoot(root: string, path: string): string | null {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const r = norm(root);
  const p = norm(path);
  if (!r || !p.startsWith(`${r}/`)) return null;
  const rel = p.slice(r.length + 1);
  return rel.length > 0 ? rel : null;
}
