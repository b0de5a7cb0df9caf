// Syntax highlighting for chat code blocks and file cards, with highlight.js's common
// languages. A growing fence is highlighted only over its last lines (see CodeBlock), so a
// long stream costs the same per frame at line 20 as at line 2,000.
import hljs from 'highlight.js/lib/common';

const ALIASES: Record<string, string> = { py: 'python', js: 'javascript', ts: 'typescript', sh: 'bash', shell: 'bash', yml: 'yaml', md: 'markdown', jsx: 'javascript', tsx: 'typescript' };

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The highlight.js name for a fence's info word or a file extension, or null (plain text). */
export function highlightLanguage(lang: string): string | null {
  const name = ALIASES[lang.toLowerCase()] ?? lang.toLowerCase();
  return name && hljs.getLanguage(name) ? name : null;
}

/** The language of a path from its extension ("csv2json/__init__.py" → "python"), or null. */
export function languageOfPath(path: string): string | null {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? highlightLanguage(path.slice(dot + 1)) : null;
}

/** HTML for `code` (escaped by highlight.js; plain text is escaped here). */
export function highlightHtml(code: string, lang: string | null): string {
  if (!lang) return escapeHtml(code);
  try {
    return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
  } catch {
    return escapeHtml(code);
  }
}
