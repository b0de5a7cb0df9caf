// Links in a project's markdown (the editor's preview): a relative link names another file
// of the project ("docs/setup.md#install" from "README.md" → "docs/setup.md"); anything
// with a scheme is external and goes through the app's confirm.

export type ProjectLink = { kind: 'file'; path: string } | { kind: 'anchor' } | { kind: 'external' } | { kind: 'outside' };

/** Where `href` in the markdown file `from` leads. `..` past the project root is "outside". */
export function resolveProjectLink(from: string, href: string): ProjectLink {
  const h = href.trim();
  if (h.startsWith('#') || h === '') return { kind: 'anchor' };
  if (/^[a-z][a-z0-9+.-]*:/i.test(h) || h.startsWith('//')) return { kind: 'external' };
  const bare = h.replace(/[?#].*$/, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(bare);
  } catch {
    decoded = bare;
  }
  const parts = decoded.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const seg of decoded.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return { kind: 'outside' };
      parts.pop();
    } else parts.push(seg);
  }
  return parts.length > 0 ? { kind: 'file', path: parts.join('/') } : { kind: 'outside' };
}

/** Files the editor can preview as markdown. */
export function isMarkdownPath(path: string): boolean {
  return /\.(md|markdown|mdx)$/i.test(path);
}
